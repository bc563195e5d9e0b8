"""The WARC writer on its own: what it writes reads back with warcio, record by record."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.archive.reader import iter_responses, read_response
from crawler.archive.writer import RotatingWarcWriter, WarcFile, warcinfo
from tests.archive.helpers import exchange, records, sha1_b32

INFO = warcinfo(software="wiretrace-test", robots="obey", user_agent="wiretrace-test")


def test_a_file_opens_with_warcinfo_then_each_response_and_its_request(tmp_path: Path) -> None:
    file = WarcFile(tmp_path / "one.warc.gz", info=INFO)
    location = file.write_exchange(exchange(1))
    file.close()
    found = records(tmp_path / "one.warc.gz")
    assert [r["type"] for r in found] == ["warcinfo", "response", "request"]
    info = found[0]["payload"].decode()
    for line in ("software: wiretrace-test", "format: WARC File Format 1.0", "robots: obey",
                 "http-header-user-agent: wiretrace-test"):  # fmt: skip
        assert line in info
    assert found[0]["warc"]["WARC-Filename"] == "one.warc.gz"

    info_id = found[0]["warc"]["WARC-Record-ID"]
    response, request = found[1], found[2]
    assert location.warc == "one.warc.gz"
    assert location.offset == response["offset"]
    assert location.record_id == response["warc"]["WARC-Record-ID"]
    # The pair names each other and the file's warcinfo.
    assert request["warc"]["WARC-Concurrent-To"] == response["warc"]["WARC-Record-ID"]
    assert response["warc"]["WARC-Concurrent-To"] == request["warc"]["WARC-Record-ID"]
    assert response["warc"]["WARC-Warcinfo-ID"] == request["warc"]["WARC-Warcinfo-ID"] == info_id
    for record in (response, request):
        assert record["warc"]["WARC-Target-URI"] == "https://site.test/news/1.html?b=2&a=1"
        assert record["warc"]["WARC-Date"] == response["warc"]["WARC-Date"]
        assert record["warc"]["WARC-Date"].endswith("Z")


def test_response_record_keeps_status_headers_and_body_as_received(tmp_path: Path) -> None:
    body = gzip.compress(b"<html><body>compressed</body></html>")
    sent = exchange(
        2,
        body=body,
        status=404,
        response_headers=[(b"Content-Encoding", b"gzip"), (b"X-Odd", b"caf\xe9"),
                          (b"Set-Cookie", b"a=1"), (b"Set-Cookie", b"b=2")],
        ip_address="192.0.2.7",
    )  # fmt: skip
    file = WarcFile(tmp_path / "one.warc.gz", info=INFO)
    file.write_exchange(sent)
    file.close()
    response, request = records(tmp_path / "one.warc.gz")[1:]
    assert response["payload"] == body, "the body as it came, still gzip-encoded"
    assert response["warc"]["WARC-Payload-Digest"] == sha1_b32(body)
    assert response["warc"]["WARC-IP-Address"] == "192.0.2.7"
    assert response["http"].protocol == "HTTP/1.1"
    assert response["http"].get_statuscode() == "404"
    assert response["http"].headers == [
        ("Content-Encoding", "gzip"), ("X-Odd", "café"), ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
    ]  # fmt: skip
    # The request as sent: its line, Host first, then the headers the crawler set.
    assert request["http"].protocol == "GET"
    assert request["http"].statusline == "/news/2.html?b=2&a=1 HTTP/1.1"
    assert request["http"].headers[0] == ("Host", "site.test")
    assert ("User-Agent", "wiretrace-test") in request["http"].headers
    # Read back byte for byte, non-ASCII header value included (warcio alone would %-encode).
    again = read_response(tmp_path / "one.warc.gz", response["offset"])
    assert (again.status, again.body) == (404, body)
    assert (b"X-Odd", b"caf\xe9") in again.headers


def test_dechunked_body_does_not_keep_a_chunked_transfer_encoding(tmp_path: Path) -> None:
    sent = exchange(3, body=b"1\r\nx", response_headers=[(b"Transfer-Encoding", b"chunked")])
    file = WarcFile(tmp_path / "one.warc.gz", info=INFO)
    location = file.write_exchange(sent)
    file.close()
    again = read_response(tmp_path / "one.warc.gz", location.offset)
    assert again.body == b"1\r\nx", "a body that only looks chunked is not de-chunked"
    assert again.headers == [(b"X-Wiretrace-Transfer-Encoding", b"chunked")]


def test_offsets_point_at_their_own_record(tmp_path: Path) -> None:
    file = WarcFile(tmp_path / "many.warc.gz", info=INFO)
    locations = [file.write_exchange(exchange(n)) for n in range(20)]
    file.close()
    for n, location in enumerate(locations):
        with (tmp_path / "many.warc.gz").open("rb") as stream:
            stream.seek(location.offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Record-ID") == location.record_id
            assert record.content_stream().read() == exchange(n).body
    listed = list(iter_responses(tmp_path / "many.warc.gz"))
    assert [(e.offset, e.record_id) for e in listed] == [
        (loc.offset, loc.record_id) for loc in locations
    ]


def test_each_record_is_its_own_gzip_member(tmp_path: Path) -> None:
    file = WarcFile(tmp_path / "one.warc.gz", info=INFO)
    location = file.write_exchange(exchange(1))
    file.close()
    data = (tmp_path / "one.warc.gz").read_bytes()
    # A member starts where the response record starts: decompressing from there works alone.
    assert data[location.offset : location.offset + 2] == b"\x1f\x8b"
    assert gzip.decompress(data[location.offset :]).startswith(b"WARC/1.0\r\nWARC-")


def test_rotation_starts_a_new_file_once_one_is_big_enough(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path / "warc", info=INFO, max_bytes=4000)
    # 2.5 kB of random bytes each: gzip cannot shrink them, so two exchanges pass 4 kB.
    bodies = [random.Random(n).randbytes(2500) for n in range(6)]
    locations = [writer.write_exchange(exchange(n, body=body)) for n, body in enumerate(bodies)]
    writer.close()
    files = sorted((tmp_path / "warc").glob("*.warc.gz"))  # beside them: the captures list
    assert len(files) == writer.files >= 3
    assert {loc.warc for loc in locations} == {f.name for f in files}
    for path in files:
        assert path.name.startswith("wiretrace-") and path.name.endswith(".warc.gz")
        found = records(path)
        assert found[0]["type"] == "warcinfo", f"{path.name} opens with warcinfo"
        assert found[0]["warc"]["WARC-Filename"] == path.name
        # Rotation happens between exchanges: a file holds whole request/response pairs, and
        # is over the limit only by the last one.
        assert [r["type"] for r in found[1:]] == ["response", "request"] * ((len(found) - 1) // 2)
        without_last_pair = found[-2]["offset"]
        assert without_last_pair < 4000
    assert writer.records == sum(len(records(p)) for p in files) == 6 * 2 + len(files)
    assert writer.bytes == sum(p.stat().st_size for p in files)


def test_nothing_is_written_before_the_first_record(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path / "warc", info=INFO, max_bytes=0)
    writer.close()
    assert not (tmp_path / "warc").exists()
    assert (writer.files, writer.records, writer.bytes) == (0, 0, 0)


def test_two_writers_in_one_process_never_share_a_file(tmp_path: Path) -> None:
    # `scrapy crawlall`: one writer per spider, same folder, same pid, same second.
    first = RotatingWarcWriter(tmp_path, info=INFO)
    second = RotatingWarcWriter(tmp_path, info=INFO)
    a = first.write_exchange(exchange(1))
    b = second.write_exchange(exchange(2))
    first.close()
    second.close()
    assert a.warc != b.warc
    assert len(list(tmp_path.glob("*.warc.gz"))) == 2
