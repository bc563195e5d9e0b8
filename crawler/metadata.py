"""Title, publication time and language of a page: the profile's selectors first, then what
trafilatura and htmldate already know how to read, all on the one parsed tree.

The profile's selectors (``og:title``, ``article:published_time``...) give the most precise
answer when the page has them: a publication time with its UTC offset. Real pages often
lack them or fill them badly, and the generic readings of trafilatura (the title from
JSON-LD, ``<title>`` without the site name, ``h1``) and htmldate (the publication date from
markup, URL and text, its own evaluation's best) cover far more of them than a selector
of our own would. ``benchmarks/metadata.py`` measures each field against the gold dates,
titles and languages of ``../shared/external``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import lxml.html
from htmldate import find_date
from lxml.etree import _Element
from trafilatura.metadata import extract_title

from crawler.dates import parse_published
from crawler.profile import Profile

logger = logging.getLogger(__name__)

#: A language tag's primary subtag (``fr``, ``pt-BR`` → ``pt``, ``fr_FR`` → ``fr``).
_LANGUAGE = re.compile(r"^\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*\s*$")
#: Where a page states its language, after ``<html lang>`` and the HTTP header.
_LANGUAGE_PLACES = (
    "meta[http-equiv='content-language']::attr(content)",
    "meta[http-equiv='Content-Language']::attr(content)",
    "meta[property='og:locale']::attr(content)",
    "meta[name='language']::attr(content)",
    "meta[itemprop='inLanguage']::attr(content)",
)
#: Where a page states its publication time in markup, most specific first.
_TIME_PLACES = (
    "meta[property='article:published_time']::attr(content)",
    "meta[property='og:published_time']::attr(content)",
    "meta[itemprop='datePublished']::attr(content)",
    "meta[name='pubdate']::attr(content)",
    "meta[name='publish-date']::attr(content)",
    "time[itemprop='datePublished']::attr(datetime)",
    "time[pubdate]::attr(datetime)",
    "time[datetime]::attr(datetime)",
)
_WS = re.compile(r"\s+")
#: Between a headline and the site's name: `` | ``, `` - ``, `` – ``, `` — ``, `` · ``, `` :: ``.
_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•]|::)\s+")
#: htmldate's extensive search (dates in the text, not only in markup and the URL).
EXTENSIVE = True
#: htmldate's output format: with the time of day and UTC offset, which htmldate carries
#: through from the page's markup (``article:published_time``, JSON-LD ``datePublished``,
#: ``<time datetime>``) when this format asks for them.
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def title(stated: str | None, page: Any) -> str | None:
    """The title the profile's selectors found (``stated``) without the site's name, else
    trafilatura's reading of the page (JSON-LD headline, ``<title>`` without the site name,
    the ``h1``)."""
    if stated:
        return without_site_name(stated, page)
    try:
        found = extract_title(page.tree)
    except (ValueError, TypeError, AttributeError) as exc:  # odd markup: no title, no crash
        logger.debug("trafilatura could not read the title: %s", exc)
        return None
    return (_WS.sub(" ", found).strip() or None) if found else None


def without_site_name(title: str, page: Any) -> str:
    """``Headline | Site name`` → ``Headline``: what follows a separator goes when it starts
    with the site's name (``og:site_name``) or when what is left is the page's own ``h1``."""
    cuts = list(_SEPARATOR.finditer(title))
    if not cuts:
        return title
    site = {_key(name) for name in page.select("meta[property='og:site_name']::attr(content)")}
    headings = {_key("".join(h.itertext())) for h in page.select("h1")[:3]}
    for cut in reversed(cuts):  # the shortest tail first
        head, tail = title[: cut.start()].strip(), title[cut.end() :].strip()
        if head and (_key(head) in headings or _key(_SEPARATOR.split(tail)[0]) in site):
            return head
    return title


def _key(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def published(stated: str | None, profile: Profile, page: Any, url: str | None) -> str | None:
    """The publication time the profile's selectors found (``stated``, read with the
    profile's format: ISO 8601 with its UTC offset when the page gives a time), else what
    htmldate finds (``original_date``: the publication, not the last update).

    The day is theirs; the time comes with it only with its UTC offset, which htmldate
    carries through from the markup it read, or else which the page states in its markup
    (``stated_times``) for that same day: a time without an offset cannot be placed."""
    selectors = profile.selectors
    found = parse_published(stated, selectors.published_format, profile.timezone)
    if not found:
        try:
            stamp = find_date(
                page.tree,
                extensive_search=EXTENSIVE,
                original_date=True,
                url=url,
                outputformat=STAMP_FORMAT,
            )
        except (ValueError, TypeError, AttributeError) as exc:
            logger.debug("htmldate could not read a date: %s", exc)
            return None
        found = with_offset_or_date(stamp)
    if not found or _has_offset(found):
        return found
    same_day = [t for t in stated_times(page) if t.date().isoformat() == found[:10]]
    # A time already read (without its offset) picks the stated moment at that time.
    same_time = [t for t in same_day if t.replace(tzinfo=None).isoformat()[:16] == found[:16]]
    best = same_time or (same_day if len(found) <= 10 else [])
    return best[0].isoformat() if best else found


#: A page that takes htmldate through its slow paths: a text with numbers but no year or
#: month (checked against every language's month names), then a date only its external
#: parser (dateparser) reads.
_FIRST_USE_PAGE = (
    "<html><body><p>Offer (14 days) - up to 10</p><p>November 20 15:23 2019</p></body></html>"
)


def prepare() -> None:
    """Load what htmldate loads on first use, before the first page rather than during it.

    Its month names of every language and dateparser's language data take about half a
    second to load, once per process. Paid inside a page, that half second lands on
    whichever article first needs them, as a stall in the crawl; a crawl pays it at start
    instead, as it loads the registry and the provenance model. A failure here is only
    logged: the first page then loads them as before."""
    try:
        find_date(
            lxml.html.fromstring(_FIRST_USE_PAGE),
            extensive_search=EXTENSIVE,
            original_date=True,
            outputformat=STAMP_FORMAT,
        )
    except Exception as exc:  # a warm-up must never stop a crawl
        logger.debug("htmldate could not be prepared: %s", exc)


def with_offset_or_date(stamp: str | None) -> str | None:
    """htmldate's ``STAMP_FORMAT`` output as the contract wants it: ISO 8601 with the UTC
    offset (``2019-03-05T10:00:00+01:00``) when it has one, else the day alone (htmldate
    writes midnight for a date found without a time)."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:10] or None
    return moment.isoformat() if moment.tzinfo is not None else moment.date().isoformat()


