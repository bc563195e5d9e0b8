"""The WARC archive: what came off the wire is kept, marked for what it is, and read back.

Live crawls against a real HTTP server on 127.0.0.1; files checked with a second reader,
FastWARC (its own parser and digest checks), beside warcio which wrote them.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.reader import iter_responses, read_response
from crawler.archive.records import HttpExchange
from crawler.archive.writer import WarcFile
from tests.crawling import Served, row_counts, scrapy, serving
from tests.faults.hostile import HTML, article_html, articles

pytestmark = pytest.mark.slow  # real scrapy processes against a local server

PAGE = article_html("Une page coupée").encode()


def _warcs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.warc.gz"))


def _records(path: Path) -> list[tuple[str, dict[str, str], bytes]]:
    """(type, WARC headers, payload) of every record, as warcio reads them."""
    found = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            headers = dict(record.rec_headers.headers)
            found.append((record.rec_type, headers, record.content_stream().read()))
    return found


def _fastwarc_check(path: Path) -> list[str]:
    """Record types as FastWARC reads them, every block digest verified."""
    kinds = []
    with path.open("rb") as stream:
        for record in FastArchiveIterator(stream, parse_http=False):
            assert record.verify_block_digest(), f"{path}: bad block digest"
            kinds += [
                name for name in ("response", "request", "revisit", "warcinfo")
                if record.record_type == getattr(WarcRecordType, name)
            ]  # fmt: skip
    return kinds


def test_a_body_cut_short_is_archived_as_truncated_and_the_page_skipped(tmp_path: Path) -> None:
    cut = Served(PAGE[:3000], [("Content-Type", "text/html; charset=utf-8")], announce=10_660)
    with serving({"/cut.html": cut}) as base:
        run = scrapy(
            ["crawl", "article", "-a", f"urls={base}/cut.html"],
            tmp_path / "out",
            settings={
                "WIRETRACE_DB": tmp_path / "db.sqlite",
                "WIRETRACE_WARC_DIR": tmp_path / "warc",
                "RETRY_ENABLED": False,
            },
        )
    stats = run.stats()
    assert stats["wiretrace/pages_skipped/truncated"] == 1
    [warc] = _warcs(tmp_path / "warc")
    responses = [(h, body) for kind, h, body in _records(warc) if kind == "response"]
    [(headers, body)] = [(h, b) for h, b in responses if h["WARC-Target-URI"].endswith("/cut.html")]
    assert headers["WARC-Truncated"] == "disconnect"
    assert body == PAGE[:3000]  # exactly the bytes that came
    assert _fastwarc_check(warc).count("response") == len(responses)
    # Every member of the file is a whole gzip member (one record each).
    assert gzip.decompress(warc.read_bytes()).count(b"WARC/1.0\r\n") == len(_records(warc))


def test_a_full_disk_under_the_archive_stops_the_crawl_and_exits_non_zero(tmp_path: Path) -> None:
    pages = articles(12, words=4000)
    served = {f"/{p.name}.html": Served(p.body, list(HTML.items())) for p in pages}
    with serving(served) as base:
        urls = ",".join(f"{base}/{p.name}.html" for p in pages)
        run = scrapy(
            ["crawl", "article", "-a", f"urls={urls}"],
            tmp_path / "out",
            settings={
                "WIRETRACE_DB": "",
                "WIRETRACE_WARC_DIR": tmp_path / "warc",
                "CONCURRENT_REQUESTS": 1,
            },
            fsize=20 * 1024,
        )
    assert run.returncode == 1
    assert "Traceback" not in run.log
    [line] = [line for line in run.failure_lines if "the job failed" in line]
    assert "WARC archive could not be written" in line
    stats = run.stats()
    assert stats["finish_reason"] == "warc_error"
    assert stats["wiretrace/warc/errors"] >= 1
    # What was archived before the disk filled reads back whole; the record the full disk
    # cut short is the file's damaged tail, which readers skip.
    readable = [
        read_response(warc, entry.offset)
        for warc in _warcs(tmp_path / "warc")
        for entry in iter_responses(warc)
    ]
    assert readable and all(r.status for r in readable)


def test_one_damaged_gzip_member_costs_its_record_alone(tmp_path: Path) -> None:
    pages = articles(5)
    warc = tmp_path / "pages.warc.gz"
    file = WarcFile(warc, info={"software": "test"}, fsync=False)
    offsets = [
        file.write_exchange(
            HttpExchange(p.url, 200, [(b"Content-Type", b"text/html")], p.body)
        ).offset
        for p in pages
    ]
    file.close()
    data = bytearray(warc.read_bytes())
    data[offsets[2] + 300 : offsets[2] + 400] = bytes(100)  # a bad block mid-file
    warc.write_bytes(bytes(data))
    db = tmp_path / "db.sqlite"
    run = scrapy(
        ["crawl", "article", "-a", f"urls={','.join(p.url for p in pages)}"],
        tmp_path / "out",
        settings={"REPLAY_FROM": warc, "WIRETRACE_DB": db},
        feed=True,
    )
    stored = {item["url"] for item in run.items()}
    assert stored == {p.url for i, p in enumerate(pages) if i != 2}
    assert row_counts(db)["articles"] == 4
    [warning] = [line for line in run.log.splitlines() if "damaged WARC record" in line]
    assert warning.isprintable()  # no binary in the log
    assert all(line.isprintable() for line in run.log.splitlines())


def test_an_unchanged_page_fetched_again_is_a_revisit_that_replay_follows(tmp_path: Path) -> None:
    page = articles(1, words=3000)[0]
    warc_dir = tmp_path / "warc"
    db = tmp_path / "db.sqlite"
    with serving({"/a.html": Served(page.body, list(HTML.items()))}) as base:
        for crawl in ("first", "second"):
            run = scrapy(
                ["crawl", "article", "-a", f"urls={base}/a.html"],
                tmp_path / crawl,
                settings={"WIRETRACE_DB": db, "WIRETRACE_WARC_DIR": warc_dir},
            )
            assert run.returncode == 0, run.log[-2000:]
        url = f"{base}/a.html"
    first, second = _warcs(warc_dir)
    [original] = [
        h for kind, h, _ in _records(first) if kind == "response" and h["WARC-Target-URI"] == url
    ]
    [revisit] = [
        (h, body)
        for kind, h, body in _records(second)
        if kind == "revisit" and h["WARC-Target-URI"] == url
    ]
    headers, body = revisit
    assert headers["WARC-Refers-To"] == original["WARC-Record-ID"]
    assert headers["WARC-Profile"].endswith("/revisit/identical-payload-digest")
    assert headers["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
    assert page.body not in body and second.stat().st_size < len(page.body) // 2
    assert "revisit" in _fastwarc_check(second)
    assert run.stats("article")["wiretrace/warc/revisits"] == 2  # the page and robots.txt
    replayed = scrapy(
        [
            "crawl",
            "article",
            "-a",
            f"urls={url}",
            "-O",
            str(tmp_path / "replay" / "%(name)s.jsonl"),
        ],
        tmp_path / "replay",
        settings={"REPLAY_FROM": warc_dir, "WIRETRACE_DB": tmp_path / "replay.sqlite"},
    )
    [item] = replayed.items()
    assert page.keeps is not None and page.keeps in item["text"]
    assert item["fetch"]["record_id"] == headers["WARC-Record-ID"]  # the revisit it came from
