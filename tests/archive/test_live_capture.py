"""A real crawl over real HTTP archives every response, and an item traces to its record.

``scrapy crawl article`` fetches a few pages from a local site (one served gzip-encoded, one
behind a redirect, one missing) with ``WIRETRACE_WARC_DIR`` set; then the same crawl replays
from that folder with the network switched off and must give the same items, still pointing
at the same records.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.archive.helpers import records
from tests.archive.running import ZIPPED, local_site
from tests.crawling import Run, scrapy

pytestmark = pytest.mark.slow  # real scrapy processes

PAGES = ["/a.html", "/gz.html", "/old", "/gone"]


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path, str]:
    work = tmp_path_factory.mktemp("capture")
    with local_site() as base:
        urls = ",".join(base + page for page in PAGES)
        result = scrapy(
            ["crawl", "article", "-a", f"urls={urls}"], work / "live", work / "live.sqlite",
            feed=True,
            settings={
                "WIRETRACE_WARC_DIR": work / "warc",
                "AUTOTHROTTLE_START_DELAY": 0.05,  # a local site: no need to wait 5 s per page
            },
        )  # fmt: skip
    assert result.returncode == 0, result.log[-3000:]
    return result, work / "warc", base


@pytest.fixture(scope="module")
def replayed(captured: tuple[Run, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Run:
    _, warc_dir, base = captured
    work = tmp_path_factory.mktemp("replay")
    urls = ",".join(base + page for page in PAGES)
    result = scrapy(
        ["crawl", "article", "-a", f"urls={urls}"], work / "out", work / "db.sqlite",
        feed=True, replay=warc_dir,
    )  # fmt: skip
    assert result.returncode == 0, result.log[-3000:]
    return result


def record_at(warc_dir: Path, fetch: dict[str, Any]) -> tuple[Any, bytes]:
    """The record an item's fetch points at, and its payload as stored."""
    with (warc_dir / fetch["warc"]).open("rb") as stream:
        stream.seek(fetch["offset"])
        record = next(iter(ArchiveIterator(stream)))
        return record, record.raw_stream.read()


def by_path(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["url"].split("/", 3)[3]: item for item in items}


def test_every_item_points_at_the_response_record_of_its_bytes(
    captured: tuple[Run, Path, str],
) -> None:
    result, warc_dir, _ = captured
    items = by_path(result.items("article"))
    assert set(items) == {"a.html", "gz.html", "moved.html"}
    for name, item in items.items():
        fetch = item["fetch"]
        assert fetch["replayed"] is False
        record, payload = record_at(warc_dir, fetch)
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Record-ID") == fetch["record_id"]
        assert record.rec_headers.get_header("WARC-Target-URI") == item["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest", "").startswith("sha1:")
        assert record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
        encoded = record.http_headers.get_header("Content-Encoding") == "gzip"
        assert encoded == (name == "gz.html")
        body = gzip.decompress(payload) if encoded else payload
        assert hashlib.sha256(body).hexdigest() == fetch["sha256"], name


def test_the_gzip_page_is_archived_as_it_came_compressed(
    captured: tuple[Run, Path, str],
) -> None:
    result, warc_dir, _ = captured
    fetch = by_path(result.items("article"))["gz.html"]["fetch"]
    _, payload = record_at(warc_dir, fetch)
    assert payload[:2] == b"\x1f\x8b"
    assert payload == gzip.compress(ZIPPED, mtime=0), "the very bytes the server sent"
    assert fetch["sha256"] == hashlib.sha256(ZIPPED).hexdigest()


def test_redirects_errors_and_robots_txt_are_archived_too(
    captured: tuple[Run, Path, str],
) -> None:
    result, warc_dir, base = captured
    (path,) = warc_dir.glob("*.warc.gz")
    assert path.name.startswith("wiretrace-") and path.name.endswith(".warc.gz")
    found = records(path)
    assert found[0]["type"] == "warcinfo"
    assert "isPartOf: article" in found[0]["payload"].decode()
    responses = {
        r["warc"]["WARC-Target-URI"].removeprefix(base): r for r in found if r["type"] == "response"
    }
    assert set(responses) == {"/robots.txt", "/a.html", "/gz.html", "/old", "/moved.html", "/gone"}
    assert responses["/old"]["http"].get_statuscode() == "301"
    assert responses["/old"]["http"].get_header("Location") == "/moved.html"
    assert responses["/gone"]["http"].get_statuscode() == "404"
    requests = [r for r in found if r["type"] == "request"]
    assert len(requests) == len(responses), "every response with its request"
    for request in requests:
        response = next(
            r for r in found if r["warc"]["WARC-Record-ID"] == request["warc"]["WARC-Concurrent-To"]
        )
        assert response["warc"]["WARC-Concurrent-To"] == request["warc"]["WARC-Record-ID"]
        assert request["http"].get_header("User-Agent", "").startswith("wiretrace/")
    moved = by_path(result.items("article"))["moved.html"]
    assert moved["fetch"]["redirects"] == [base + "/old"]

    stats = result.stats("article")
    assert stats["wiretrace/warc/records"] == len(found)
    assert stats["wiretrace/warc/files"] == 1
    assert stats["wiretrace/warc/bytes"] == path.stat().st_size


def test_replay_from_the_archive_gives_the_same_items_and_the_same_records(
    captured: tuple[Run, Path, str], replayed: Run
) -> None:
    live = by_path(captured[0].items("article"))
    again = by_path(replayed.items("article"))
    assert set(again) == set(live)
    for name, item in live.items():
        other = again[name]
        for key in ("url", "title", "published", "authors", "text", "outlet", "provenance"):
            assert other[key] == item[key], f"{name}: {key}"
        for key in ("status", "sha256", "warc", "offset", "record_id", "redirects"):
            assert other["fetch"][key] == item["fetch"][key], f"{name}: fetch.{key}"
        assert other["fetch"]["replayed"] is True
    stats = replayed.stats("article")
    assert "wiretrace/warc/records" not in stats, "replay writes no archive"
    assert stats["wiretrace/pages_skipped/http_404"] == 1
    assert stats.get("wiretrace/replay/misses", 0) == 0
