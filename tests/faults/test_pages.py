"""Hostile pages: each is read whole or skipped with one counted reason, never lost silently.

One replay crawl of the real ``article`` spider over every page of ``tests/faults/hostile.py``
(saved as fixtures in a temporary folder), with a guard in the child that refuses and
records any connection to the network: replay stays offline even when a page sets a cookie.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import Run, row_counts, scrapy
from tests.faults.hostile import ESCAPE_TITLE, PAGES, Hostile

pytestmark = pytest.mark.slow  # a real scrapy process


@cache
def hostile() -> dict[str, Hostile]:
    """Every hostile page by name, built once and only when a test runs (the gzip bomb alone
    takes seconds to build: collecting the suite must not pay for it)."""
    return {name: build() for name, build in PAGES.items()}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path, Path]:
    work = tmp_path_factory.mktemp("hostile")
    saved = work / "saved"
    for page in hostile().values():
        page.save(saved)
    sockets = work / "sockets.log"
    db = work / "db.sqlite"
    urls = ",".join(page.url for page in hostile().values())
    run = scrapy(
        ["crawl", "article", "-a", f"urls={urls}"],
        work / "out",
        feed=True,
        settings={"REPLAY_FROM": saved, "WIRETRACE_DB": db},
        guard_sockets=sockets,
    )
    return run, db, sockets


def _item(run: Run, page: Hostile) -> dict[str, Any] | None:
    return next((i for i in run.items() if i["url"] == page.url), None)


def test_the_crawl_succeeds_and_says_nothing_went_wrong(crawl: tuple[Run, Path, Path]) -> None:
    run, _, _ = crawl
    assert run.returncode == 0, run.log[-3000:]
    assert "Traceback" not in run.log
    assert run.stats()["finish_reason"] == "finished"


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_is_stored_whole_or_skipped_and_counted(
    crawl: tuple[Run, Path, Path], name: str
) -> None:
    run, _, _ = crawl
    page = hostile()[name]
    stats = run.stats()
    item = _item(run, page)
    if page.keeps is None:
        assert item is None
        assert stats.get(page.stat or "", 0) >= 1
        lines = [line for line in run.log.splitlines() if f"skipped {page.url}" in line]
        assert len(lines) == 1, lines
    else:
        assert item is not None, f"{page.name} lost"
        assert page.keeps in item["text"]
        if page.stat:
            assert stats.get(page.stat, 0) >= 1


def test_every_page_ends_as_one_item_or_one_counted_skip(crawl: tuple[Run, Path, Path]) -> None:
    run, db, _ = crawl
    stats = run.stats()
    items = run.items()
    assert len(items) + stats.get("wiretrace/pages_skipped", 0) == len(PAGES)
    # Nothing stored half: each stored article has its version, and no orphan version.
    assert row_counts(db)["articles"] == row_counts(db)["versions"] == len(items)


def test_control_characters_are_removed_and_counted(crawl: tuple[Run, Path, Path]) -> None:
    run, _, _ = crawl
    item = _item(run, hostile()["control-chars"])
    assert item is not None
    assert "Vingt ans" in item["text"] and "\x0b" not in item["text"]
    assert run.stats()["wiretrace/control_chars_removed"] == 3


def test_a_few_bad_bytes_in_utf8_are_replaced_not_the_whole_page(
    crawl: tuple[Run, Path, Path],
) -> None:
    run, _, _ = crawl
    item = _item(run, hostile()["broken-utf8"])
    assert item is not None
    assert "célébré la fête près du lac" in item["text"]  # no mojibake
    assert "\ufffd" in item["text"]  # the bad bytes, and only they, replaced
    assert run.stats()["wiretrace/invalid_bytes_replaced"] == 3


def test_text_below_libxml2s_depth_limit_is_kept(crawl: tuple[Run, Path, Path]) -> None:
    run, _, _ = crawl
    item = _item(run, hostile()["deep-nesting"])
    assert item is not None
    assert "Profond." in item["text"] and len(item["text"]) > 200
    assert run.stats()["wiretrace/deep_nesting_flattened"] == 1


def test_replay_opens_no_network_connection_even_for_cookies(
    crawl: tuple[Run, Path, Path],
) -> None:
    _, _, sockets = crawl
    assert not sockets.exists() or sockets.read_text() == ""


def test_a_javascript_canonical_url_is_never_stored(crawl: tuple[Run, Path, Path]) -> None:
    run, db, _ = crawl
    page = hostile()["javascript-canonical"]
    item = _item(run, page)
    assert item is not None and item["canonical_url"] is None
    with sqlite3.connect(db) as conn:
        (canonical,) = conn.execute(
            "SELECT canonical_url FROM articles WHERE url = ?", (page.url,)
        ).fetchone()
    assert canonical is None


def test_a_title_with_escape_codes_is_stored_as_given(crawl: tuple[Run, Path, Path]) -> None:
    run, _, _ = crawl
    item = _item(run, hostile()["escape-title"])
    assert item is not None and item["title"] == ESCAPE_TITLE
