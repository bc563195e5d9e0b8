"""Everything the report shows, read once from the store through its interface.

The store is read, never written: the report of a database a crawl is filling shows the
articles committed when it started (SQLite's WAL lets a reader run beside the writer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crawler.commands.provenance import chain_text
from crawler.progress import progress
from crawler.registry import Registry
from crawler.report import model
from crawler.storage import Store


@dataclass
class Article:
    """One stored article with what its page needs."""

    key: str  # file name of its page (see model.page_key)
    url: str
    item: dict[str, Any]  # the latest item as scraped, with first_seen/last_seen
    record: dict[str, Any]  # Store.provenance()'s record: chain, basis, evidence, version_id
    versions: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)  # reuse pairs naming it
    stories: list[int] = field(default_factory=list)  # numbers of the stories it is in
    origin: str = model.OWN
    day: str | None = None
    week: str | None = None

    @property
    def outlet(self) -> str:
        return str(self.record.get("outlet") or self.item.get("outlet") or "")

    @property
    def chain(self) -> list[list[str]]:
        return list(self.record.get("chain") or [])

    @property
    def text(self) -> str:
        """The latest version's text (reuse offsets point into it), else the item's."""
        for version in reversed(self.versions):
            if version.get("id") == self.record.get("version_id"):
                return str(version.get("text") or "")
        return str(self.item.get("text") or "")


@dataclass
class ReportData:
    articles: list[Article]
    stories: list[list[Article]]
    registry: Registry

    def by_url(self) -> dict[str, Article]:
        return {a.url: a for a in self.articles}


def collect(
    store: Store,
    registry: Registry,
    *,
    with_stories: bool = True,
) -> ReportData:
    """Read the store: every article's latest item and provenance, its versions, the
    reuse pairs, and (``with_stories``) the stories ``scrapy stories`` finds with its
    default window and threshold."""
    items = {str(item["url"]): item for item in store.articles()}
    records = {str(r["url"]): r for r in store.provenance()}
    articles: list[Article] = []
    for url in progress(list(records), "reading articles", unit="article"):
        record = records[url]
        item = items.get(url, {})
        article = Article(
            key=model.page_key(url),
            url=url,
            item=item,
            record=record,
            versions=store.versions(url),
        )
        article.origin = model.origin(article.chain, article.outlet, registry)
        article.day = model.stated_day(record.get("published"), item.get("first_seen"))
        article.week = model.week_of(article.day)
        articles.append(article)
    by_url = {a.url: a for a in articles}
    for pair in store.reuse_pairs():
        for end in ("a", "b"):
            found = by_url.get(str(pair.get(end)))
            if found is not None:
                found.pairs.append(pair)
    stories: list[list[Article]] = []
    if with_stories and len(articles) >= 2:
        from crawler.commands.stories import find_stories  # numpy and datasketch: on demand

        found_stories, _ = find_stories(store, window_hours=72.0, threshold=0.15)
        for number, story in enumerate(found_stories, start=1):
            members = [by_url[str(r["url"])] for r in story if str(r["url"]) in by_url]
            for member in members:
                member.stories.append(number)
            stories.append(members)
    return ReportData(articles=articles, stories=stories, registry=registry)


def chain_shown(article: Article, registry: Registry) -> str:
    """The chain with display names, or the outlet alone for an article with none."""
    return chain_text(article.chain, registry) or article.outlet


def summary(article: Article, registry: Registry) -> Mapping[str, Any]:
    """The article as the pages' filters and charts see it (kept small: the overview
    embeds one per stored article)."""
    return {
        "p": f"articles/{article.key}.html",
        "t": str(article.record.get("title") or article.item.get("title") or article.url),
        "o": article.outlet,
        "d": article.day,
        "w": article.week,
        "b": article.record.get("basis") or "unknown",
        "g": article.origin,
        "a": model.upstream_ids(article.chain, article.outlet),
        "e": [f"{a}\t{b}" for a, b in model.hops_pairs(article.chain)],
        "c": chain_shown(article, registry),
    }
