"""Reads the article's evidence into its provenance (see crawler.provenance)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.items import Evidence
from crawler.pages import page_of
from crawler.provenance.evidence import people_only
from crawler.provenance.model import Model, load_model
from crawler.provenance.page import page_provenance
from crawler.registry import Registry, load_registry


class ProvenancePipeline:
    def __init__(self, registry: Registry | None = None, model: Model | None = None) -> None:
        self.registry = registry or load_registry()
        self.model = model or load_model()

    def process_item(self, item: Any) -> Any:
        read_provenance(item, self.registry, self.model)
        return item


def read_provenance(item: Any, registry: Registry, model: Model | None = None) -> None:
    """Turns the item's page evidence, text and page tree into its chain, citations and
    media, and keeps agencies out of its authors. ``crawler.analyze`` calls it too."""
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
        decider=model if model is not None else load_model(),
    )
    for field in ("chain", "basis", "cited", "media", "evidence"):
        provenance[field] = found[field]
    adapter["authors"] = people_only(adapter.get("authors") or [], registry, publisher)
