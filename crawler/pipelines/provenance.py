"""Provenance from the evidence on the page.

For now the chain is the publisher alone (``own``) and the raw evidence is laid out as the
contract says; reading agencies out of it is the provenance engine's work.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter


class ProvenancePipeline:
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        provenance = ItemAdapter(adapter["provenance"])
        if not provenance.get("chain"):
            provenance["chain"] = [[adapter["outlet"]]]
            provenance["basis"] = "own"
        return item
