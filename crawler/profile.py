"""Outlet profiles: per-outlet knowledge as data (format: docs/spiders.md).

A profile is loaded once per spider; its regexes are compiled and its CSS selectors are
kept as strings for parsel, which caches their XPath translation.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

SelectorSpec = tuple[str, ...]


def _as_tuple(value: Any) -> SelectorSpec:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of one outlet's template; each a tuple of alternatives."""

    article: SelectorSpec = ()
    title: SelectorSpec = ()
    title_suffixes: SelectorSpec = ()
    published: SelectorSpec = ()
    published_format: str = "iso"
    authors: SelectorSpec = ()
    byline: SelectorSpec = ()
    dateline: SelectorSpec = ()
    lead: SelectorSpec = ()
    body: SelectorSpec = ()
    credit_line: SelectorSpec = ()
    captions: SelectorSpec = ()
    canonical: SelectorSpec = ("link[rel=canonical]::attr(href)",)
    drop: SelectorSpec = ()


@dataclass(frozen=True)
class Profile:
    """What the crawler knows of one outlet."""

    id: str
    name: str
    language: str | None = None
    domains: tuple[str, ...] = ()
    timezone: str | None = None
    article_urls: tuple[re.Pattern[str], ...] = ()
    listing_urls: tuple[re.Pattern[str], ...] = ()
    deny_urls: tuple[re.Pattern[str], ...] = ()
    selectors: Selectors = field(default_factory=Selectors)
    #: Selector fields an article may lack without the profile being wrong (no photo, no
    #: named author): counted, but neither read the generic way nor warned about.
    optional: frozenset[str] = frozenset()
    #: Selector fields set in ``[unverified.selectors]``: where a user corrects them.
    unverified_selectors: frozenset[str] = frozenset()

    def selectors_table(self, name: str) -> str:
        """The profile table that sets selector ``name``, as a user would look for it."""
        return "[unverified.selectors]" if name in self.unverified_selectors else "[selectors]"

    def is_article_url(self, url: str) -> bool:
        return not self.is_denied(url) and any(p.search(url) for p in self.article_urls)

    def is_listing_url(self, url: str) -> bool:
        return not self.is_denied(url) and any(p.search(url) for p in self.listing_urls)

    def is_denied(self, url: str) -> bool:
        return any(p.search(url) for p in self.deny_urls)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Profile:
        """Build a profile from parsed TOML, with ``[unverified]`` merged over the rest."""
        merged = _merge(
            {k: v for k, v in data.items() if k != "unverified"}, data.get("unverified", {})
        )
        urls = merged.get("urls", {})
        raw_selectors = dict(merged.get("selectors", {}))
        known = {f for f in Selectors.__dataclass_fields__}
        unknown = set(raw_selectors) - known
        if unknown:
            raise ValueError(
                f"profile {merged.get('id')!r}: unknown selector keys {sorted(unknown)}"
            )
        values: dict[str, Any] = {
            key: (value if key == "published_format" else _as_tuple(value))
            for key, value in raw_selectors.items()
        }
        selectors = Selectors(**values)
        optional = frozenset(merged.get("optional", ()))
        if optional - known:
            raise ValueError(
                f"profile {merged.get('id')!r}: unknown optional fields {sorted(optional - known)}"
            )
        return cls(
            id=merged["id"],
            name=merged.get("name", merged["id"]),
            language=merged.get("language"),
            domains=tuple(merged.get("domains", ())),
            timezone=merged.get("timezone"),
            article_urls=tuple(re.compile(p) for p in urls.get("article", ())),
            listing_urls=tuple(re.compile(p) for p in urls.get("listing", ())),
            deny_urls=tuple(re.compile(p) for p in urls.get("deny", ())),
            selectors=selectors,
            optional=optional,
            unverified_selectors=frozenset(data.get("unverified", {}).get("selectors", {})),
        )


def available_profiles() -> list[str]:
    """Names of the profiles shipped in the package."""
    folder = resources.files("crawler") / "profiles"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


@cache
def load_profile(name: str) -> Profile:
    """Load a shipped profile by name (``cvn``, ``generic``...)."""
    resource = resources.files("crawler") / "profiles" / f"{name}.toml"
    if not resource.is_file():
        raise KeyError(
            f"no outlet profile named {name!r}; known: {', '.join(available_profiles())}"
        )
    return Profile.from_mapping(tomllib.loads(resource.read_text(encoding="utf-8")))
