"""Re-crawls: an edited article becomes a new version with a diff; a chrome-only change or an
unchanged page does not; an interrupted crawl resumes from its JOBDIR without refetching."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crawling import FIXTURES, ROOT, child_env, scrapy, scrapy_command
from tests.liveserver import LiveServer

pytestmark = pytest.mark.slow  # real scrapy processes against the local server

ARTICLE_001 = FIXTURES / "cvn" / "001-poutine-kim-vostotchny"
ARTICLE_003 = FIXTURES / "cvn" / "003-poutine-kim-cooperation-spatiale"
#: Known articles are due again right away, so the second crawl revisits them.
REVISIT_NOW = {"WIRETRACE_REVISIT_FIRST_AFTER": 0.001}


def saved(folder: Path) -> tuple[str, str]:
    meta = json.loads((folder / "response.json").read_text(encoding="utf-8"))
    return meta["url"], (folder / meta["body"]).read_text(encoding="utf-8")


def versions(url: str, db: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "versions", url, "--json", "-s", f"WIRETRACE_DB={db}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_edits_make_versions_and_chrome_changes_do_not(
    live_server: LiveServer, tmp_path: Path
) -> None:
    db = tmp_path / "w.sqlite"
    first = scrapy(
        ["crawl", "cvn"], tmp_path / "1", db, live=live_server, settings=REVISIT_NOW, feed=True
    )
    assert first.returncode == 0, first.log[-2000:]

    url_001, html_001 = saved(ARTICLE_001)
    edited = html_001.replace(
        "Sa dernière visite en Russie remonte à avril 2019",
        "Sa précédente visite en Russie remonte à avril 2019",
    )
    assert edited != html_001
    live_server.set_page(url_001, edited)
    url_003, html_003 = saved(ARTICLE_003)
    live_server.set_page(url_003, html_003.replace("Derniers articles", "Les plus lus"))

    second = scrapy(
        ["crawl", "cvn"], tmp_path / "2", db, live=live_server, settings=REVISIT_NOW, feed=True
    )
    assert second.returncode == 0, second.log[-2000:]
    stats = second.stats("cvn")
    assert stats["wiretrace/revisits_scheduled"] == 2
    assert stats["wiretrace/store/new_version"] == 1
    assert stats["wiretrace/store/unchanged"] == 1

    history = versions(url_001, db)
    assert len(history) == 2
    assert "-Sa dernière visite en Russie" in history[1]["diff"]
    assert "+Sa précédente visite en Russie" in history[1]["diff"]
    assert len(versions(url_003, db)) == 1, "a chrome-only change is not a new version"


def test_known_articles_are_not_refetched_before_they_are_due(
    live_server: LiveServer, tmp_path: Path
) -> None:
    db = tmp_path / "w.sqlite"
    assert scrapy(["crawl", "cvn"], tmp_path / "1", db, live=live_server, feed=True).returncode == 0
    url_001, _ = saved(ARTICLE_001)
    assert live_server.count(url_001) == 1
    second = scrapy(["crawl", "cvn"], tmp_path / "2", db, live=live_server, feed=True)
    assert second.returncode == 0
    assert live_server.count(url_001) == 1, "an hour has not passed: no revisit yet"
    assert second.stats("cvn")["wiretrace/known_skipped"] >= 2


def test_an_interrupted_crawl_resumes_from_its_jobdir(
    live_server: LiveServer, tmp_path: Path
) -> None:
    # Slow articles, so the crawl is still running when it is interrupted.
    url_001, _ = saved(ARTICLE_001)
    url_003, _ = saved(ARTICLE_003)
    for url in (url_001, url_003):
        live_server.delay(url, 1.5)
    db, jobdir = tmp_path / "w.sqlite", tmp_path / "job"
    cmd = scrapy_command(
        ["crawl", "cvn"], tmp_path, db, live=live_server, stats=False,
        settings={"JOBDIR": jobdir, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 1},
    )  # fmt: skip
    crawl = subprocess.Popen(
        cmd, cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while live_server.count(url_001) + live_server.count(url_003) == 0:
        assert time.monotonic() < deadline, "the crawl never reached an article"
        time.sleep(0.05)
    crawl.send_signal(signal.SIGINT)  # what Ctrl-C or a scheduler's stop does
    _, err = crawl.communicate(timeout=60)
    assert b"Received SIGINT" in err

    for url in (url_001, url_003):
        live_server.delay(url, 0)
    resumed = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr[-2000:]

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url FROM articles ORDER BY url").fetchall()
    assert sorted(u for (u,) in rows) == sorted([url_001, url_003]), "each article once"
    assert live_server.count(url_001) == 1 and live_server.count(url_003) == 1, "no refetch"
    assert any(jobdir.iterdir()), "the job's state was kept between the runs"
