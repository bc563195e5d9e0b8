"""One page in, the article's fields and provenance out: the pipelines' work as one function.

For scripts and benchmarks that read saved pages without a crawl; the crawl itself runs
the same steps as separate pipelines (extract, provenance).
"""

from __future__ import annotations

from typing import Any

from crawler.extract import parse_html
from crawler.fallback import read_article
from crawler.profile import Profile, load_profile
from crawler.provenance.chain import build_provenance
from crawler.provenance.evidence import as_evidence, locate, people_only
from crawler.registry import Registry, load_registry


def analyze(
    html: str | bytes,
    url: str,
    outlet: str,
    profile: Profile | None = None,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """The contract fields the page gives (no fetch record), with provenance."""
    profile = profile or load_profile("generic")
    found = read_article(parse_html(html), url, profile, publisher=outlet).extraction
    located = locate(found.evidence, found.text, outlet, registry or load_registry())
    result = build_provenance(located, outlet)
    return {
        "url": url,
        "canonical_url": found.canonical_url,
        "outlet": outlet,
        "title": found.title,
        "published": found.published,
        "authors": people_only(found.authors, registry or load_registry(), outlet),
        "language": found.language,
        "text": found.text,
        "provenance": {
            "chain": result.chain,
            "basis": result.basis,
            "cited": result.cited,
            "media": result.media,
            "evidence": [vars(e) for e in as_evidence(located)],
        },
    }
