"""The one module of shared test helpers: where things are, the fixture cases, running a page
through the spider and pipelines in process, running ``scrapy`` as a child process (the one
runner: replay, live against the local test server, or under a fault: no network, a full
disk, a memory watch), a local server for pages a test makes up, and the items and texts
several test modules use.

Tests import from here, never from ``conftest.py`` or from another test module.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import resource
import signal
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, Evidence, Fetch, Provenance
from crawler.middlewares.guard import ResponseGuard
from crawler.middlewares.replay import ReplayMiddleware
from crawler.pages import Page, attach
from crawler.pipelines.extract import ExtractPipeline
from crawler.pipelines.provenance import ProvenancePipeline
from crawler.pipelines.validate import ValidatePipeline

if TYPE_CHECKING:
    from tests.liveserver import LiveServer
    from tests.servers import Database

# -- where things are -------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"

#: The seed articles of CVN (seeds 001 and 003), as their fixtures and the live server serve them.
CVN_001 = "https://lecourrier.vn/vladimir-poutine-et-kim-jong-un-se-rencontrent-au-cosmodrome-vostotchny/1205536.html"
CVN_003 = "https://lecourrier.vn/poutine-et-kim-se-sont-penches-sur-la-cooperation-dans-le-domaine-spatial/1205484.html"


# -- fixture cases ----------------------------------------------------------------------------


@dataclass
class Case:
    """One saved response and what it must yield."""

    folder: Path
    spider: str
    response: dict[str, Any]
    expected: dict[str, Any]

    @property
    def url(self) -> str:
        return str(self.response["url"])

    @property
    def id(self) -> str:
        return "/".join(self.folder.relative_to(FIXTURES).parts)


def spider_for(folder: Path) -> str:
    """Fixture folders are grouped by spider; bad-input pages are CVN-shaped, the
    text-reuse pages (invented outlets on ``.example`` hosts) are read by the generic spider,
    and the redesigned outlet pages (``redesign/<spider>/<case>``) by their outlet's spider."""
    parts = folder.relative_to(FIXTURES).parts
    if parts[0] == "redesign":
        return parts[1]
    return {"bad": "cvn", "reuse": "article"}.get(parts[0], parts[0])


def fixture_cases(kind: str | None = None) -> list[Case]:
    cases = []
    for expected_path in sorted(FIXTURES.rglob("expected.json")):
        folder = expected_path.parent
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        if kind is not None and expected.get("kind") != kind:
            continue
        response = json.loads((folder / "response.json").read_text(encoding="utf-8"))
        cases.append(Case(folder, spider_for(folder), response, expected))
    return cases


def cases_param(kind: str | None = None) -> Any:
    cases = fixture_cases(kind)
    return pytest.mark.parametrize("case", cases, ids=[c.id for c in cases])


def seed_item(folder: str) -> dict[str, Any]:
    """The item a fixture page must yield (``fixtures/<folder>/expected.json``)."""
    path = FIXTURES / folder / "expected.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))["item"])


# -- one page through the spider and pipelines, in process ------------------------------------


@dataclass
class PageRun:
    items: list[Any] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


@cache
def spider_loader() -> SpiderLoader:
    return SpiderLoader.from_settings(get_project_settings())


def run_page(case: Case) -> PageRun:
    """What a replay crawl runs for one saved page (replay middleware, response guard, the
    spider's parse, the validate, extract and provenance pipelines), without a reactor, so a
    failure points at one page."""
    spidercls = spider_loader().load(case.spider)
    crawler = get_crawler(spidercls, {"REPLAY_FROM": str(FIXTURES)})
    crawler.stats.open_spider()
    spider = spidercls.from_crawler(crawler, start_urls=case.url)
    crawler.spider = spider
    run = PageRun()
    request = Request(case.url)
    try:
        response = ReplayMiddleware.from_crawler(crawler).process_request(request)
        assert response is not None
        response = ResponseGuard.from_crawler(crawler).process_response(request, response)
    except IgnoreRequest:
        run.stats = crawler.stats.get_stats()
        return run
    pipelines: list[Any] = [
        ValidatePipeline.from_crawler(crawler),
        ExtractPipeline.from_crawler(crawler),
        ProvenancePipeline(),
    ]
    for output in spider.parse(response):
        if isinstance(output, Request):
            run.requests.append(output.url)
            continue
        try:
            for pipeline in pipelines:
                output = pipeline.process_item(output)
        except DropItem as drop:
            run.dropped.append(str(drop))
            continue
        run.items.append(output)
    run.stats = crawler.stats.get_stats()
    return run


