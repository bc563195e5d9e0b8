"""The publisher of a page is the registry entry whose site it is, else its registered domain;
a canonical URL never makes a page another outlet's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, Fetch
from crawler.middlewares.revisits import RevisitsMiddleware
from crawler.pipelines.extract import ExtractPipeline
from crawler.pipelines.provenance import ProvenancePipeline
from crawler.publisher import publisher_of, registered_domain, site_owner
from crawler.spiders.article import ArticleSpider
from crawler.spiders.cvn import CvnSpider
from crawler.storage import open_store

CVN_ARTICLE = "https://lecourrier.vn/un-article-repris/1205100.html"
BODY = " ".join(["Le texte de l'article compte assez de mots pour un vrai paragraphe."] * 6)


def article_html(canonical: str | None = None, credit: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<html lang="fr"><head><title>Un titre</title>
      <meta property="og:type" content="article">{link}</head>
      <body><article><h1>Un titre</h1><p>{BODY}</p><p>{BODY}</p>{credit}</article></body></html>"""


def crawled(url: str, html: str) -> dict[str, Any]:
    """The item the generic spider and the extract and provenance pipelines make of a page."""
    crawler = get_crawler(ArticleSpider)
    crawler.stats.open_spider()
    spider = ArticleSpider.from_crawler(crawler, urls=url)
    crawler.spider = spider
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))
    (item,) = list(spider.parse(response))
    item = ProvenancePipeline().process_item(
        ExtractPipeline.from_crawler(crawler).process_item(item)
    )
    return ItemAdapter(item).asdict()


@pytest.mark.parametrize(
    ("url", "publisher"),
    [
        ("https://lecourrier.vn/x/1.html", "cvn"),
        ("https://tass.com/world/1", "tass"),
        ("https://tass.ru/politika/1", "tass"),
        ("https://www.rt.com/news/1", "rt"),
        ("https://de.rt.com/international/1", "rt"),  # a language subdomain
        ("https://fr.sputniknews.africa/20240101/x.html", "sputnik"),  # a country domain's
        ("https://sputnikglobe.com/2024/x.html", "sputnik"),
        ("https://www.aa.com.tr/fr/monde/x/1", "anadolu"),
        ("https://www.ansa.it/sito/notizie/x.html", "ansa"),
        # VNA's online paper is an outlet of its own in the registry, as CVN is.
        ("https://fr.vietnamplus.vn/x/1.vnp", "vietnamplus"),
        ("https://www.vietnam.vn/fr/x", "vietnam.vn"),  # no entry: the registered domain
        ("https://news.bbc.co.uk/a", "bbc"),
        ("https://notrt.com/a", "notrt.com"),  # a site whose name ends like one is not it
        ("http://localhost:8080/a", "localhost"),
    ],
)
def test_a_registry_site_is_its_entry_else_the_registered_domain(url: str, publisher: str) -> None:
    assert publisher_of(url) == publisher


def test_hosts_resolve_to_the_longest_listed_domain() -> None:
    assert site_owner("FR.SputnikNews.Africa.") == "sputnik"
    assert site_owner("example.org") is None
    assert registered_domain("file:///tmp/a.html") is None
    assert registered_domain("ftp://tass.com/a") is None


def test_a_page_with_no_web_address_is_named_from_its_canonical_url() -> None:
    assert publisher_of("file:///tmp/a.html", ["https://lecourrier.vn/a/1.html"]) == "cvn"
    assert publisher_of("file:///tmp/a.html", [None, "/relative", "https://x.example.org/a"]) == (
        "example.org"
    )
    assert publisher_of("file:///tmp/a.html") is None


def test_a_canonical_url_never_makes_a_page_another_outlets() -> None:
    assert publisher_of("https://www.example.org/a", [CVN_ARTICLE]) == "example.org"


def test_the_generic_spider_names_an_outlets_page_by_its_registry_id() -> None:
    item = crawled("https://lecourrier.vn/un-article/1205001.html", article_html())
    assert item["outlet"] == "cvn"
    assert item["provenance"]["chain"] == [["cvn"]]


def test_an_agencys_own_site_is_the_agency_and_its_own_reporting() -> None:
    item = crawled("https://tass.com/world/1700000", article_html(credit="<p>TASS</p>"))
    assert item["outlet"] == "tass"
    assert item["provenance"]["chain"][-1] == ["tass"]


def test_a_reprint_is_the_reprinting_sites_copy_and_keeps_the_credit_it_states() -> None:
    credit = '<p class="credit">Xinhua/VNA/CVN</p>'
    item = crawled("https://www.example.org/reprise", article_html(CVN_ARTICLE, credit))
    assert item["outlet"] == "example.org"
    assert item["canonical_url"] == CVN_ARTICLE, "the page's claim is kept, as a claim"
    assert item["provenance"]["chain"][-1] == ["example.org"]


def test_a_reprint_does_not_make_the_original_known_to_its_outlets_crawl(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    store = open_store(db)
    store.save_article(
        ArticleItem(
            url="https://www.example.org/reprise",
            outlet="example.org",
            canonical_url=CVN_ARTICLE,
            fetch=Fetch(datetime.now(UTC).isoformat(), 200, "0" * 64, False),
            title="Un titre",
            text=BODY,
        )
    )
    assert store.known(CVN_ARTICLE), "without an outlet, any canonical URL counts"
    assert not store.known(CVN_ARTICLE, "cvn")
    assert store.known(CVN_ARTICLE, "example.org")
    store.close()

    crawler = get_crawler(CvnSpider, {"WIRETRACE_DB": str(db), "WIRETRACE_INCREMENTAL": True})
    crawler.stats.open_spider()
    spider = CvnSpider.from_crawler(crawler)
    crawler.spider = spider
    revisits = RevisitsMiddleware.from_crawler(crawler)
    section = "https://lecourrier.vn/international/74.cvn"
    listing = HtmlResponse(
        section,
        body=f'<html><body><a href="{CVN_ARTICLE}">x</a></body></html>'.encode(),
        encoding="utf-8",
        request=Request(section),
    )
    followed = revisits.process_spider_output(listing, spider.parse(listing))
    assert CVN_ARTICLE in [r.url for r in followed]
    assert not crawler.stats.get_value("wiretrace/known_skipped")
    revisits._close()
