"""The database: a full disk stops the crawl loudly, a second crawl on the same file waits.

Both through real ``scrapy crawl`` processes: the disk is filled with a file-size limit on
the child (``RLIMIT_FSIZE``; writes past it fail with EFBIG as on a full disk), and the
second writer is a real second process holding SQLite's write lock.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.storage import open_store
from tests.crawling import row_counts, scrapy
from tests.faults.hostile import articles

pytestmark = pytest.mark.slow  # real scrapy processes under imposed faults

PAGES = articles(40)
URLS = ",".join(page.url for page in PAGES)


def _saved(tmp_path: Path) -> Path:
    saved = tmp_path / "saved"
    for page in PAGES:
        page.save(saved)
    return saved


def test_a_full_disk_stops_the_crawl_with_a_reason_and_a_non_zero_exit(tmp_path: Path) -> None:
    saved = _saved(tmp_path)
    db = tmp_path / "db.sqlite"
    open_store(db).close()  # the schema fits; the articles will not
    run = scrapy(
        ["crawl", "article", "-a", f"urls={URLS}"],
        tmp_path / "out",
        settings={"REPLAY_FROM": saved, "WIRETRACE_DB": db, "WIRETRACE_DB_COMMIT_EVERY": 5},
        fsize=db.stat().st_size + 160 * 1024,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.log
    failed = [line for line in run.failure_lines if "the job failed" in line]
    assert len(failed) == 1 and "database could not be written" in failed[0], run.failure_lines
    stats = run.stats()
    assert stats["finish_reason"] == "store_error"
    assert stats["wiretrace/store/errors"] >= 1
    # The stats tell the truth about what the database holds, and it holds whole articles.
    stored = stats.get("wiretrace/store/new", 0) - stats.get("wiretrace/store/lost", 0)
    assert row_counts(db)["articles"] == row_counts(db)["versions"] == stored < len(PAGES)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


#: Holds SQLite's write lock on the file named by argv[1] for argv[2] seconds, as another
#: crawl reading a slow page with its batch open does.
_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_a_second_writer_waits_for_the_lock_instead_of_losing_articles(tmp_path: Path) -> None:
    saved = _saved(tmp_path)
    db = tmp_path / "db.sqlite"
    open_store(db).close()
    # Well past SQLite's 30 s busy timeout (after which the first save used to fail), with
    # room for the crawl's start-up.
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db), "45"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        run = scrapy(
            ["crawl", "article", "-a", f"urls={','.join(p.url for p in PAGES[:5])}"],
            tmp_path / "out",
            settings={"REPLAY_FROM": saved, "WIRETRACE_DB": db},
        )
    finally:
        holder.wait(timeout=60)
    assert time.monotonic() - started > 30  # it did have to wait
    assert run.returncode == 0, run.log[-2000:]
    assert "still waiting" in run.log
    assert run.stats().get("wiretrace/store/new") == 5
    assert row_counts(db)["articles"] == 5
