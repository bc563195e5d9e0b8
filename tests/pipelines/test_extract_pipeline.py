"""The extract pipeline: trafilatura logs no finer than the crawl does; every page handed
over is read and skipped only without article text; an outlet profile that misses is read
the generic way, counted, and warned about at the end."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.commands.preflight import problems
from crawler.pipelines.extract import ExtractPipeline
from crawler.pipelines.provenance import ProvenancePipeline
from crawler.spiders.article import ArticleSpider
from crawler.spiders.cvn import CvnSpider


@pytest.fixture(autouse=True)
def restore_level() -> Iterator[None]:
    logger = logging.getLogger("trafilatura")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.mark.parametrize(("setting", "level"), [("INFO", logging.INFO), ("DEBUG", logging.DEBUG)])
def test_trafilatura_logs_at_the_crawls_level(setting: str, level: int) -> None:
    ExtractPipeline.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": setting}))
    assert logging.getLogger("trafilatura").level == level
    assert not logging.getLogger("trafilatura.core").isEnabledFor(level - 1)


# -- every page handed over is read; only pages without article text are skipped ---------

PARAGRAPHS = [
    "Le conseil municipal a voté jeudi soir le budget de l'année prochaine, après un long débat.",
    "L'opposition a dénoncé une hausse des dépenses de fonctionnement, que la majorité défend.",
    "Le maire a promis de présenter un plan d'économies au printemps, sans préciser son montant.",
]


def marker_less_page(url: str, paragraphs: list[str]) -> HtmlResponse:
    """A news page as many real ones are: no og:type, no article:published_time, no JSON-LD."""
    html = (
        "<html lang='fr'><head><title>Le budget voté</title></head><body>"
        "<nav><a href='/'>Accueil</a> <a href='/ville'>Ville</a></nav>"
        "<div class='main'><h1>Le budget voté</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</div><footer>Mentions légales</footer></body></html>"
    )
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))


def crawl_one(
    spidercls: type[Any], response: HtmlResponse, settings: dict[str, Any] | None = None
) -> tuple[list[Any], Crawler]:
    crawler = get_crawler(spidercls, settings or {})
    crawler.stats.open_spider()
    spider = spidercls.from_crawler(crawler, start_urls=response.url, follow="0")
    crawler.spider = spider
    pipeline = ExtractPipeline.from_crawler(crawler)
    kept = []
    for output in spider.parse(response):
        try:
            kept.append(pipeline.process_item(output))
        except DropItem:
            continue
    return kept, crawler


def test_a_page_without_article_markers_is_read_as_an_article() -> None:
    url = "https://www.ville-infos.test/2024/05/le-budget-vote"
    (item,) = crawl_one(ArticleSpider, marker_less_page(url, PARAGRAPHS))[0]
    assert item.text == "\n".join(PARAGRAPHS)
    assert item.title == "Le budget voté"


def test_a_page_without_article_text_is_skipped_with_its_reason_counted() -> None:
    url = "https://www.ville-infos.test/videos/le-budget-vote"
    items, crawler = crawl_one(ArticleSpider, marker_less_page(url, ["Regardez la vidéo."]))
    assert items == []
    assert crawler.stats.get_value("wiretrace/pages_skipped/not_article") == 1


def test_the_least_article_text_is_a_setting() -> None:
    url = "https://www.ville-infos.test/2024/05/le-budget-vote"
    response = marker_less_page(url, PARAGRAPHS)
    items, crawler = crawl_one(ArticleSpider, response, {"WIRETRACE_MIN_WORDS": 500})
    assert items == [] and crawler.stats.get_value("wiretrace/pages_skipped/not_article") == 1
    assert crawl_one(ArticleSpider, response, {"WIRETRACE_MIN_WORDS": 0})[0]


@pytest.mark.parametrize("value", [-1, "many"])
def test_a_least_article_text_that_cannot_work_is_refused_before_the_crawl(value: object) -> None:
    """One line naming the setting, from the checks the crawl commands run before starting
    (they print it and exit 1); never a crawl that goes on without its extraction."""
    (line,) = problems(Settings({"WIRETRACE_MIN_WORDS": value}))
    assert line.startswith("WIRETRACE_MIN_WORDS: ")


def test_an_outlet_page_its_profile_misses_is_read_counted_and_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = "https://lecourrier.vn/le-budget-vote/1200002.html"
    items, crawler = crawl_one(CvnSpider, marker_less_page(url, [*PARAGRAPHS, "Xinhua/VNA/CVN"]))
    (item,) = items
    assert item.text == "\n".join(PARAGRAPHS)
    assert "body" in item.fallback_fields and "title" in item.fallback_fields
    assert crawler.stats.get_value("wiretrace/profile/body/miss") == 1
    assert crawler.stats.get_value("wiretrace/profile/article/miss") == 1
    with caplog.at_level(logging.WARNING):
        ExtractPipeline.from_crawler(crawler).close_spider()
    assert (
        "profile cvn: body missed on 1 of 1 articles; fix [unverified.selectors] body"
        in caplog.messages
    )
    assert not any("authors" in line for line in caplog.messages), "authors is optional on cvn"


def test_the_generic_spiders_text_is_the_body_and_the_cut_lines_still_make_the_chain() -> None:
    """A French article saved as a page with its headline, a photo caption and a final
    ``(AFP)`` line in the body container, as trafilatura reads them."""
    url = "https://www.ville-infos.test/2024/05/le-budget-vote"
    paragraphs = [
        "Le budget voté",
        PARAGRAPHS[0],
        "Le maire lors du conseil municipal, jeudi. Photo : Reuters",
        *PARAGRAPHS[1:],
        "(AFP)",
    ]
    (item,) = crawl_one(ArticleSpider, marker_less_page(url, paragraphs))[0]
    assert item.text == "\n".join(PARAGRAPHS)
    ProvenancePipeline().process_item(item)
    assert item.provenance.chain == [["afp"], ["ville-infos.test"]]
    assert item.provenance.basis == "credit_line"
    assert item.provenance.media[0]["chain"][0] == ["reuters"]
