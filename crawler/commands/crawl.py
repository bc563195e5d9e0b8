"""``scrapy crawl``, with an exit code that says whether the job failed.

Scrapy's own command exits 0 whatever happened once the crawl started. This one checks the
settings first (``crawler.commands.preflight``: one line and exit code 1 for a mistake,
before any feed is opened), and after the crawl exits 1 with one line saying why when the
job failed (``crawler.extensions.outcome``).
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler.commands.running import run_crawls


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        self.exitcode = run_crawls(self, "crawl", args, opts)
