"""Readers of provenance evidence: what a located credit string says about where a copy came from.

Why plain functions over text: the spider and the outlet profile decide *where* evidence sits
(the raw page, before trafilatura drops bylines, captions and footers); these functions only
decide *what* one string says. Kept free of Scrapy, they read like a specification and any
profile, pipeline or benchmark can call them.

One module per kind of evidence: credit lines, bylines, datelines, photo credits, in-text
attributions (and :mod:`crawler.provenance.metadata` for the page's structured metadata).
The words each convention is made of (labels, cue words, month names, per language) are data
in ``crawler/data/conventions.toml``, read by :mod:`.conventions`; :mod:`.patterns` builds
the regular expressions from them and :mod:`.names` resolves credited names.

Matching leans on :class:`crawler.registry.Registry`: names are whole tokens, short capitals
(``AP``, ``RT``) match only in capitals, and ``AP-HP`` or ``RT @user`` never count. On top of
that the readers refuse what the registry cannot see: a surname that happens to be an agency
(``Michael Bloomberg``), a product named after one (``Sputnik V``), journalists' initials in a
German credit (``(vyp/kna)``), and an outlet signing its own article (``publisher=``).
"""

from __future__ import annotations

from crawler.provenance.readers.bylines import read_byline
from crawler.provenance.readers.credit_lines import (
    find_end_credit,
    find_lead_credit,
    read_credit_line,
)
from crawler.provenance.readers.datelines import read_dateline
from crawler.provenance.readers.in_text import read_in_text
from crawler.provenance.readers.names import CONFIDENCE, Finding, Hops
from crawler.provenance.readers.photo_credits import read_photo_credit

__all__ = [
    "CONFIDENCE",
    "Finding",
    "Hops",
    "find_end_credit",
    "find_lead_credit",
    "read_byline",
    "read_credit_line",
    "read_dateline",
    "read_in_text",
    "read_photo_credit",
]
