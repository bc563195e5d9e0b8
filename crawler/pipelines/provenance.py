"""Reads the article's evidence into its provenance (see crawler.provenance)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from crawler.items import Evidence
from crawler.pages import page_of
from crawler.provenance.captions import MAX_CAPTIONS
from crawler.provenance.evidence import people_only
from crawler.provenance.model import Model, load_model
from crawler.provenance.page import page_provenance
from crawler.registry import Registry, load_registry

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

#: Distinct caption texts past a page's cap, summed over the crawl.
CAPTIONS_DROPPED = "wiretrace/evidence_dropped/caption"


class ProvenancePipeline:
    def __init__(
        self,
        registry: Registry | None = None,
        model: Model | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        self.registry = registry or load_registry()
        self.model = model or load_model()
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProvenancePipeline:
        return cls(stats=crawler.stats)

    def process_item(self, item: Any) -> Any:
        dropped = read_provenance(item, self.registry, self.model)
        if dropped and self.stats is not None:
            self.stats.inc_value(CAPTIONS_DROPPED, dropped)
        return item


def read_provenance(item: Any, registry: Registry, model: Model | None = None) -> int:
    """Turns the item's page evidence, text and page tree into its chain, citations and
    media, and keeps agencies out of its authors. ``crawler.analyze`` calls it too.

    Returns how many distinct captions were past the page's cap and left unread (said in
    one log line here; the pipeline counts them)."""
    adapter = ItemAdapter(item)
    provenance = ItemAdapter(adapter["provenance"])
    publisher = adapter["outlet"]
    page_evidence = [
        e if isinstance(e, Evidence) else Evidence(**ItemAdapter(e).asdict())
        for e in provenance.get("evidence") or []
    ]
    page = page_of(item)
    found = page_provenance(
        page_evidence,
        adapter["text"],
        publisher,
        registry,
        tree=page.tree if page is not None else None,
        walk=page.query.walk() if page is not None and page.query is not None else None,
        decider=model if model is not None else load_model(),
    )
    for field in ("chain", "basis", "cited", "media", "evidence"):
        provenance[field] = found[field]
    adapter["authors"] = people_only(adapter.get("authors") or [], registry, publisher)
    dropped = int(found["captions_dropped"])
    if dropped:
        logger.warning(
            "%s: %d more distinct photo captions than the %d read per page; those were left "
            "out of provenance (counted in %s)",
            adapter["url"], dropped, MAX_CAPTIONS, CAPTIONS_DROPPED,
        )  # fmt: skip
    return dropped
