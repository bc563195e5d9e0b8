"""Running the product as a user does, under the faults the suite imposes: a full disk (a
file-size limit on the child), no network (a socket guard), a server that misbehaves.

Helpers only: no tests here.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent

#: Run in the child before Scrapy: every name lookup or connect() for anything but the local
#: host is written to the file named by WIRETRACE_TEST_SOCKETS and refused, so a test can
#: prove a crawl offline (a lookup is refused first, as a machine without network would).
SOCKET_GUARD = """
import os, socket
_log = os.environ["WIRETRACE_TEST_SOCKETS"]
_LOCAL = ("127.0.0.1", "::1", "localhost")
def _refuse(host):
    with open(_log, "a") as out:
        out.write(f"{host}\\n")
    raise OSError("network use refused by the test")
_connect = socket.socket.connect
def _guard_connect(self, address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if host not in _LOCAL and not str(host).startswith("/"):
        _refuse(host)
    return _connect(self, address)
_getaddrinfo = socket.getaddrinfo
def _guard_getaddrinfo(host, *args, **kwargs):
    if host is not None and str(host) not in _LOCAL:
        _refuse(host)
    return _getaddrinfo(host, *args, **kwargs)
socket.socket.connect = _guard_connect
socket.getaddrinfo = _guard_getaddrinfo
"""


#: Run in the child before Scrapy: at exit, its peak resident memory (bytes) goes to the
#: file named by WIRETRACE_TEST_PEAK (RUSAGE_CHILDREN in the parent mixes all children).
PEAK_RECORDER = """
import atexit, os, resource
def _peak():
    with open(os.environ["WIRETRACE_TEST_PEAK"], "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))
atexit.register(_peak)
"""


@dataclass
class Run:
    """A finished command: exit code, stdout, stderr (the log), and where its output went."""

    returncode: int
    stdout: str
    log: str
    out: Path

    def stats(self, spider: str = "article") -> dict[str, Any]:
        return json.loads((self.out / f"{spider}.stats.json").read_text(encoding="utf-8"))

    def items(self, spider: str = "article") -> list[dict[str, Any]]:
        path = self.out / f"{spider}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    @property
    def peak_rss(self) -> int:
        """The child's peak resident memory in bytes (runs started with ``measure``)."""
        return int((self.out / "peak_rss").read_text())

    @property
    def failure_lines(self) -> list[str]:
        """Lines the commands print to say a job failed or a setting is wrong."""
        return [line for line in self.log.splitlines() if line.startswith("scrapy ")]


def file_size_limit(limit: int) -> Callable[[], None]:
    """A ``preexec_fn``: writes past ``limit`` bytes fail with EFBIG, as on a full disk
    (SIGXFSZ ignored, or the kernel would kill the child instead)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def scrapy(
    args: list[str],
    out: Path,
    *,
    settings: dict[str, Any] | None = None,
    cwd: Path = ROOT,
    fsize: int | None = None,
    guard_sockets: Path | None = None,
    stats: bool = True,
    feed: bool = False,
    measure: bool = False,
    timeout: float = 300,
) -> Run:
    """``scrapy <args>`` in a child process, as a user or cron would run it; with ``feed``,
    items go to ``out/<spider>.jsonl`` (``-O``)."""
    out.mkdir(parents=True, exist_ok=True)
    if feed:
        args = [*args, "-O", str(out / "%(name)s.jsonl")]
    cmd = [sys.executable]
    preamble = (SOCKET_GUARD if guard_sockets else "") + (PEAK_RECORDER if measure else "")
    if preamble:
        cmd += ["-c", preamble + "\nfrom scrapy.cmdline import execute\nexecute()"]
    else:
        cmd += ["-m", "scrapy"]
    cmd += args
    every = dict(settings or {})
    if stats:
        every.setdefault("WIRETRACE_STATS_FILE", str(out / "%(name)s.stats.json"))
    for name, value in every.items():
        cmd += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    if guard_sockets is not None:
        env["WIRETRACE_TEST_SOCKETS"] = str(guard_sockets)
        # An empty cache: a public suffix list fetched by an earlier run must not hide a fetch.
        env["TLDEXTRACT_CACHE"] = str(out / "tldextract-cache")
    if measure:
        env["WIRETRACE_TEST_PEAK"] = str(out / "peak_rss")
    done = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        preexec_fn=file_size_limit(fsize) if fsize else None,
    )
    return Run(done.returncode, done.stdout, done.stderr, out)


def count_rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@dataclass
class Served:
    """What the local server answers for one path."""

    body: bytes
    headers: list[tuple[str, str]]
    #: Announce this Content-Length but send only ``body`` and close (a cut-short body).
    announce: int | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pages: dict[str, Served] = {}  # noqa: RUF012  # replaced per server

    def do_GET(self) -> None:
        page = self.pages.get(self.path)
        if page is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        for name, value in page.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(page.announce or len(page.body)))
        if page.announce:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(page.body)
        if page.announce:
            self.wfile.flush()
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(pages: dict[str, Served]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (free port) answering ``pages`` by path; its base URL."""
    handler = type("Handler", (_Handler,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