def _has_offset(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def stated_times(page: Any) -> list[datetime]:
    """The publication times with a UTC offset the page's markup states, in the order of
    ``_TIME_PLACES`` then JSON-LD ``datePublished``."""
    values: list[str] = []
    for css in _TIME_PLACES:
        values.extend(page.select(css))
    for document in page.walk().jsonld():
        values.extend(_jsonld_values(document, "datePublished"))
    found: list[datetime] = []
    for value in values:
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is not None and moment not in found:
            found.append(moment)
    return found


def language(page: Any, profile: Profile, declared: str | None) -> str | None:
    """ISO 639-1 code the page states: ``<html lang>``, the Content-Language header, the
    content-language, ``og:locale`` or ``language`` meta, JSON-LD ``inLanguage``; else the
    profile's language."""
    tree: _Element = page.tree
    for value in _stated_languages(page, tree, declared):
        found = _LANGUAGE.match(value) if value else None
        if found:
            return found.group(1).lower()
    return profile.language


def _stated_languages(page: Any, tree: _Element, declared: str | None) -> Iterator[str]:
    yield tree.get("lang") or ""
    # A header may list several (``fr, en``): the first is the page's.
    yield (declared or "").split(",")[0]
    for css in _LANGUAGE_PLACES:
        yield from page.select(css)[:1]
    for document in page.walk().jsonld():
        yield from _jsonld_values(document, "inLanguage")


def _jsonld_values(document: Any, key: str) -> Iterator[str]:
    """The strings under ``key`` in one JSON-LD document (a string, or an object's ``name``),
    in its top-level objects, ``@graph`` and ``mainEntity``."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            value = node.get(key)
            if isinstance(value, str):
                yield value
            elif isinstance(value, dict) and isinstance(value.get("name"), str):
                yield value["name"]
            stack.extend(node[name] for name in ("@graph", "mainEntity") if name in node)
