"""Navigation shared by every spider: where to start, which links to follow, which pages
are articles. What an outlet's pages look like comes from its profile, never from code."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlparse

import lxml.html
import scrapy
from lxml import etree
from lxml.etree import _Element
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.utils.conf import closest_scrapy_cfg
from scrapy.utils.response import get_base_url
from w3lib.encoding import read_bom
from w3lib.url import safe_url_string

from crawler.archive.location import META_KEY
from crawler.extract import PageQuery
from crawler.htmlrepair import (
    REPAIRS_META,
    flatten_deep_tags,
    strip_control_chars,
    utf8_has_control_chars,
)
from crawler.items import ArticleItem, Fetch
from crawler.pages import Page, attach
from crawler.profile import Profile, load_profile
from crawler.skips import record_skip


def seeds_dir(configured: str | None) -> Path:
    """Seed lists live in ``seeds/`` beside ``scrapy.cfg`` unless a setting says otherwise."""
    if configured:
        return Path(configured)
    cfg = closest_scrapy_cfg()
    return (Path(cfg).parent if cfg else Path.cwd()) / "seeds"


def read_url_list(path: Path) -> list[str]:
    """One URL a line; blank lines and ``#`` comments ignored."""
    urls = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = re.split(r"\s#", line, maxsplit=1)[0].strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


#: Every link of a page, as lxml's plain strings: a parsel Selector per link costs more than
#: the link is worth, and a compiled XPath is not re-parsed per page.
_HREFS = etree.XPath("//a/@href", smart_strings=False)
#: lxml.html's element classes chosen in C: its own lookup is a Python call for every
#: element the extraction and provenance readers (and trafilatura, on its copies) touch.
#: Only forms and their fields lose their special classes, which nothing here uses.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


@lru_cache(maxsize=8192)
def _join(base: str, href: str) -> str:
    """``urljoin`` for one page's link, remembered: an outlet's pages repeat the same menu,
    sidebar and related links, so almost every link a page holds was joined on an earlier one.
    A root-relative link (``/tag/x.cvn``) depends only on the base's scheme and host, which
    the caller passes as ``base`` for those, so it is joined once per site."""
    return urljoin(base, href)


def _origin(base: str) -> str:
    """``https://host`` of a URL: all a root-relative link's absolute form depends on."""
    scheme, sep, rest = base.partition("://")
    return scheme + sep + rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]


def page_tree(response: TextResponse) -> _Element:
    """The page's HTML tree, parsed as ``response.selector`` parses it but not kept on the
    response.

    Scrapy's selector holds its response and the response caches its selector: a reference
    cycle, so every page (its bytes, its tree, its parser) stayed in memory until the
    garbage collector's next pass, which then had to walk them all. Spiders call this once
    per page and hand the tree on, and the page is freed as soon as its item is stored.

    Two things libxml2 cannot read are repaired first, and noted in ``response.meta``
    (``crawler.middlewares.repairs`` logs and counts them): control characters (one
    ``\\x0b`` made trafilatura find no text at all) are removed, and a page nested deeper
    than libxml2's hard limit (2,048 levels, where it silently drops the rest of the page)
    is re-read with the tags below that depth dropped, their text kept.
    """
    text, removed = response.text, 0
    if not _decoded_as_utf8(response) or utf8_has_control_chars(response.body, text):
        text, removed = strip_control_chars(text)
    repairs: dict[str, int] = {}
    if removed:
        repairs["control_chars_removed"] = removed
    body = (None if removed else _own_utf8(response, text)) or _utf8(text)
    root, too_deep = _parse_html(body, get_base_url(response))
    if too_deep:
        root, _ = _parse_html(_utf8(flatten_deep_tags(text)), get_base_url(response))
        repairs["deep_nesting_flattened"] = 1
    if repairs and response.request is not None:
        response.meta.setdefault(REPAIRS_META, {}).update(repairs)
    return root


def _decoded_as_utf8(response: TextResponse) -> bool:
    """Whether the response's text was decoded from its bytes as UTF-8 (after a UTF-8 BOM, if
    any): its bytes then say which characters it holds (``utf8_has_control_chars``)."""
    return response.encoding == "utf-8" and read_bom(response.body)[0] in (None, "utf-8")


