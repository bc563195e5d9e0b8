"""An outlet profile that misses is survived: what it cannot find is read the generic way.

Outlet profiles are written from pages someone saw; after a redesign (or on a live site
whose markup was only reconstructed) their selectors find nothing, and a spider that trusted
them would run green and store nothing. So every field a profile's selectors are meant to
find is checked on the page first (cheap: the matches are cached on the page's PageQuery),
and the ones that find nothing are read with the generic profile's selectors instead, in the
same single extraction: the body then comes from trafilatura's reading of the whole page
(with both drop lists), the title and time from Open Graph and ``<time>`` (or the time
printed beside the headline in the outlet's format, crawler.printeddate), bylines and
captions from the generic evidence places, and credit lines from the edges of the text
(crawler.bodytext). The item names the fields the fallback filled (``fallback_fields``) and
the crawl counts every field's hits and misses, so the first live crawl says which selector
to correct.

Plain functions, tested without Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from lxml.etree import _Element

from crawler.bodytext import MIN_WORDS, article_words
from crawler.dates import parse_published
from crawler.endcredit import credit_after_body
from crawler.extract import Extraction, PageQuery, body_element, extract_article, first_text
from crawler.printeddate import date_near_headline
from crawler.profile import Profile, load_profile

#: The selector fields a profile is measured on: what it is meant to find on every article.
MEASURED: tuple[str, ...] = (
    "article",
    "title",
    "published",
    "authors",
    "byline",
    "dateline",
    "lead",
    "body",
    "credit_line",
    "captions",
    "canonical",
)

#: Evidence kind each evidence selector field yields.
_EVIDENCE_KIND = {
    "byline": "byline",
    "dateline": "dateline",
    "lead": "lead",
    "credit_line": "credit_line",
    "captions": "caption",
}


@dataclass
class Reading:
    """One article page read with its profile, and how the profile did on it."""

    extraction: Extraction
    #: Measured selector field -> whether the profile's selectors found it on this page.
    hits: dict[str, bool] = field(default_factory=dict)
    #: Fields whose value came from the generic reading, in ``MEASURED`` order.
    fallback: list[str] = field(default_factory=list)

    @property
    def empty_body(self) -> bool:
        """The profile's body container is on the page and holds no text: no article body."""
        return bool(self.hits.get("body")) and not self.extraction.text


def field_hits(tree: _Element | PageQuery, profile: Profile) -> dict[str, bool]:
    """For each selector field the profile sets, whether it finds something on the page.

    A time that is found but cannot be read with the profile's format is a miss too: the
    item would get no time from it.
    """
    page = PageQuery.of(tree)
    s = profile.selectors
    hits: dict[str, bool] = {}
    for name in MEASURED:
        spec = tuple(css for css in getattr(s, name) if not css.startswith("jsonld:"))
        if not spec:
            continue
        if name == "article":
            hits[name] = any(page.select(css) for css in spec)
        elif name == "body":
            hits[name] = body_element(page, profile) is not None
        elif name == "published":
            raw = first_text(page, spec)
            hits[name] = parse_published(raw, s.published_format, profile.timezone) is not None
        else:
            hits[name] = first_text(page, spec) is not None
    return hits


def with_fallback(profile: Profile, missed: list[str], generic: Profile) -> Profile:
    """The profile with the generic selectors in place of the ones that missed.

    Without its body container the text is the whole page's, so both drop lists apply
    (the outlet's still names its menus and footers when only the article markup changed).
    """
    s, g = profile.selectors, generic.selectors
    changes: dict[str, Any] = {}
    for name in missed:
        if name == "article":
            continue  # nothing to read: the page is an article candidate all the same
        if name == "body":
            changes["body"] = ()
            changes["drop"] = (*s.drop, *g.drop)
        elif name == "published":
            changes["published"] = g.published
            changes["published_format"] = g.published_format
        else:
            changes[name] = getattr(g, name)
    return replace(profile, selectors=replace(s, **changes))


