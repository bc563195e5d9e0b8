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
        adapter = ItemAdapter(item)
        provenance = ItemAdapter(adapter["provenance"])
        publisher = adapter["outlet"]
        page_evidence = [
            e if isinstance(e, Evidence) else Evidence(**ItemAdapter(e).asdict())
            for e in provenance.get("evidence") or []
        ]
        found = locate(page_evidence, adapter["text"], publisher, self.registry)
        result = build_provenance(found, publisher)
        provenance["chain"] = result.chain
        provenance["basis"] = result.basis
        provenance["cited"] = result.cited
        provenance["media"] = result.media
        provenance["evidence"] = as_evidence(found)
        adapter["authors"] = people_only(adapter.get("authors") or [], self.registry, publisher)
        return item