def exported(item: Any) -> dict[str, Any]:
    """The item as a dict (what a feed would hold, and more)."""
    return ItemAdapter(item).asdict()


# -- scrapy as a child process ----------------------------------------------------------------

#: With these, any request that reached the network would fail loudly: replay must answer all.
NO_NETWORK = '{"http": null, "https": null}'

#: The outlets' hosts as their profiles and seeds name them (``www.`` twins mapped too).
OUTLET_HOSTS = ("lecourrier.vn", "lagazetteaz.fr", "leplacentin.fr")

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
#: The child's own peak: VmHWM of its address space. ``ru_maxrss`` would not do: it keeps the
#: high-water mark of the parent's copy between fork and exec, so a test or benchmark
#: holding big pages in memory would be charged to every crawl it starts.
PEAK_RECORDER = """
import atexit, os, resource
def _peak():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(os.environ["WIRETRACE_TEST_PEAK"], "w") as out:
        out.write(str(peak))
atexit.register(_peak)
"""


#: A finished project command (``command``).
Done = subprocess.CompletedProcess[str]


@dataclass
class Run:
    """A finished command: exit code, stdout, stderr (the log), and where its output went."""

    returncode: int
    stdout: str
    log: str
    out: Path

    def items(self, spider: str = "article") -> list[dict[str, Any]]:
        """The feed's items (runs started with ``feed``); none if it wrote no feed."""
        path = self.out / f"{spider}.jsonl"
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line]

    def stats(self, spider: str = "article") -> dict[str, Any]:
        return json.loads((self.out / f"{spider}.stats.json").read_text(encoding="utf-8"))

    @property
    def peak_rss(self) -> int:
        """The child's peak resident memory in bytes (runs started with ``measure``)."""
        return int((self.out / "peak_rss").read_text())

    @property
    def failure_lines(self) -> list[str]:
        """Lines the commands print to say a job failed or a setting is wrong."""
        return [line for line in self.log.splitlines() if line.startswith("scrapy ")]


def child_env() -> dict[str, str]:
    """The environment without proxy variables: Scrapy's HttpProxyMiddleware would otherwise
    send requests for 127.0.0.1 (or mapped hosts) through a proxy instead of to the server."""
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def live_settings(server: LiveServer, out: Path) -> dict[str, Any]:
    """What turns a production ``scrapy crawl`` into one against ``server``.

    Exactly a production crawl (no ``REPLAY_FROM``, AutoThrottle on, robots.txt obeyed,
    Scrapy's real downloader and middlewares) except for these settings:
    ``WIRETRACE_HOST_MAP`` sends the outlets' hosts to the local server,
    ``WIRETRACE_HOST_MAP_STRICT`` refuses every other host (so no test can reach the
    internet), AutoThrottle starts from a short delay to keep the tests fast, and the WARC
    archive goes to the test's folder.
    """
    return {
        "WIRETRACE_WARC_DIR": out / "warc",
        "WIRETRACE_HOST_MAP": json.dumps(server.host_map(OUTLET_HOSTS)),
        "WIRETRACE_HOST_MAP_STRICT": True,
        "AUTOTHROTTLE_START_DELAY": 0.05,
        "AUTOTHROTTLE_DEBUG": True,  # one log line per response: the slot and delay
    }


