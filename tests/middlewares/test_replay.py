"""Replay answers from saved pages and never from the network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.replay import ReplayMiddleware
from crawler.replay import FixtureSource


def save(
    root: Path, name: str, url: str, body: bytes | None, status: int = 200, **headers: str
) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    meta: dict = {"url": url, "status": status, "headers": {"Content-Type": "text/html", **headers}}
    if body is not None:
        (folder / "body.html").write_bytes(body)
        meta["body"] = "body.html"
    (folder / "response.json").write_text(json.dumps(meta))


def middleware(root: Path) -> tuple[ReplayMiddleware, dict]:
    crawler = get_crawler(settings_dict={"REPLAY_FROM": str(root)})
    crawler.stats.open_spider()
    return ReplayMiddleware.from_crawler(crawler), crawler.stats


def test_saved_page_is_served_with_its_status_headers_and_a_replayed_flag(tmp_path: Path) -> None:
    save(tmp_path, "a", "https://site.test/a/1.html?b=2&a=1", b"<html><body>hi</body></html>")
    mw, stats = middleware(tmp_path)
    # The query order and the fragment do not matter: URLs match canonicalised.
    response = mw.process_request(Request("https://site.test/a/1.html?a=1&b=2#top"))
    assert isinstance(response, HtmlResponse)
    assert response.status == 200 and response.body == b"<html><body>hi</body></html>"
    assert "replayed" in response.flags
    assert stats.get_value("wiretrace/replay/hits") == 1


def test_a_page_that_was_not_saved_is_a_counted_miss_never_a_download(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    save(tmp_path, "a", "https://site.test/a", b"x")
    mw, stats = middleware(tmp_path)
    with pytest.raises(IgnoreRequest, match="replay miss"):
        mw.process_request(Request("https://site.test/elsewhere"))
    assert stats.get_value("wiretrace/replay/misses") == 1
    assert "no saved page for https://site.test/elsewhere" in caplog.text


def test_missing_robots_txt_replays_as_absent(tmp_path: Path) -> None:
    save(tmp_path, "a", "https://site.test/a", b"x")
    mw, _ = middleware(tmp_path)
    response = mw.process_request(Request("https://site.test/robots.txt"))
    assert response is not None and response.status == 404


def test_empty_bodies_and_error_statuses_replay_as_saved(tmp_path: Path) -> None:
    save(tmp_path, "empty", "https://site.test/empty", None)
    save(tmp_path, "gone", "https://site.test/gone", b"<html>404</html>", status=404)
    mw, _ = middleware(tmp_path)
    assert mw.process_request(Request("https://site.test/empty")).body == b""
    assert mw.process_request(Request("https://site.test/gone")).status == 404


def test_local_files_are_read_directly_even_in_replay(tmp_path: Path) -> None:
    save(tmp_path, "a", "https://site.test/a", b"x")
    mw, _ = middleware(tmp_path)
    assert mw.process_request(Request((tmp_path / "a" / "body.html").as_uri())) is None


def test_off_unless_replay_from_is_set() -> None:
    with pytest.raises(NotConfigured):
        ReplayMiddleware.from_crawler(get_crawler())


def test_a_url_saved_twice_is_an_error(tmp_path: Path) -> None:
    save(tmp_path, "a", "https://site.test/a", b"x")
    save(tmp_path, "b", "https://site.test/a", b"y")
    with pytest.raises(ValueError, match="saved twice"):
        FixtureSource(tmp_path)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="REPLAY_FROM"):
        FixtureSource(tmp_path / "nope")
