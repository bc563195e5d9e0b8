"""A local HTTP server that plays the outlets, for crawling live without the internet.

It serves every saved response of a fixtures folder (``fixtures/<spider>/<case>/response.json``
and its body file) at the outlet's own host and path: a request is answered by its ``Host``
header (port dropped) and its path and query, so a spider whose hosts are mapped here with
``WIRETRACE_HOST_MAP`` (see ``crawler/hostmap.py``) crawls the outlet's real URLs and gets the
saved pages over real HTTP, through Scrapy's real downloader, robots.txt, retry, redirect and
timeout handling.

Tests shape what the "outlet" does between or before crawls::

    with LiveServer() as server:
        server.robots("lecourrier.vn", "User-agent: *\\nDisallow: /secret/1.html\\n")
        server.fail("https://lecourrier.vn/a/1.html", times=2)          # 503, 503, then the page
        server.delay("https://lecourrier.vn/b/2.html", 3)               # a slow page
        server.redirect("https://lecourrier.vn/old", "https://lecourrier.vn/a/1.html")
        server.set_page("https://lecourrier.vn/c/3.html", "<html>…</html>")
        ... crawl with -s WIRETRACE_HOST_MAP=json.dumps(server.host_map(hosts)) ...
        assert server.count("https://lecourrier.vn/secret/1.html") == 0

and read back ``server.requests``, the log of every request received (method, URL, headers).

Bounded by design: it listens on 127.0.0.1 only, on a free port; it answers what it is asked
and nothing more (no loops, no background work); slow responses wake up as soon as the server
stops; and the context manager (or the ``live_server`` fixture) always stops it, also when the
test fails. HTTP/1.0 (one request per connection), so no connection outlives its response.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

try:  # the fixture is for tests; `python -m tests.liveserver` runs without pytest
    import pytest
except ImportError:  # pragma: no cover - exercised by a test that hides pytest
    pytest = None  # type: ignore[assignment]

#: The project's saved pages (tests.crawling names them too, but imports pytest).
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

#: Saved headers the server must not replay: it frames the body itself.
_HOP_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive"}


def page_key(url: str) -> tuple[str, str]:
    """(host, path?query) of a URL as it goes on the wire: the scheme and port play no part,
    since the mapped request reaches this server over plain HTTP on its own port."""
    parts = urlsplit(safe_url_string(url))
    path = parts.path or "/"
    return (parts.hostname or "").lower(), path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    url: str  # the outlet URL, rebuilt from the Host header and the request path
    headers: dict[str, str]

    @property
    def user_agent(self) -> str:
        return self.headers.get("user-agent", "")


@dataclass
class Page:
    """A response the server gives: a saved one, or one set by a test."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class _Controls:
    """What tests changed; every count is consumed under the server's lock."""

    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    failures: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # [times, status]
    delays: dict[tuple[str, str], list[float]] = field(default_factory=dict)  # [seconds, times]
    redirects: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    robots: dict[str, str] = field(default_factory=dict)