def scrapy_command(
    args: list[str],
    out: Path,
    db: Path | str | None = None,
    *,
    replay: Path | None = None,
    offline: bool = False,
    live: LiveServer | None = None,
    settings: Mapping[str, Any] | None = None,
    feed: bool = False,
    stats: bool = True,
    guard_sockets: bool = False,
    measure: bool = False,
) -> list[str]:
    """The command line of ``scrapy <args>`` as ``scrapy()`` runs it (see there), for a test
    that starts the process itself (to interrupt it, say)."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable]
    preamble = (SOCKET_GUARD if guard_sockets else "") + (PEAK_RECORDER if measure else "")
    if preamble:
        cmd += ["-c", preamble + "\nfrom scrapy.cmdline import execute\nexecute()"]
    else:
        cmd += ["-m", "scrapy"]
    cmd += args
    if feed:
        cmd += ["-O", str(out / "%(name)s.jsonl")]
    every: dict[str, Any] = {}
    if db is not None:
        every["WIRETRACE_DB"] = db
    if stats:
        every["WIRETRACE_STATS_FILE"] = out / "%(name)s.stats.json"
    if replay is not None:
        every["REPLAY_FROM"] = replay
    if offline or replay is not None:
        every["DOWNLOAD_HANDLERS"] = NO_NETWORK
    if live is not None:
        every.update(live_settings(live, out))
    every.update(settings or {})
    for name, value in every.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def scrapy(
    args: list[str],
    out: Path,
    db: Path | str | None = None,
    *,
    replay: Path | None = None,
    offline: bool = False,
    live: LiveServer | None = None,
    settings: Mapping[str, Any] | None = None,
    feed: bool = False,
    stats: bool = True,
    guard_sockets: Path | None = None,
    measure: bool = False,
    fsize: int | None = None,
    cwd: Path = ROOT,
    timeout: float = 300,
) -> Run:
    """``scrapy <args>`` in a child process from the project folder, as a user or cron would
    run it. The one way the suite runs a crawl or a command.

    - ``db``: ``WIRETRACE_DB``; ``stats``: the stats to ``out/<spider>.stats.json``;
      ``feed``: the items to ``out/<spider>.jsonl`` (``-O``); ``settings``: more ``-s``,
      applied last.
    - ``replay``: ``REPLAY_FROM``, with no way to the network (as ``offline``: the HTTP
      download handlers are switched off, so a request that got past replay fails loudly).
    - ``live``: the outlets' hosts answered by this local server (``live_settings``).
    - Faults: ``guard_sockets`` logs (to that file) and refuses any connection that is not
      local; ``measure`` records the child's peak memory (``Run.peak_rss``); ``fsize`` makes
      writes past that many bytes fail, as on a full disk.
    """
    cmd = scrapy_command(
        args, out, db, replay=replay, offline=offline, live=live, settings=settings,
        feed=feed, stats=stats, guard_sockets=guard_sockets is not None, measure=measure,
    )  # fmt: skip
    env = child_env()
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


def command(*args: str, db: Path | str, cwd: Path = ROOT, timeout: float = 300) -> Done:
    """``scrapy <args> -s WIRETRACE_DB=<db>``: a project command over a store, as a user runs
    it, its output read as UTF-8 whatever the locale; ``stdout`` and ``stderr`` as printed."""
    env = child_env()
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("SCRAPY_SETTINGS_MODULE", None)  # the project's scrapy.cfg decides
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", f"WIRETRACE_DB={db}"],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )  # fmt: skip


def file_size_limit(limit: int) -> Callable[[], None]:
    """A ``preexec_fn``: writes past ``limit`` bytes fail with EFBIG, as on a full disk
    (SIGXFSZ ignored, or the kernel would kill the child instead)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def enabled_extensions(log: str) -> list[str]:
    """The extensions Scrapy's log says it enabled (the list after "Enabled extensions:")."""
    found = re.search(r"Enabled extensions:\n(\[.*?\])", log, re.DOTALL)
    assert found, "no 'Enabled extensions' line in the log"
    return re.findall(r"'([\w.]+)'", found.group(1))


