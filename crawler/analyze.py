"""One page in, the article's fields and provenance out: the pipelines' work as one function.

For scripts and benchmarks that read saved pages without a crawl; the crawl itself runs
the same steps as separate pipelines (extract, provenance).
"""

from __future__ import annotations

from typing import Any

from crawler.extract import extract_article, parse_html
from crawler.profile import Profile, load_profile
from crawler.provenance.evidence import people_only
from crawler.provenance.model import load_model
from crawler.provenance.page import page_provenance
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
    tree = parse_html(html)
    found = extract_article(tree, url, profile)
    provenance = page_provenance(
        found.evidence,
        found.text,
        outlet,
        registry or load_registry(),
        tree=tree,
        decider=load_model(),
    )
    provenance["evidence"] = [vars(e) for e in provenance["evidence"]]
    return {
        "url": url,
        "canonical_url": found.canonical_url,
        "outlet": outlet,
        "title": found.title,
        "published": found.published,
        "authors": people_only(found.authors, registry or load_registry(), outlet),
        "language": found.language,
        "text": found.text,
        "provenance": provenance,
    }