def load_saved(root: Path) -> tuple[dict[tuple[str, str], Page], dict[str, str]]:
    """Every saved response below ``root`` by (host, path?query), and each host's scheme."""
    pages: dict[tuple[str, str], Page] = {}
    schemes: dict[str, str] = {}
    for meta_path in sorted(root.rglob("response.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body_name = meta.get("body")
        body = (meta_path.parent / body_name).read_bytes() if body_name else b""
        headers = [(str(k), str(v)) for k, v in meta.get("headers", {}).items()]
        key = page_key(meta["url"])
        if key in pages:
            raise ValueError(f"{meta['url']} is saved twice ({meta_path})")
        pages[key] = Page(int(meta.get("status", 200)), headers, body)
        schemes.setdefault(key[0], urlsplit(meta["url"]).scheme)
    return pages, schemes


class LiveServer:
    """Serves saved pages as their outlets would, on 127.0.0.1; see the module docstring."""

    def __init__(self, fixtures: Path | None = FIXTURES, port: int = 0) -> None:
        self.port = port  # 0: a free port, chosen when the server starts
        self._saved, self._schemes = load_saved(fixtures) if fixtures else ({}, {})
        self._controls = _Controls()
        self._log: list[Received] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _QuietServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> LiveServer:
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        httpd = _QuietServer(("127.0.0.1", self.port), _handler_for(self))
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; slow responses in progress are cut short. Safe to call twice."""
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def hosts(self) -> list[str]:
        """The hosts that have saved pages here."""
        return sorted({host for host, _ in self._saved})

    def host_map(self, hosts: Iterable[str]) -> dict[str, str]:
        """A ``WIRETRACE_HOST_MAP`` value sending each host (and its ``www.`` twin) here."""
        mapping: dict[str, str] = {}
        for host in hosts:
            bare = host.lower().removeprefix("www.")
            mapping[bare] = mapping[f"www.{bare}"] = self.base_url
        return mapping

    # -- controls ----------------------------------------------------------------------

    def set_page(
        self, url: str, body: str | bytes, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Serve ``body`` at ``url`` from now on (a new page, or a changed one)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        given = dict(headers or {"Content-Type": "text/html; charset=utf-8"})
        with self._lock:
            self._controls.pages[page_key(url)] = Page(status, list(given.items()), data)
            self._remember_scheme(url)

    def fail(self, url: str, times: int, status: int = 503) -> None:
        """Answer ``status`` the next ``times`` requests for ``url``, then the page itself."""
        with self._lock:
            self._controls.failures[page_key(url)] = [times, status]
            self._remember_scheme(url)

    def delay(self, url: str, seconds: float, times: int | None = None) -> None:
        """Wait ``seconds`` before answering ``url``: every time, or only the next ``times``."""
        with self._lock:
            self._controls.delays[page_key(url)] = [seconds, -1 if times is None else times]
            self._remember_scheme(url)

    def redirect(self, from_url: str, to_url: str, status: int = 301) -> None:
        """Answer ``from_url`` with ``status`` and ``Location: to_url`` (given as is)."""
        with self._lock:
            self._controls.redirects[page_key(from_url)] = (status, to_url)
            self._remember_scheme(from_url)

    def robots(self, host: str, text: str) -> None:
        """Serve ``text`` as ``/robots.txt`` of ``host`` (without one: 404, as saved)."""
        with self._lock:
            self._controls.robots[host.lower()] = text

    # -- what was asked ----------------------------------------------------------------

    @property
    def requests(self) -> list[Received]:
        """Every request received so far, in order (a copy: safe while serving)."""
        with self._lock:
            return list(self._log)

    def count(self, url: str) -> int:
        """How many times ``url`` was requested (scheme ignored, see ``page_key``)."""
        key = page_key(url)
        return sum(1 for r in self.requests if page_key(r.url) == key)

    # -- serving (handler threads) -----------------------------------------------------

    def _remember_scheme(self, url: str) -> None:
        parts = urlsplit(url)
        self._schemes.setdefault((parts.hostname or "").lower(), parts.scheme)

    def _answer(self, method: str, host: str, target: str, headers: dict[str, str]) -> Page:
        """Log the request and decide the response; sleeps happen outside the lock."""
        key = (host, target)
        with self._lock:
            scheme = self._schemes.get(host, "http")
            self._log.append(Received(method, f"{scheme}://{host}{target}", headers))
            controls = self._controls
            wait = 0.0
            if key in controls.delays:
                seconds, left = controls.delays[key]
                if left != 0:
                    wait = seconds
                    if left > 0:
                        controls.delays[key][1] = left - 1
            page = self._choose(key)
        if wait and self._stopping.wait(wait):
            return Page(503, [], b"")  # stopping: answer at once (the client is gone anyway)
        return page

    def _choose(self, key: tuple[str, str]) -> Page:
        controls = self._controls
        host, target = key
        if key in controls.failures and controls.failures[key][0] > 0:
            controls.failures[key][0] -= 1
            status = controls.failures[key][1]
            return _html_page(status, f"Error {status}")
        if key in controls.redirects:
            status, location = controls.redirects[key]
            page = _html_page(status, "Moved")
            page.headers.append(("Location", location))
            return page
        if target == "/robots.txt" and host in controls.robots:
            body = controls.robots[host].encode("utf-8")
            return Page(200, [("Content-Type", "text/plain; charset=utf-8")], body)
        found = controls.pages.get(key) or self._saved.get(key)
        return found or _html_page(404, "Not found")


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up (download timeouts) are expected here, not errors to print."""

    daemon_threads = True  # a handler still sleeping never blocks the test's exit

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _html_page(status: int, text: str) -> Page:
    body = f"<!doctype html><html><body><h1>{text}</h1></body></html>".encode()
    return Page(status, [("Content-Type", "text/html; charset=utf-8")], body)


def _handler_for(server: LiveServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"
        timeout = 10  # a client that connects and says nothing cannot hold a thread for long

        def do_GET(self) -> None:
            self._serve(send_body=True)

        def do_HEAD(self) -> None:
            self._serve(send_body=False)

        def _serve(self, *, send_body: bool) -> None:
            # The host as page_key() reads it from a URL: lower case, no port, no brackets.
            host = urlsplit("//" + (self.headers.get("Host") or "").strip()).hostname or ""
            headers = {k.lower(): v for k, v in self.headers.items()}
            page = server._answer(self.command, host, self.path, headers)
            try:
                self.send_response(page.status)
                for name, value in page.headers:
                    if name.lower() not in _HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(page.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a download timeout): nothing to tell it

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the request log is ``server.requests``; stderr stays the test's

    return Handler


def _live_server() -> Iterator[LiveServer]:
    """A running ``LiveServer`` over ``fixtures/``, stopped when the test ends."""
    with LiveServer() as server:
        yield server


live_server = pytest.fixture(_live_server, name="live_server") if pytest is not None else None


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.liveserver``: serve the fixtures by hand, to try a live crawl."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    args = parser.parse_args(argv)
    with LiveServer(args.fixtures, port=args.port) as server:
        host_map = json.dumps(server.host_map(server.hosts))
        print(f"serving the saved pages of {', '.join(server.hosts)} at {server.base_url}")
        print(f"crawl with: scrapy crawl <spider> -s 'WIRETRACE_HOST_MAP={host_map}'")
        print("Ctrl-C stops it.", flush=True)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