def _utf8(text: str) -> bytes:
    """What libxml2 reads of a page's text: UTF-8, without the whitespace around it."""
    return text.strip().encode("utf-8") or b"<html/>"


def _own_utf8(response: TextResponse, text: str) -> bytes | None:
    """``_utf8(text)`` taken from the response's own bytes, when they are those bytes: a
    page in UTF-8 (nearly every page) was decoded from them, and encoding its text again
    cost a quarter of the parse. They are when the page was read as UTF-8 without a BOM
    and no byte was replaced (no U+FFFD in the text: a decode without replacements is exact),
    and the whitespace around the page is ASCII (one byte a character). None otherwise."""
    body = response.body
    if response.encoding != "utf-8" or body.startswith(codecs.BOM_UTF8) or "\ufffd" in text:
        return None
    lead, trail = _spaces_around(text)
    if not lead and not trail:
        return body or None
    if lead == len(text) or not (text[:lead].isascii() and text[len(text) - trail :].isascii()):
        return None
    return body[lead : len(body) - trail]


def _spaces_around(text: str, edge: int = 256) -> tuple[int, int]:
    """``len(text) - len(text.lstrip())`` and the same for ``rstrip``, from the text's ends:
    stripping the whole text copies all of it (a third of a megabyte on a real page) to
    measure a few characters. Only a text whose first or last ``edge`` characters are all
    whitespace is stripped whole."""
    head, tail = text[:edge], text[-edge:]
    lead = len(head) - len(head.lstrip())
    trail = len(tail) - len(tail.rstrip())
    if lead == len(head) or trail == len(tail):
        return len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
    return lead, trail


def _parse_html(body: bytes, base_url: str) -> tuple[_Element, bool]:
    """The tree of a page's UTF-8 bytes as parsel builds it (lxml.html, recovering,
    huge_tree), and whether libxml2 gave up on the page's depth. No table of the ``id``
    attributes: only XPath's ``id()`` reads it, which nothing here or in trafilatura calls."""
    parser = lxml.html.HTMLParser(recover=True, encoding="utf-8", huge_tree=True, collect_ids=False)
    parser.set_element_class_lookup(_HTML_CLASSES)
    root = etree.fromstring(body, parser=parser, base_url=base_url)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser, base_url=base_url)
    too_deep = any("Excessive depth" in error.message for error in parser.error_log)
    return root, too_deep


