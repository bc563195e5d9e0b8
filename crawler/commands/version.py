"""``scrapy version``, which says so when it was given an article's URL: ``versions`` (with
an s) is the command that shows an article's stored versions, and Scrapy's own ``version``
quietly printed its version number instead."""

from __future__ import annotations

import argparse

from scrapy.commands.version import Command as ScrapyVersion

from crawler.commands.common import fail


class Command(ScrapyVersion):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            hint = (
                f"scrapy versions {args[0]}"
                if args[0].startswith(("http://", "https://"))
                else "scrapy versions URL"
            )
            fail(self, "version", f"takes no argument; an article's stored versions: {hint}")
            return
        super().run(args, opts)
