"""A page's JSON-LD, parsed once for every reader of it.

Bylines (``jsonld:author``), the publication time, the language and the provenance readers'
credits all read the same few ``script`` elements, and each parsed them again: a page's
JSON-LD is often its largest script. The page's walk (crawler.pagewalk) keeps what this
parses, so the extract pipeline and the provenance readers share one parse per page. The
documents are read, never changed, by every reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from lxml import etree

#: The ``type`` of a JSON-LD script, as the selector ``script[type='application/ld+json']``
#: tests it (exactly, case and all).
SCRIPT_TYPE = "application/ld+json"
#: A script's text nodes, as the selector's ``::text`` gives them.
_TEXTS = etree.XPath("text()", smart_strings=False)


def parse_scripts(scripts: Iterable[Any]) -> list[Any]:
    """What each text node of the JSON-LD ``script`` elements among ``scripts`` holds, in
    document order; a text that is no JSON is left out (broken JSON-LD is common and says
    nothing)."""
    documents: list[Any] = []
    for element in scripts:
        if element.get("type") != SCRIPT_TYPE:
            continue
        for text in _TEXTS(element):
            try:
                documents.append(json.loads(text))
            except ValueError:
                continue
    return documents
