"""A tiny local site for live capture (the crawls run through ``tests.crawling.scrapy``).

Deliberately its own few lines (``http.server`` in a thread) rather than the outlets'
test server: the archive only needs a handful of pages, and must show what came off the
wire (a gzip-encoded page, a redirect, an error page).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from tests.crawling import serving_handler


def article(title: str, paragraphs: list[str]) -> bytes:
    """A page the generic spider takes for an article (og:type article)."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2023-09-13T10:00:00+02:00">
</head><body><article><h1>{title}</h1>
<p class="byline">Par AFP</p>
{body}
</article></body></html>
""".encode()


PLAIN = article(
    "Une page servie telle quelle",
    ["Le premier paragraphe de l'article, assez long pour que l'extraction le garde bien.",
     "Un second paragraphe, lui aussi assez long pour compter comme texte principal ici."],
)  # fmt: skip
ZIPPED = article(
    "Une page servie compressée",
    ["Ce texte voyage compressé en gzip, et l'archive doit garder les octets compressés.",
     "La version décompressée est celle que lit le robot, et son empreinte est dans l'item."],
)  # fmt: skip
MOVED = article(
    "Une page déplacée",
    ["On arrive ici par une redirection permanente depuis l'ancienne adresse de la page.",
     "La redirection elle-même est un échange HTTP, donc elle est archivée elle aussi."],
)  # fmt: skip


class _Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/a.html":
            self._send(200, PLAIN, [("Content-Type", "text/html; charset=utf-8")])
        elif self.path == "/gz.html":
            self._send(200, gzip.compress(ZIPPED, mtime=0),
                       [("Content-Type", "text/html; charset=utf-8"),
                        ("Content-Encoding", "gzip")])  # fmt: skip
        elif self.path == "/old":
            self._send(301, b"moved", [("Location", "/moved.html"), ("Content-Type", "text/plain")])
        elif self.path == "/moved.html":
            self._send(200, MOVED, [("Content-Type", "text/html; charset=utf-8")])
        else:  # robots.txt included: absent, as on many sites
            self._send(404, b"<html><body>not here</body></html>",
                       [("Content-Type", "text/html")])  # fmt: skip

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in [*headers, ("Content-Length", str(len(body)))]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def local_site() -> Iterator[str]:
    """The site's base URL (127.0.0.1, a free port) for the length of the block."""
    with serving_handler(_Site) as base:
        yield base