# -- a local server for one test ---------------------------------------------------------------
# (The outlets' own pages, live, come from tests/liveserver.py; this one answers a handful of
# pages made up by the test, including ones no real server should send.)


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
    with serving_handler(type("Handler", (_Handler,), {"pages": pages})) as base:
        yield base


@contextmanager
def serving_handler(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (free port) run by ``handler``, for the length of the
    block; its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- stored items -----------------------------------------------------------------------------

#: The tables every saved article writes to.
TABLES = ("fetches", "articles", "versions", "evidence")
ITEM_URL = "https://cvn.example/world/xinhua-report-42.html"
ITEM_TEXT = "HANOI, 1 May (Xinhua) – First paragraph.\nSecond paragraph."


def make_item(
    *,
    url: str = ITEM_URL,
    outlet: str = "cvn",
    text: str = ITEM_TEXT,
    body_sha256: str = "a" * 64,
    fetched_at: str = "2025-05-01T08:00:00+00:00",
    page: Page | None = None,
) -> ArticleItem:
    """A complete article as the pipelines hand it to the store (with ``page`` attached, as
    a spider hands it on)."""
    item = ArticleItem(
        url=url,
        outlet=outlet,
        fetch=Fetch(fetched_at=fetched_at, status=200, sha256=body_sha256, replayed=True),
        canonical_url=url,
        title="Un reportage",
        published="2025-05-01T07:30:00+07:00",
        authors=["Rédaction"],
        language="fr",
        text=text,
        provenance=Provenance(
            chain=[["xinhua"], ["vna"], [outlet]],
            basis="credit_line",
            cited=[],
            media=[{"credit": "Photo : AFP/VNA/CVN", "chain": [["afp"], ["vna"], [outlet]]}],
            evidence=[
                Evidence("credit_line", "Xinhua/VNA/CVN", "div.article-meta > p", "xinhua", 0.9),
                Evidence("photo_credit", "Photo : AFP/VNA/CVN", "figure > figcaption", "afp"),
            ],
        ),
    )
    return attach(item, page) if page is not None else item


def row_counts(db: Database | Path) -> dict[str, int]:
    """Rows per table, read through a connection of its own (so only committed rows count);
    ``db`` a SQLite file or a database of either backend (``tests.servers.Database``)."""
    from tests.servers import as_database

    return {t: as_database(db).query(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


# -- texts for text reuse ---------------------------------------------------------------------

#: An English summary of the vietnam.vn article (seed 000): the same facts, other words.
SUMMARY_EN = (
    "Russian President Vladimir Putin personally welcomed North Korean leader Kim Jong Un at "
    "the Vostochny cosmodrome in the Amur region on 13 September, after two days at the "
    "Eastern Economic Forum in Vladivostok.\n"
    "Kim arrived by armoured train. Putin said the meeting was symbolic as 2023 marks 75 "
    "years of diplomatic relations. Kremlin spokesman Dmitry Peskov said talks would cover "
    "sensitive questions and economic and cultural cooperation.\n"
    "According to Sputnik, the two leaders toured the Soyuz-2 launch complex. Putin said "
    "North Korea's leaders were interested in rocket building and space technology."
)


def light_edit(text: str) -> str:
    """A rewrite desks do: new headline, paragraphs reordered and trimmed, a few words changed."""
    paras = text.split("\n")
    body = [paras[0], paras[2], paras[1], paras[4], paras[5], paras[6], paras[8]]
    edited = "\n".join(body).replace("Vladimir Poutine", "le président russe", 2)
    return "Sommet: Poutine et Kim parlent d'espace à Vostotchny\n" + edited


def run_at_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run a command with its stderr on a pseudo-terminal, as a person's shell would."""
    leader, follower = pty.openpty()
    # A terminal of 24 rows and 100 columns (a new pseudo-terminal has no size at all).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "WIRETRACE_PROGRESS"}
    done = subprocess.Popen(
        args, cwd=cwd, stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    done.wait(timeout=300)
    if done.stdout:
        done.stdout.close()
    return done.returncode, b"".join(chunks).decode("utf-8", "replace")