def split_urls(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [u.strip() for u in value.split(",") if u.strip()]
    return [u.strip() for u in value if u.strip()]


def fetch_record(response: Response) -> Fetch:
    """When and what was fetched, and the WARC record holding those bytes: the downloader
    (live capture, or replay from a WARC) names it in ``request.meta``."""
    archived = (response.meta.get(META_KEY) if response.request else None) or {}
    return Fetch(
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        status=response.status,
        sha256=hashlib.sha256(response.body).hexdigest(),
        replayed="replayed" in response.flags,
        warc=archived.get("warc"),
        offset=archived.get("offset"),
        record_id=archived.get("record_id"),
        # The URLs that redirected here, in the order followed (Scrapy's RedirectMiddleware).
        redirects=list(response.meta.get("redirect_urls", ())) if response.request else [],
    )


class OutletSpider(scrapy.Spider):
    """Crawls one outlet from its seed list, following article and listing links.

    Arguments: ``-a start_urls=u1,u2`` replaces the seed list; ``-a follow=0`` stays on
    the start pages (handy to crawl one article).
    """

    profile_name: ClassVar[str]
    profile: Profile

    def __init__(
        self,
        *args: Any,
        start_urls: str | None = None,
        follow: str | bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.profile = load_profile(self.profile_name)
        self.allowed_domains = list(self.profile.domains)
        self._start_override = split_urls(start_urls)
        self.follow = str(follow).lower() not in {"0", "false", "no", "off"}
        # URLs this spider already asked for. Article pages repeat the same menu, sidebar and
        # related links; dropping repeats here spares each one a Request, the spider
        # middlewares and the dupefilter (which still guards across restarts).
        self._requested: set[str] = set()
        self._seen_links: set[str] = set()  # hrefs as joined, before normalising

    def start_url_list(self) -> list[str]:
        if self._start_override:
            return self._start_override
        path = seeds_dir(self.settings.get("WIRETRACE_SEEDS_DIR")) / f"{self.name}.txt"
        if not path.is_file():
            raise FileNotFoundError(
                f"{self.name}: no seed list at {path} (or pass -a start_urls=...)"
            )
        return read_url_list(path)

    @property
    def crawls_seed_list(self) -> bool:
        """Whether this crawl starts from the outlet's seed list (not ``-a start_urls``): only
        such a crawl also revisits known articles (``crawler.middlewares.revisits``)."""
        return not self._start_override

    async def start(self) -> AsyncIterator[scrapy.Request]:
        try:
            urls = self.start_url_list()
        except FileNotFoundError as missing:
            self.logger.error("nothing to crawl: %s", missing)
            self.crawler.stats.set_value("wiretrace/start_error", str(missing))
            return
        for url in urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if isinstance(response, XmlResponse):
            yield from self.follow_feed(response)
            return
        if not isinstance(response, TextResponse):  # the guard turns these away first
            return
        url = response.url
        if self.profile.is_article_url(url):
            # Read even when the profile's article marker misses (a redesign, a live site
            # unlike the reconstructed pages): the extract pipeline reads what the profile
            # cannot find the generic way and skips the page only if it has no article text.
            page = PageQuery(page_tree(response))
            # Links first: the item's page tree then belongs to the pipelines alone.
            requests = list(self.follow_links(response, page.tree))
            yield self.article_item(response, page)
            yield from requests
            return
        if self.profile.is_listing_url(url):
            self.crawler.stats.inc_value("wiretrace/listing_pages")
            yield from self.follow_links(response, page_tree(response))
            return
        record_skip(self.crawler.stats, "not_article", url, "neither an article nor a listing page")

    def follow_links(self, response: TextResponse, root: _Element) -> Iterator[scrapy.Request]:
        """Article and listing links of this outlet (in ``root``, the page's tree), each
        asked for once."""
        if not self.follow:
            return
        base = get_base_url(response)
        origin = _origin(base)
        for href in _HREFS(root):
            href = href.strip()
            if href.startswith(("http://", "https://")):
                joined = href
            elif href.startswith("/") and not href.startswith("//"):
                joined = _join(origin, href)
            else:
                joined = _join(base, href)
            if joined in self._seen_links:  # cheap check first: most links are repeats
                continue
            self._seen_links.add(joined)
            url = safe_url_string(joined).split("#", 1)[0]
            if url in self._requested or not self.wanted(url):
                continue
            self._requested.add(url)
            yield scrapy.Request(url, callback=self.parse)

    def wanted(self, url: str) -> bool:
        if not url.startswith(("http://", "https://")):
            return False
        if self.allowed_domains and urlparse(url).hostname not in self.allowed_domains:
            return False
        return self.profile.is_article_url(url) or self.profile.is_listing_url(url)

    def follow_feed(self, response: XmlResponse) -> Iterator[scrapy.Request]:
        """RSS and Atom feeds: follow the entries' links that are articles of this outlet."""
        response.selector.remove_namespaces()
        for url in response.xpath("//item/link/text() | //entry/link/@href").getall():
            url = url.strip()
            if self.follow and url not in self._requested and self.profile.is_article_url(url):
                self._requested.add(url)
                yield response.follow(url, callback=self.parse)

    def outlet_of(self, response: TextResponse, page: PageQuery) -> str:
        return self.profile.id

    def article_item(self, response: TextResponse, page: PageQuery) -> ArticleItem:
        language = response.headers.get(b"Content-Language")
        item = ArticleItem(
            url=response.url,
            outlet=self.outlet_of(response, page),
            fetch=fetch_record(response),
        )
        parsed = Page(
            url=response.url,
            tree=page.tree,
            query=page,
            content_language=language.decode("latin-1") if language else None,
        )
        return attach(item, parsed)
