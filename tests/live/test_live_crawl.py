"""Live crawling, for real: the production spiders crawl over HTTP, from a local server.

``tests/liveserver.py`` serves the saved fixture pages at the outlets' own hosts and paths on
127.0.0.1, and ``WIRETRACE_HOST_MAP`` points the outlets' hosts at it, so every URL the crawl
sees is the outlet's. Nothing is replayed: Scrapy's downloader, robots.txt, retry, redirect and
timeout handling and AutoThrottle all run as they do against the outlets. Three crawls:

- ``outlets``: ``scrapy crawlall cvn lagazette leplacentin`` from the seeds, with a robots.txt
  that forbids one linked article, a seed article that answers 503 twice, and a linked
  article that always answers 500;
- ``edges``: ``scrapy crawl cvn`` on three start URLs with ``DOWNLOAD_TIMEOUT=1`` and
  ``RETRY_TIMES=1``: an old URL that 301-redirects to a seed article, a seed article whose first
  answer is too slow, and a page that is always too slow;
- ``replayed``: one seed article replayed from the fixtures, to compare modes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler import settings as project_settings
from tests.crawling import (
    CVN_001,
    CVN_003,
    FIXTURES,
    OUTLET_HOSTS,
    Run,
    enabled_extensions,
    fixture_cases,
    scrapy,
)
from tests.liveserver import LiveServer, Received

pytestmark = pytest.mark.slow  # real scrapy processes against the local server

SPIDERS = ["cvn", "lagazette", "leplacentin"]

GAZETTE_002 = "https://lagazetteaz.fr/news/linfodeaaz/15211.html"

#: Linked from both CVN seed articles ("related" links); robots.txt forbids it.
FORBIDDEN = "https://lecourrier.vn/le-dirigeant-surpeme-de-la-rpdc-se-rend-en-russie/1205120.html"
#: Linked from Le Placentin's section page; the server answers 500 every time.
BROKEN = "https://leplacentin.fr/news-details/g20-de-new-delhi-une-declaration-commune-adoptee-par-consensus"
#: An old address of CVN seed 001 that now redirects there (the slug is invented).
OLD_URL = "https://lecourrier.vn/poutine-et-kim-jong-un-au-cosmodrome/1205536.html"
#: A CVN article (unsaved) that always answers too late for DOWNLOAD_TIMEOUT=1.
ALWAYS_SLOW = "https://lecourrier.vn/la-rpdc-lance-son-premier-sous-marin-nucleaire-tactique-dattaque/1203987.html"

ROBOTS = f"User-agent: *\nDisallow: {FORBIDDEN.removeprefix('https://lecourrier.vn')}\n"

Crawl = tuple[Run, LiveServer]


@pytest.fixture(scope="module")
def outlets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    work = tmp_path_factory.mktemp("live")
    with LiveServer() as server:
        server.robots("lecourrier.vn", ROBOTS)
        server.fail(GAZETTE_002, times=2, status=503)
        server.set_page(BROKEN, "<html><body>Internal Server Error</body></html>", status=500)
        result = scrapy(
            ["crawlall", *SPIDERS], work / "out", work / "wiretrace.sqlite", live=server,
            feed=True,
        )  # fmt: skip
        yield result, server


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    work = tmp_path_factory.mktemp("live-edges")
    with LiveServer() as server:
        server.redirect(OLD_URL, CVN_001, status=301)
        server.delay(CVN_003, 3, times=1)  # the first answer comes after the timeout
        server.delay(ALWAYS_SLOW, 3)
        start = f"start_urls={OLD_URL},{CVN_003},{ALWAYS_SLOW}"
        result = scrapy(
            ["crawl", "cvn", "-a", start, "-a", "follow=0"],
            work / "out",
            work / "wiretrace.sqlite",
            live=server,
            feed=True,
            settings={"DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1},
        )
        yield result, server


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Run:
    work = tmp_path_factory.mktemp("replayed")
    return scrapy(
        ["crawl", "cvn", "-a", f"start_urls={CVN_001}", "-a", "follow=0"],
        work / "out",
        work / "wiretrace.sqlite",
        feed=True,
        replay=FIXTURES,
    )


def expected_items(spider: str) -> dict[str, tuple[dict[str, Any], Path]]:
    """The seed articles a replay crawl of ``spider`` yields: item and body file, by URL."""
    return {
        case.url: (case.expected["item"], case.folder / case.response["body"])
        for case in fixture_cases("article")
        if case.folder.parent == FIXTURES / spider
    }


def error_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if " ERROR: " in line or "Traceback" in line]


# -- the outlets, crawled live from their seeds -------------------------------------------


def test_live_crawl_exits_cleanly(outlets: Crawl) -> None:
    result, _ = outlets
    assert result.returncode == 0, result.log[-3000:]
    # The one expected ERROR: Scrapy gives up on the page that always answers 500.
    errors = error_lines(result.log)
    assert len(errors) == 1 and "Gave up retrying" in errors[0] and BROKEN in errors[0], errors


@pytest.mark.parametrize("spider", SPIDERS)
def test_live_crawl_scrapes_the_same_seed_articles_as_replay(outlets: Crawl, spider: str) -> None:
    result, _ = outlets
    items = {item["url"]: item for item in result.items(spider)}
    expected = expected_items(spider)
    assert set(items) == set(expected)
    for url, (fields, body_file) in expected.items():
        item = items[url]
        for key in ("title", "canonical_url", "published", "authors", "language", "text"):
            assert item[key] == fields[key], f"{url}: {key}"
        for key in ("chain", "basis", "cited", "media"):
            if key in fields["provenance"]:
                assert item["provenance"][key] == fields["provenance"][key], f"{url}: {key}"
        fetch = item["fetch"]
        assert fetch["replayed"] is False
        assert fetch["status"] == 200
        assert fetch["redirects"] == []
        # The very bytes that were saved came over HTTP.
        assert fetch["sha256"] == hashlib.sha256(body_file.read_bytes()).hexdigest()


@pytest.mark.parametrize("spider", SPIDERS)
def test_live_crawl_follows_pagination_and_skips_what_is_not_an_article(
    outlets: Crawl, spider: str
) -> None:
    stats = outlets[0].stats(spider)
    assert stats["wiretrace/listing_pages"] >= 2, "section page and its second page"
    assert stats["wiretrace/pages_skipped/not_article"] >= 1, "the video page"
    assert stats["wiretrace/pages_skipped/http_404"] >= 1, "the deleted article, unsaved pages"
    assert "wiretrace/replay/hits" not in stats and "wiretrace/replay/misses" not in stats


def test_only_the_outlets_hosts_were_asked_and_under_their_own_names(outlets: Crawl) -> None:
    result, server = outlets
    for spider in SPIDERS:
        stats = result.stats(spider)
        assert "wiretrace/host_map/refused" not in stats, "a request for an unmapped host"
        assert stats["wiretrace/host_map/mapped"] == stats["downloader/response_count"]
    hosts = {r.headers["host"] for r in server.requests}
    assert hosts == set(OUTLET_HOSTS), "the Host header names the outlet, not the server"
    assert "host map: downloading lagazetteaz.fr → http://127.0.0.1:" in result.log


def test_robots_txt_is_fetched_once_per_host_and_obeyed(outlets: Crawl) -> None:
    result, server = outlets
    for host in OUTLET_HOSTS:
        assert server.count(f"https://{host}/robots.txt") == 1, host
    assert server.count(FORBIDDEN) == 0, "robots.txt forbids it: never requested"
    stats = result.stats("cvn")
    assert stats["robotstxt/forbidden"] == 1
    assert "robotstxt/forbidden" not in result.stats("lagazette"), "no robots.txt: all allowed"


def test_503_twice_then_200_is_retried_and_scraped(outlets: Crawl) -> None:
    result, server = outlets
    stats = result.stats("lagazette")
    assert server.count(GAZETTE_002) == 3
    assert stats["retry/count"] == 2
    assert stats["retry/reason_count/503 Service Unavailable"] == 2
    assert "retry/max_reached" not in stats
    assert GAZETTE_002 in {item["url"] for item in result.items("lagazette")}


def test_500_every_time_is_skipped_after_scrapys_retries(outlets: Crawl) -> None:
    result, server = outlets
    stats = result.stats("leplacentin")
    assert server.count(BROKEN) == 3, "the request and Scrapy's 2 retries (RETRY_TIMES)"
    assert stats["retry/count"] == 2
    assert stats["retry/max_reached"] == 1
    assert stats["wiretrace/pages_skipped/http_500"] == 1
    assert f"skipped {BROKEN}: http 500" in result.log


def test_every_request_carries_the_projects_user_agent(outlets: Crawl, edges: Crawl) -> None:
    agent = project_settings.USER_AGENT
    assert agent.startswith("wiretrace/")
    received: list[Received] = outlets[1].requests + edges[1].requests
    assert len(received) > 40
    assert {r.user_agent for r in received} == {agent}


# -- AutoThrottle: on live, off in replay -------------------------------------------------


def test_autothrottle_is_on_for_live_crawls_and_paces_each_outlet(outlets: Crawl) -> None:
    result, _ = outlets
    assert "scrapy.extensions.throttle.AutoThrottle" in enabled_extensions(result.log)
    # AutoThrottle's own log lines (AUTOTHROTTLE_DEBUG): one slot per outlet host, not one
    # for the local server, so politeness is per outlet exactly as in production.
    for host in OUTLET_HOSTS:
        assert f"[scrapy.extensions.throttle] INFO: slot: {host} | conc:" in result.log, host
    assert "slot: 127.0.0.1" not in result.log


def test_autothrottle_is_off_for_replay(replayed: Run) -> None:
    assert replayed.returncode == 0, replayed.log[-3000:]
    assert "scrapy.extensions.throttle.AutoThrottle" not in enabled_extensions(replayed.log)
    (item,) = replayed.items("cvn")
    assert item["fetch"]["replayed"] is True
    assert item["fetch"]["redirects"] == []


# -- redirects and timeouts ---------------------------------------------------------------


def test_edge_crawl_exits_cleanly(edges: Crawl) -> None:
    result, _ = edges
    assert result.returncode == 0, result.log[-3000:]
    errors = error_lines(result.log)
    assert len(errors) == 1 and "Gave up retrying" in errors[0], errors
    assert ALWAYS_SLOW in errors[0]


def test_a_redirect_is_followed_and_recorded_in_the_item(edges: Crawl) -> None:
    result, server = edges
    items = {item["url"]: item for item in result.items("cvn")}
    assert OLD_URL not in items
    item = items[CVN_001]
    assert item["fetch"]["redirects"] == [OLD_URL]
    assert item["fetch"]["status"] == 200
    assert item["text"] == expected_items("cvn")[CVN_001][0]["text"]
    stats = result.stats("cvn")
    assert stats["downloader/response_status_count/301"] == 1
    assert server.count(OLD_URL) == 1 and server.count(CVN_001) == 1


def test_a_slow_answer_times_out_and_is_retried(edges: Crawl) -> None:
    result, server = edges
    items = {item["url"]: item for item in result.items("cvn")}
    assert server.count(CVN_003) == 2, "timed out once, then answered"
    assert items[CVN_003]["fetch"]["redirects"] == []
    assert items[CVN_003]["text"] == expected_items("cvn")[CVN_003][0]["text"]


def test_a_page_that_is_always_too_slow_ends_as_a_download_error(edges: Crawl) -> None:
    result, server = edges
    stats = result.stats("cvn")
    assert server.count(ALWAYS_SLOW) == 2, "the request and one retry (RETRY_TIMES=1)"
    # One timeout retried for each slow page; the always-slow one then gives up.
    assert stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] == 2
    assert stats["retry/max_reached"] == 1
    assert stats["wiretrace/pages_skipped/download_error"] == 1
    assert f"skipped {ALWAYS_SLOW}: download error (DownloadTimeoutError" in result.log
    assert {item["url"] for item in result.items("cvn")} == {CVN_001, CVN_003}
