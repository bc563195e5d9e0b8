"""``scrapy crawlall``: every spider of the project in one process, one after the other's
start, sharing the settings given (``-s REPLAY_FROM=fixtures`` replays them all).

Settings are checked once before any spider starts, and each spider whose job failed gets
one line and makes the exit code 1 (see ``crawler.commands.running``)."""

from __future__ import annotations

import argparse

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError

from crawler.commands.running import run_crawls


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [spider ...]"

    def short_desc(self) -> str:
        return "Run all spiders of the project (or the ones named) in one process"

    def long_desc(self) -> str:
        return (
            "Run every spider (article, cvn, lagazette, leplacentin) or the ones named. "
            "Feed options apply to each: use %(name)s in the path, e.g. "
            "-O 'out/%(name)s.jsonl'."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process
        known = self.crawler_process.spider_loader.list()
        names = args or known
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise UsageError(f"unknown spider(s): {', '.join(unknown)}; known: {', '.join(known)}")
        self.exitcode = run_crawls(self, "crawlall", names, opts)
