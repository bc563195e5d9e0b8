"""Hostile pages: what real servers and attackers hand a crawler, built in a few lines each.

Shared by the fault suite (``tests/faults/``) and ``benchmarks/faults.py``, which times
each page and measures its peak memory. Every page is an article the generic spider takes
(``og:type`` article) unless its point is that it cannot be one.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "https://hostile.example"

#: Two paragraphs long enough for trafilatura to keep as main text.
PARAGRAPHS = (
    "Le premier paragraphe de l'article, assez long pour que l'extraction le garde bien.",
    "Un second paragraphe, lui aussi assez long pour compter comme texte principal ici.",
)


def article_html(title: str, body: str = "", *, charset: str = "utf-8", head: str = "") -> str:
    """A page the generic spider takes for an article; ``body`` goes before the two
    standard paragraphs inside ``<article>``."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="{charset}"><title>{title}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2023-09-13T10:00:00+02:00">
{head}</head><body><article><h1>{title}</h1>
<p class="byline">Par AFP</p>
{body}
{paragraphs}
</article></body></html>
"""


@dataclass(frozen=True)
class Hostile:
    """One saved response: its path on ``HOST``, headers, body, and what must become of it."""

    name: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    #: The text the stored item must contain (None: the page must be skipped).
    keeps: str | None = PARAGRAPHS[0]
    #: The stat that must count what happened to the page.
    stat: str | None = None

    @property
    def url(self) -> str:
        return f"{HOST}/{self.name}.html"

    def save(self, root: Path) -> None:
        folder = root / "hostile" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "body.bin").write_bytes(self.body)
        meta = {"url": self.url, "status": 200, "headers": self.headers, "body": "body.bin"}
        (folder / "response.json").write_text(json.dumps(meta), encoding="utf-8")


HTML = {"Content-Type": "text/html; charset=utf-8"}


def control_chars() -> Hostile:
    """C0 controls (vertical tab, escape) and the non-character U+FFFE in the text: lxml
    refuses them, and a page that holds one must not lose its article."""
    body = "<p>Vingt\x0b ans\x1b[2J apr\u00e8s\ufffe, le march\u00e9 a rouvert ses portes.</p>"
    return Hostile(
        "control-chars",
        article_html("Caract\u00e8res de contr\u00f4le", body).encode(),
        dict(HTML),
        stat="wiretrace/control_chars_removed",
    )


def utf16() -> Hostile:
    """UTF-16 with its byte-order mark and the charset declared: text, not binary."""
    html = article_html("Une page en UTF-16", charset="utf-16")
    return Hostile("utf16", html.encode("utf-16"), {"Content-Type": "text/html; charset=utf-16"})


def broken_utf8() -> Hostile:
    """A UTF-8 page with three bad bytes: read as UTF-8, only those bytes replaced."""
    body = (
        "<p>L'\u00e9t\u00e9 \u00e0 H\u00e0 N\u1ed9i, caf\u00e9 cr\u00e8me. Les r\u00e9sidents "
        "ont c\u00e9l\u00e9br\u00e9 la f\u00eate pr\u00e8s du lac, o\u00f9 les h\u00f4tes "
        "\u00e9trangers \u00e9taient nombreux.</p>"
    ).encode()
    html = article_html("Octets invalides").encode().replace(b"<article>", b"<article>" + body)
    html = html.replace(b"caf\xc3\xa9", b"caf\xff\xfe\xc3")  # three invalid bytes
    return Hostile(
        "broken-utf8",
        html,
        dict(HTML),
        keeps="L'\u00e9t\u00e9 \u00e0 H\u00e0 N\u1ed9i",
        stat="wiretrace/charset_repaired",
    )


def deep_nesting(depth: int = 3000) -> Hostile:
    """Text nested deeper than lxml's default limit (256 levels of ``<div>`` in libxml2's
    HTML parser make it stop): the article must be read whole, or counted as a skip."""
    deep = "<div>" * depth + f"<p>{PARAGRAPHS[1]} Profond.</p>" + "</div>" * depth
    return Hostile(
        "deep-nesting",
        article_html("Imbrication profonde", deep).encode(),
        dict(HTML),
        keeps="Profond.",
    )


def oversized(megabytes: int = 12) -> Hostile:
    """A page larger than ``WIRETRACE_MAX_PAGE_BYTES`` (10 MB by default): skipped and
    counted before a tree is built."""
    filler = "<p>" + "remplissage " * 80 + "</p>\n"
    count = megabytes * 1024 * 1024 // len(filler) + 1
    return Hostile(
        "oversized",
        article_html("Trop grande", filler * count).encode(),
        dict(HTML),
        keeps=None,
        stat="wiretrace/pages_skipped/too_large",
    )


def gzip_bomb(megabytes: int = 1024) -> Hostile:
    """A few hundred KB on the wire, ``megabytes`` MB once decompressed: stopped while
    decompressing, never held whole in memory."""
    html = article_html("Bombe").encode()
    head, tail = html.split(b"<p>", 1)
    chunk = b" " * (1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    parts = [packer.compress(head)]
    for _ in range(megabytes):
        parts.append(packer.compress(chunk))
    parts.append(packer.compress(b"<p>" + tail))
    parts.append(packer.flush())
    return Hostile(
        "gzip-bomb",
        b"".join(parts),
        {**HTML, "Content-Encoding": "gzip"},
        keeps=None,
        stat="wiretrace/pages_skipped/too_large",
    )


def many_captions(count: int = 20_000) -> Hostile:
    """Twenty thousand photo credits in one container: each is evidence with a CSS path,
    which must not cost time quadratic in the number of siblings."""
    figures = "".join(
        f'<figcaption class="caption">Photo {i} : AFP/VNA/CVN</figcaption>' for i in range(count)
    )
    return Hostile("many-captions", article_html("L\u00e9gendes", figures).encode(), dict(HTML))


def set_cookie() -> Hostile:
    """A response that sets a cookie: replay must still open no socket (Scrapy's cookie
    middleware asks tldextract for the public suffix list)."""
    return Hostile(
        "set-cookie",
        article_html("Un cookie").encode(),
        {**HTML, "Set-Cookie": "session=abc; Domain=.hostile.example; Path=/"},
    )


def javascript_canonical() -> Hostile:
    """A page whose canonical URL is ``javascript:``: the article is kept, that URL never."""
    head = '<link rel="canonical" href="javascript:alert(document.cookie)">'
    return Hostile(
        "javascript-canonical",
        article_html("Lien canonique", head=head).encode(),
        dict(HTML),
        stat="wiretrace/canonical_rejected",
    )


#: A title that would retitle the terminal and clear it if printed raw.
ESCAPE_TITLE = "\x1b]0;pwned\x07\x1b[2JTitre pi\u00e9g\u00e9"


def escape_title() -> Hostile:
    """Terminal escape codes in the title, written as character references (raw control
    characters are removed before parsing): stored as given, printed escaped."""
    escaped = ESCAPE_TITLE.replace("\x1b", "&#x1b;").replace("\x07", "&#x7;")
    news = (
        "<p>Le 13 septembre 2023, Vladimir Poutine et Kim Jong-un se sont rencontr\u00e9s au "
        "cosmodrome Vostotchny, dans la r\u00e9gion de l'Amour, \u00e0 8 000 km de Moscou, "
        "pour quatre heures d'entretiens avec Sergue\u00ef Choigou et Sergue\u00ef Lavrov.</p>"
    )
    html = article_html("Titre", news).replace(
        '<meta property="og:title" content="Titre">',
        f'<meta property="og:title" content="{escaped}">',
    )
    return Hostile("escape-title", html.encode(), dict(HTML))


#: Every hostile page, by name; each builder makes a fresh one.
PAGES: dict[str, Callable[[], Hostile]] = {
    "control-chars": control_chars,
    "utf16": utf16,
    "broken-utf8": broken_utf8,
    "deep-nesting": deep_nesting,
    "oversized": oversized,
    "gzip-bomb": gzip_bomb,
    "many-captions": many_captions,
    "set-cookie": set_cookie,
    "javascript-canonical": javascript_canonical,
    "escape-title": escape_title,
}


def articles(count: int, *, words: int = 600, host: str = HOST) -> list[Hostile]:
    """``count`` ordinary, distinct articles of about ``words`` words each: the crawl that a
    storage or archive fault interrupts."""
    pages = []
    for number in range(count):
        filler = " ".join(f"mot{number}x{i}" for i in range(words))
        body = f"<p>Article num\u00e9ro {number}. {filler}</p>"
        page = Hostile(f"article-{number:03d}", article_html(f"Article {number}", body).encode(),
                       dict(HTML), keeps=f"Article num\u00e9ro {number}.")  # fmt: skip
        pages.append(page if host == HOST else _on_host(page, host))
    return pages


def _on_host(page: Hostile, host: str) -> Hostile:
    return HostedPage(page.name, page.body, page.headers, page.keeps, page.stat, host)


@dataclass(frozen=True)
class HostedPage(Hostile):
    """A hostile page served from another base URL (a local server)."""

    host: str = HOST

    @property
    def url(self) -> str:
        return f"{self.host}/{self.name}.html"
