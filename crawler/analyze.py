"""One page in, the article's fields and provenance out, without a crawl: for scripts and
benchmarks that read saved pages.

It runs the very functions the extract and provenance pipelines run, on an item built as a
spider builds it, so a page is analysed in one place whether it is crawled or not. Unlike
the extract pipeline it keeps a page with no main text (``text`` is then empty): a script
judging the page's evidence still wants it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import Any

from crawler.extract import parse_html
from crawler.items import ArticleItem, Fetch
from crawler.pages import Page, attach
from crawler.pipelines.extract import extract_fields
from crawler.pipelines.provenance import read_provenance
from crawler.profile import Profile, load_profile
from crawler.registry import Registry, load_registry

#: The contract fields a page gives; ``fetch`` needs a fetch.
FIELDS = ("url", "canonical_url", "outlet", "title", "published", "authors", "language", "text")


def analyze(
    html: str | bytes,
    url: str,
    outlet: str,
    profile: Profile | None = None,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """The contract fields the page gives (no fetch record), with provenance."""
    body = html.encode("utf-8") if isinstance(html, str) else html
    item = ArticleItem(
        url=url,
        outlet=outlet,
        fetch=Fetch(
            fetched_at="", status=200, sha256=hashlib.sha256(body).hexdigest(), replayed=True
        ),
    )
    attach(item, Page(url=url, tree=parse_html(html)))
    extract_fields(item, profile or load_profile("generic"))
    read_provenance(item, registry or load_registry())
    result = {name: getattr(item, name) for name in FIELDS}
    result["provenance"] = asdict(item.provenance)
    return result
