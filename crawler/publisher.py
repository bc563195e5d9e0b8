"""Who published a page, from its address: the registry entry whose site it is, else the
site's registered domain.

``lecourrier.vn`` is CVN's site and ``tass.com`` is TASS's, so an article read there by the
generic spider is published by ``cvn`` or ``tass``, the ids the outlet spiders and the
provenance chains use, not by a domain nobody can join on. A registry entry lists its sites
under ``domains`` (``crawler/data/agencies.toml``); every host under a listed domain belongs to
it (``fr.sputniknews.africa``, ``de.rt.com``), and an entry's country sites are listed in the
data like any other domain.

The page's own address decides. A canonical URL is the page's claim, not where it was
published: a reprint on ``example.org`` whose canonical URL names ``lecourrier.vn`` is
``example.org``'s copy. Only a page with no web address (a saved ``file://`` page, a
``data:`` URL) is named from its canonical URL, since that is the only address it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

import tldextract

from crawler.registry import Registry, load_registry

WEB_SCHEMES = ("http", "https")


@cache
def _suffixes() -> tldextract.TLDExtract:
    # The suffix list bundled with tldextract: looking it up online would be a network call
    # in the middle of an offline replay.
    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    extract("example.com")  # reads the list now (about 30 ms), not on its first page
    return extract


def prepare() -> None:
    """Reads the public suffix list before a crawl's first page rather than during it."""
    _suffixes()


def web_host(url: str) -> str | None:
    """The lower-case host of an http(s) URL, without a trailing dot; None for any other."""
    try:
        split = urlsplit(url.strip())
        host = split.hostname
    except ValueError:  # a malformed port or bracketed host
        return None
    if split.scheme.lower() not in WEB_SCHEMES or not host:
        return None
    return host.rstrip(".").lower() or None


def registered_domain(url: str) -> str | None:
    """``https://www.vietnam.vn/fr/x`` → ``vietnam.vn``; None for file:// URLs.

    A host under no public suffix (the reserved ``.example``, ``.test``, ``.invalid``,
    ``localhost``, an intranet name) has no registered domain to find, so the outlet is
    named by the host itself, without a leading ``www.``: pages on two such hosts must not
    end up as one outlet, nor as none.
    """
    host = web_host(url)
    if host is None:
        return None
    parts = _suffixes()(host)
    if parts.top_domain_under_public_suffix:
        return parts.top_domain_under_public_suffix
    return host.removeprefix("www.") or None


def site_owner(host: str, registry: Registry | None = None) -> str | None:
    """The registry id whose site ``host`` is: the longest listed domain the host is or is
    under (``fr.sputniknews.africa`` → the entry listing ``sputniknews.africa``)."""
    registry = registry or load_registry()
    labels = host.rstrip(".").lower().split(".")
    for start in range(len(labels) - 1):
        owner = registry.owner_of(".".join(labels[start:]))
        if owner is not None:
            return owner
    return None


def publisher_of(
    url: str, canonical: Iterable[str | None] = (), registry: Registry | None = None
) -> str | None:
    """The publisher of the page at ``url``: a registry id when the host is a registry
    entry's site, else the registered domain; None when neither ``url`` nor (for a page with
    no web address) any of its ``canonical`` URLs is a web address."""
    host = web_host(url)
    if host is None:
        for candidate in canonical:
            if candidate and web_host(candidate):
                return publisher_of(candidate, (), registry)
        return None
    return site_owner(host, registry) or registered_domain(url)
