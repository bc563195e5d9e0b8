"""A replay folder's index survives restarts (only changed files are read again), and
folders linked into REPLAY_FROM are replayed like the others."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crawler import replay
from crawler.archive.writer import WarcFile, warcinfo
from crawler.replay import FixtureSource, WarcSource, open_source
from tests.archive.helpers import exchange


def save(root: Path, name: str, url: str, body: bytes = b"<html><body>x</body></html>") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "body.html").write_bytes(body)
    meta = {
        "url": url,
        "status": 200,
        "headers": {"Content-Type": "text/html"},
        "body": "body.html",
    }
    (folder / "response.json").write_text(json.dumps(meta))
    return folder / "response.json"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the sources actually open and parse (not answered from the cache)."""
    seen: list[Path] = []
    read_fixture, read_warc = FixtureSource._read, replay._warc_entries

    def fixture(path: Path) -> object:
        seen.append(path)
        return read_fixture(path)

    def warc(path: Path) -> object:
        seen.append(path)
        return read_warc(path)

    monkeypatch.setattr(FixtureSource, "_read", staticmethod(fixture))
    monkeypatch.setattr(replay, "_warc_entries", warc)
    return seen


def test_a_restart_reads_only_the_files_that_changed(tmp_path: Path, reads: list[Path]) -> None:
    pages, cache = tmp_path / "pages", tmp_path / "cache"
    first = save(pages, "a", "https://site.test/a")
    save(pages, "b", "https://site.test/b")
    assert len(FixtureSource(pages, cache)) == 2 and len(reads) == 2

    reads.clear()
    again = FixtureSource(pages, cache)
    assert again.get("https://site.test/b") is not None
    assert again.get("https://site.test/robots.txt") is None
    assert reads == [], "no file read, no walk: the kept index is current"

    meta = json.loads(first.read_text())
    first.write_text(json.dumps({**meta, "url": "https://site.test/a2", "status": 404}))
    os.utime(first, ns=(1, 1))  # a different mtime whatever the clock's resolution
    save(pages, "c", "https://site.test/c")
    reads.clear()
    changed = FixtureSource(pages, cache)
    assert reads == [], "the kept index answers until it is found out of date"
    assert changed.get("https://site.test/a") is None  # its file changed: one walk
    assert sorted(p.parent.name for p in reads) == ["a", "c"]
    saved = changed.get("https://site.test/a2")
    assert saved is not None and saved.status == 404
    assert saved.body() == b"<html><body>x</body></html>"


def test_a_page_added_since_is_found_by_the_walk_its_miss_makes(tmp_path: Path) -> None:
    pages, cache = tmp_path / "pages", tmp_path / "cache"
    save(pages, "a", "https://site.test/a")
    FixtureSource(pages, cache)
    kept = FixtureSource(pages, cache)
    save(pages, "b", "https://site.test/b")
    (pages / "a" / "response.json").unlink()
    assert kept.get("https://site.test/b") is not None
    assert kept.get("https://site.test/a") is None
    assert len(kept) == 1 and [s.url for s in kept] == ["https://site.test/b"]


def test_without_a_cache_folder_every_file_is_read(tmp_path: Path, reads: list[Path]) -> None:
    save(tmp_path, "a", "https://site.test/a")
    FixtureSource(tmp_path)
    FixtureSource(tmp_path)
    assert len(reads) == 2


def test_a_cache_that_cannot_be_written_or_read_costs_only_a_full_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    save(tmp_path / "pages", "a", "https://site.test/a")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    assert len(FixtureSource(tmp_path / "pages", blocked)) == 1
    assert "not saved" in caplog.text
    cache = tmp_path / "cache"
    FixtureSource(tmp_path / "pages", cache)
    for file in cache.iterdir():
        file.write_text("{broken")
    assert len(FixtureSource(tmp_path / "pages", cache)) == 1


def test_linked_folders_are_replayed_once_and_a_link_cycle_ends(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    save(outside, "linked", "https://site.test/linked")
    pages = tmp_path / "pages"
    save(pages, "own", "https://site.test/own")
    (pages / "more").symlink_to(outside, target_is_directory=True)
    (outside / "loop").symlink_to(pages, target_is_directory=True)  # pages → more → loop → pages
    source = open_source(pages)
    assert isinstance(source, FixtureSource)
    assert len(source) == 2
    assert source.get("https://site.test/linked") is not None


def test_warc_files_are_indexed_once_and_found_through_links(
    tmp_path: Path, reads: list[Path]
) -> None:
    archive = tmp_path / "crawl-2025"
    archive.mkdir()
    file = WarcFile(archive / "one.warc.gz", info=warcinfo(software="test", robots="obey"))
    file.write_exchange(exchange(1))
    file.close()
    folder, cache = tmp_path / "replay", tmp_path / "cache"
    folder.mkdir()
    (folder / "2025").symlink_to(archive, target_is_directory=True)
    source = open_source(folder, cache)
    assert isinstance(source, WarcSource) and len(source) == 1
    assert source.get("https://site.test/news/1.html?a=1&b=2") is not None
    assert len(reads) == 1
    assert len(WarcSource(folder, cache)) == 1 and len(reads) == 1, "the second start reads none"