def _filled(name: str, found: Extraction) -> bool:
    """Whether the extraction has a value for a selector field."""
    if name in _EVIDENCE_KIND:
        return any(piece.kind == _EVIDENCE_KIND[name] for piece in found.evidence)
    value = {
        "title": found.title,
        "published": found.published,
        "authors": found.authors,
        "body": found.text,
        "canonical": found.canonical_url,
    }.get(name)
    return bool(value)


def read_article(
    tree: _Element | PageQuery,
    url: str,
    profile: Profile,
    *,
    declared_language: str | None = None,
    publisher: str | None = None,
    min_words: int = MIN_WORDS,
) -> Reading:
    """The article's fields with ``profile``, each missed field read the generic way
    (optional fields excepted: see ``Profile.optional``; an optional field may be absent,
    and the generic places would only find other text there, such as a footer's copyright
    as a caption). The generic profile is the fallback itself: read with it, nothing is
    measured.

    Without a body container (the generic profile, or a container that missed), a reading
    with fewer than ``min_words`` words of article text is tried once more without the
    drop list (see ``_without_drop_list``).
    """
    page = PageQuery.of(tree)
    hits: dict[str, bool] = {}
    missed: list[str] = []
    reading_profile = profile
    if profile.id != "generic":
        hits = field_hits(page, profile)
        missed = [name for name, hit in hits.items() if not hit and name not in profile.optional]
        if missed:
            reading_profile = with_fallback(profile, missed, load_profile("generic"))
    found = extract_article(
        page, url, reading_profile, declared_language=declared_language, publisher=publisher
    )
    if not reading_profile.selectors.body and article_words(found.text) < min_words:
        found = _without_drop_list(page, url, reading_profile, found, declared_language, publisher)
    if "published" in missed and (found.published is None or "T" not in found.published):
        # The outlet's own printed time, with its time zone, beats a bare date found
        # elsewhere on the page (htmldate's, in crawler.metadata).
        s = profile.selectors
        printed = date_near_headline(page.tree, found.title, s.published_format, profile.timezone)
        found.published = printed or found.published
    if "credit_line" in missed and not any(piece.kind == "credit_line" for piece in found.evidence):
        credit = credit_after_body(page.tree, found.text, publisher=publisher)
        if credit is not None:
            found.evidence.append(credit)
    fallback = [name for name in missed if name != "article" and _filled(name, found)]
    return Reading(found, hits, fallback)


def _without_drop_list(
    page: PageQuery,
    url: str,
    profile: Profile,
    found: Extraction,
    declared_language: str | None,
    publisher: str | None,
) -> Extraction:
    """The whole page read again without the drop list, when reading it with the list left
    no article text: a class the list drops (``.author``, ``aside``) sometimes wraps the
    whole article on real pages, and trafilatura then reads the menus. The second reading
    is kept only when it has more article text."""
    if not profile.selectors.drop:
        return found
    bare = replace(profile, selectors=replace(profile.selectors, drop=()))
    again = extract_article(
        page, url, bare, declared_language=declared_language, publisher=publisher
    )
    return again if article_words(again.text) > article_words(found.text) else found


#: Stats keys of a profile field's hits and misses: ``wiretrace/profile/<field>/hit|miss``.
STATS_PREFIX = "wiretrace/profile"


def field_stats(reading: Reading) -> list[str]:
    """The stats keys one article adds: each measured field's hit or miss."""
    return [
        f"{STATS_PREFIX}/{name}/{'hit' if hit else 'miss'}" for name, hit in reading.hits.items()
    ]


def missed_fields(profile: Profile, stats: dict[str, Any]) -> list[str]:
    """One line per field that missed on most of a crawl's articles, saying which selector
    to correct; optional fields (``optional`` in the profile) are left out."""
    lines = []
    for name in MEASURED:
        hits = int(stats.get(f"{STATS_PREFIX}/{name}/hit", 0))
        misses = int(stats.get(f"{STATS_PREFIX}/{name}/miss", 0))
        if name in profile.optional or 2 * misses <= hits + misses:
            continue
        lines.append(
            f"profile {profile.id}: {name} missed on {misses} of {hits + misses} articles; "
            f"fix {profile.selectors_table(name)} {name}"
        )
    return lines
