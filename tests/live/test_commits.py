"""A crawl commits its saved articles on a timer, not only every N articles: an article
scraped before a quiet spell (a slow outlet) is in the database for other readers within
about a second, not when the batch fills up or the crawl ends."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.crawling import CVN_001, CVN_003, ROOT, child_env, scrapy_command
from tests.liveserver import LiveServer

pytestmark = pytest.mark.slow  # real scrapy processes against the local server


def stored_urls(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return {url for (url,) in conn.execute("SELECT url FROM articles")}
    except sqlite3.OperationalError:  # the crawl has not created the tables yet
        return set()


def test_an_article_is_committed_while_the_crawl_waits_for_a_slow_page(tmp_path: Path) -> None:
    db = tmp_path / "wiretrace.sqlite"
    with LiveServer() as server:
        server.delay(CVN_003, 6)
        cmd = scrapy_command(
            ["crawl", "cvn", "-a", f"start_urls={CVN_001},{CVN_003}", "-a", "follow=0"],
            tmp_path / "out",
            db,
            live=server,
            feed=True,
            settings={
                "WIRETRACE_DB_COMMIT_EVERY": 100,
                "WIRETRACE_DB_COMMIT_SECONDS": 0.5,
                "DOWNLOAD_TIMEOUT": 30,
            },
        )
        crawl = subprocess.Popen(
            cmd, cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            seen_during: set[str] = set()
            deadline = time.monotonic() + 60
            while crawl.poll() is None and time.monotonic() < deadline:
                seen_during = stored_urls(db)
                if seen_during:
                    break
                time.sleep(0.1)
            still_running = crawl.poll() is None
            _, log = crawl.communicate(timeout=60)
        finally:
            if crawl.poll() is None:
                crawl.kill()
    assert crawl.returncode == 0, log.decode()[-3000:]
    # Found while the slow page was still outstanding: the timer committed it.
    assert still_running
    assert seen_during == {CVN_001}
    assert stored_urls(db) == {CVN_001, CVN_003}  # and the end of the crawl committed the rest
