"""Replay from WARC: ``REPLAY_FROM`` names a WARC file or a folder of them, and the replay
middleware serves their response records as it serves fixtures."""

from __future__ import annotations

import gzip
import json
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive.location import META_KEY
from crawler.archive.writer import RotatingWarcWriter, WarcFile, warcinfo
from crawler.middlewares.replay import ReplayMiddleware
from crawler.replay import FixtureSource, WarcSource, open_source
from tests.archive.helpers import exchange

INFO = warcinfo(software="wiretrace-test", robots="obey")


def write(path: Path, *exchanges: object) -> list:
    path.parent.mkdir(parents=True, exist_ok=True)
    file = WarcFile(path, info=INFO)
    locations = [file.write_exchange(e) for e in exchanges]  # type: ignore[arg-type]
    file.close()
    return locations


def test_open_source_picks_warc_for_warc_files_and_folders_of_them(tmp_path: Path) -> None:
    write(tmp_path / "warc" / "one.warc.gz", exchange(1))
    assert isinstance(open_source(tmp_path / "warc"), WarcSource)
    assert isinstance(open_source(tmp_path / "warc" / "one.warc.gz"), WarcSource)
    fixtures = tmp_path / "fixtures" / "a"
    fixtures.mkdir(parents=True)
    (fixtures / "response.json").write_text(json.dumps({"url": "https://site.test/a"}))
    assert isinstance(open_source(tmp_path / "fixtures"), FixtureSource)
    # A fixtures folder that also holds a packed WARC is still a fixtures folder.
    shutil.copy(tmp_path / "warc" / "one.warc.gz", tmp_path / "fixtures")
    assert isinstance(open_source(tmp_path / "fixtures"), FixtureSource)
    with pytest.raises(FileNotFoundError, match="REPLAY_FROM"):
        open_source(tmp_path / "missing.warc.gz")


def test_urls_match_canonicalised_and_bodies_are_read_when_asked(tmp_path: Path) -> None:
    (location,) = write(tmp_path / "one.warc.gz", exchange(1))
    source = WarcSource(tmp_path / "one.warc.gz")
    assert len(source) == 1
    saved = source.get("https://site.test/news/1.html?a=1&b=2#top")
    assert saved is not None
    assert saved.status == 200 and saved.body() == exchange(1).body
    assert saved.headers[b"Set-Cookie"] == [b"a=1", b"b=2"], "repeated headers all kept"
    assert saved.location == location
    assert source.get("https://site.test/news/2.html") is None


def test_the_last_capture_of_a_url_wins_across_files_and_within_one(tmp_path: Path) -> None:
    folder = tmp_path / "warc"
    writer = RotatingWarcWriter(folder, info=INFO, max_bytes=1)  # one exchange per file
    writer.write_exchange(exchange(1, body=b"first"))
    writer.write_exchange(exchange(1, body=b"second"))
    writer.close()
    write(folder / "zz-later.warc.gz", exchange(2, body=b"old"), exchange(2, body=b"new"))
    source = WarcSource(folder)
    first = source.get(exchange(1).url)
    second = source.get(exchange(2).url)
    assert first is not None and second is not None
    assert first.body() == b"second"
    assert second.body() == b"new"
    assert second.location.warc == "zz-later.warc.gz"


def test_chunked_payloads_from_other_tools_are_dechunked(tmp_path: Path) -> None:
    # Tools that archive the wire bytes keep the chunk framing; Scrapy never sees it.
    path = tmp_path / "other.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
            protocol="HTTP/1.1",
        )  # fmt: skip
        payload = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        record = writer.create_warc_record(
            "<https://site.test/c>", "response", payload=BytesIO(payload),
            length=len(payload), http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)
    saved = WarcSource(path).get("https://site.test/c")
    assert saved is not None
    assert saved.body() == b"hello world"
    assert b"Transfer-Encoding" not in saved.headers


def test_replay_middleware_names_the_record_a_response_came_from(tmp_path: Path) -> None:
    body = gzip.compress(b"<html><body>zipped</body></html>")
    sent = exchange(1, body=body, response_headers=[(b"Content-Type", b"text/html"),
                                                    (b"Content-Encoding", b"gzip")])  # fmt: skip
    (location,) = write(tmp_path / "one.warc.gz", sent)
    crawler = get_crawler(settings_dict={"REPLAY_FROM": str(tmp_path / "one.warc.gz")})
    crawler.stats.open_spider()
    mw = ReplayMiddleware.from_crawler(crawler)
    request = Request(exchange(1).url, meta={META_KEY: {"warc": "stale"}})
    response = mw.process_request(request)
    assert response is not None
    assert response.body == body, "still encoded: HttpCompression decodes it as it would live"
    assert response.headers[b"Content-Encoding"] == b"gzip"
    assert request.meta[META_KEY] == location.as_meta()
