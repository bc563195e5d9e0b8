"""What ``crawl`` and ``crawlall`` share: check the settings, run the crawls, and turn each
failed job into one line on stderr and exit code 1.

Not a command itself (it defines no ``Command``).
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import BaseRunSpiderCommand

from crawler.commands.preflight import problems
from crawler.extensions.outcome import failure_of


def run_crawls(
    command: BaseRunSpiderCommand, name: str, spiders: list[str], opts: argparse.Namespace
) -> int:
    """Run ``spiders`` in one process; the exit code."""
    process = command.crawler_process
    assert process is not None and command.settings is not None
    mistakes = problems(command.settings)
    for mistake in mistakes:
        print(f"scrapy {name}: {mistake}", file=sys.stderr)
    if mistakes:
        return 1
    crawlers = [command._create_crawler(spider) for spider in spiders]
    for crawler in crawlers:
        process.crawl(crawler, **opts.spargs)
    process.start()
    if process.bootstrap_failed:
        return 1
    failed = 0
    for crawler in crawlers:
        why = failure_of(crawler)
        if why:
            failed += 1
            spider = crawler.spidercls.name
            print(f"scrapy {name}: {spider}: the job failed: {why}", file=sys.stderr)
    return 1 if failed else 0
