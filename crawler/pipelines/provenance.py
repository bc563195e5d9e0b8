"""Reads the article's evidence into its provenance (see crawler.provenance)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.items import Evidence
from crawler.provenance.chain import build_provenance
from crawler.provenance.evidence import as_evidence, locate, people_only
from crawler.registry import Registry, load_registry


class ProvenancePipeline:
    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or load_registry()

    def process_item(self, item: Any) -> Any:
        read_provenance(item, self.registry)
        return item


def read_provenance(item: Any, registry: Registry) -> None:
    """Turns the item's page evidence and text into its chain, citations and media, and keeps
    agencies out of its authors. ``crawler.analyze`` calls it too."""
    adapter = ItemAdapter(item)
    provenance = ItemAdapter(adapter["provenance"])
    publisher = adapter["outlet"]
    page_evidence = [
        e if isinstance(e, Evidence) else Evidence(**ItemAdapter(e).asdict())
        for e in provenance.get("evidence") or []
    ]
    found = locate(page_evidence, adapter["text"], publisher, registry)
    result = build_provenance(found, publisher)
    provenance["chain"] = result.chain
    provenance["basis"] = result.basis
    provenance["cited"] = result.cited
    provenance["media"] = result.media
    provenance["evidence"] = as_evidence(found)
    adapter["authors"] = people_only(adapter.get("authors") or [], registry, publisher)
