"""Pages per second with 1, 2 and 4 workers sharing one crawl, and PostgreSQL against SQLite.

A generated site (tests/sitegen.py: the three outlets' article markup, section pages of 50
links) is served by the local test server with a fixed delay on every response (200 ms by
default), so a crawl waits on the network as it does on the web instead of measuring this
machine's CPU. Each worker is ``scrapy crawlall cvn lagazette leplacentin`` in its own
process with the politeness a deployment gets by default: AutoThrottle on (``ModeAddon``:
about one request in flight per host and worker, 5 s start delay), Scrapy's concurrency
limits (16 requests, 8 per host) and robots.txt obeyed; the workers share one Redis and one
PostgreSQL database. Then one worker alone, without Redis, into SQLite and into PostgreSQL:
the store's cost.

Every run crawls the whole site into a fresh database; 1, 2 and 4 workers crawl the same
pages with the same settings. Each worker's AutoThrottle starts slow (5 s before its first
page, then halving towards the server's latency: some 11 s per host), a fixed cost of every
worker that a real deployment's long crawl amortises, and a short benchmark does not: hence
1,800 pages by default, so that 4 workers crawl well past their warm-up. Start-up (importing
Scrapy, building three crawlers: seconds per process, more when N processes start at once on
a small machine) is another, so the clock of pages per second runs from the moment **every**
worker has opened its spiders to the last request the server sees, over the pages requested
in that window; start-up, the tail (last request to exit) and the time from start to exit
are printed beside it, and so is the steady rate: pages/s between the moments the window's
10th and 90th percent of pages were requested, once every worker's AutoThrottle has left its
slow start (what a long crawl runs at). So are each worker's CPU seconds (start-up and crawl
apart) and its CPU share of the crawl window: a worker near 100% was bound by CPU, not by
waiting; the CPU milliseconds per page (all workers' crawl CPU over the pages) do not depend
on what else the machine runs, the pages per second do: each line gives the load average
seen when it ended, and the latency AutoThrottle measured (median and 90th percentile over
every response, ``AUTOTHROTTLE_DEBUG``) against the server's delay: a worker whose reactor
is busy (saving, extracting) when a response arrives measures the wait as the server's
latency, and AutoThrottle paces each host by it. It starts its own PostgreSQL and Redis
(tests/servers.py), or uses ``WIRETRACE_TEST_POSTGRES`` and ``WIRETRACE_TEST_REDIS``. The
last line is one JSON object::

    {"pages_per_s": {"1": ..., "2": ..., "4": ...}, "postgres_over_sqlite": ...,
     "steady_pages_per_s": {"1": ..., "2": ..., "4": ...}}

``postgres_over_sqlite`` is PostgreSQL's crawl time over SQLite's for one worker (1.0: the
same; the target is at most 1.5). The target for workers: 4 >= 3 x 1. One worker is bound
by politeness (three hosts, one request in flight per host); N workers multiply the load on
each host by N, which is what a shared deployment does, and need N times the CPU.

    python benchmarks/distributed.py                 # 1,800 pages, 200 ms
    python benchmarks/distributed.py --pages 300 --delay 0.1
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.liveserver import LiveServer  # noqa: E402
from tests.servers import (  # noqa: E402
    drop_database,
    fresh_database,
    postgres_base,
    postgres_server,
    redis_server,
)
from tests.sitegen import Site, generate, worker_command  # noqa: E402

WORKERS = (1, 2, 4)
#: tests/sitegen.py turns AutoThrottle off (tests want speed); a deployment has it on.
PRODUCTION = {"AUTOTHROTTLE_ENABLED": "True", "WIRETRACE_REDIS_WORKER_TIMEOUT": "5"}
#: Logs the latency AutoThrottle measured for each response (not a politeness setting).
DEBUG = {"AUTOTHROTTLE_DEBUG": "True"}
SETTINGS = PRODUCTION | DEBUG
LATENCY = re.compile(rb"\| latency: *(\d+) ms")
OPENED = b"Spider opened"
TICK = os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    given = os.environ.get("WIRETRACE_TEST_POSTGRES")
    if given:
        yield postgres_base(given)
    else:
        with postgres_server() as url:
            yield url


@contextlib.contextmanager
def redis() -> Iterator[str]:
    given = os.environ.get("WIRETRACE_TEST_REDIS")
    if given:
        yield given
    else:
        with redis_server() as url:
            yield url


@dataclass
class Timing:
    wall: float  # from the workers' start to the last one's exit
    startup: float  # from the workers' start to the moment every one has opened its spiders
    crawling: float  # from that moment to the last request the server saw
    pages: int  # pages requested in that window (robots.txt aside)
    tail: float  # from the last request to the last exit
    cpu_startup: list[float]  # CPU seconds of each worker before that moment
    cpu_crawl: list[float]  # and after it
    latencies: list[int]  # milliseconds, as AutoThrottle measured each response
    progress: list[tuple[float, int]]  # (seconds into the window, pages requested by then)

    @property
    def rate(self) -> float:
        return self.pages / self.crawling

    def latency(self) -> str:
        """Median and 90th percentile of AutoThrottle's measured latency, in ms."""
        if len(self.latencies) < 2:
            return "n/a"
        tenths = statistics.quantiles(self.latencies, n=10)
        return f"{statistics.median(self.latencies):.0f}/{tenths[-1]:.0f} ms (median/p90)"

    @property
    def steady_rate(self) -> float:
        """Pages/s between the moments the window's 10th and 90th percent of pages were
        requested: the rate once every worker's AutoThrottle has left its slow start, and
        before the crawl runs out of pages to share."""
        low, high = 0.1 * self.pages, 0.9 * self.pages
        first = next((t, n) for t, n in self.progress if n >= low)
        last = next((t, n) for t, n in self.progress if n >= high)
        return (last[1] - first[1]) / (last[0] - first[0]) if last[0] > first[0] else self.rate

    @property
    def cpu_per_page(self) -> float:
        """Milliseconds of worker CPU per page crawled, all workers together."""
        return 1000 * sum(self.cpu_crawl) / self.pages

    def describe(self) -> str:
        shares = ", ".join(
            f"{c:.1f}+{s:.1f} ({c / self.crawling:.0%})"
            for s, c in zip(self.cpu_startup, self.cpu_crawl, strict=True)
        )
        return (
            f"{self.pages} pages in {self.crawling:6.1f} s = {self.rate:6.1f} pages/s "
            f"(steady {self.steady_rate:5.1f}); "
            f"start-up {self.startup:5.1f} s, tail {self.tail:4.1f} s, start to exit "
            f"{self.wall:6.1f} s; CPU s per worker, crawl+start-up (share of crawl): {shares}; "
            f"{self.cpu_per_page:.0f} ms CPU per page; AutoThrottle latency "
            f"{self.latency()}; load average {load()}"
        )


def load() -> str:
    """The machine's 1-minute load average: other work slows a waiting crawl too."""
    return f"{os.getloadavg()[0]:.1f}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def pages(server: LiveServer, since: int = 0) -> int:
    """Page requests after the ``since``-th request (robots.txt aside)."""
    return sum(1 for r in server.requests[since:] if not r.url.endswith("/robots.txt"))


def crawl(
    site: Site, server: LiveServer, work: Path, workers: int, db: str, redis_url: str | None
) -> Timing:
    """How long ``workers`` processes take to crawl the whole site into ``db``."""
    work.mkdir(parents=True)
    started = time.perf_counter()
    logs = [work / f"w{i}.log" for i in range(workers)]
    processes = [
        subprocess.Popen(
            worker_command(site, server, work, f"w{i}", db=db, redis=redis_url, settings=SETTINGS),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=logs[i].open("wb"),
        )
        for i in range(workers)
    ]
    spiders = len(site.seeds)
    ready: float | None = None
    at_ready = 0
    cpu_ready: list[float] = []
    usage: dict[int, tuple[int, float]] = {}  # pid -> (exit status, CPU seconds)
    seen, last = len(server.requests), started
    progress: list[tuple[float, int]] = []
    while len(usage) < workers:
        count = len(server.requests)
        if count != seen:
            seen, last = count, time.perf_counter()
            if ready is not None:
                progress.append((last - ready, pages(server, at_ready)))
        for p in processes:
            if p.pid not in usage:
                pid, status, rusage = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    usage[pid] = (status, rusage.ru_utime + rusage.ru_stime)
        if ready is None and all(log.read_bytes().count(OPENED) >= spiders for log in logs):
            # /proc first: a worker that exits before this is read has CPU in ``usage``.
            cpu_ready = [
                usage[p.pid][1] if p.pid in usage else cpu_seconds(p.pid) for p in processes
            ]
            ready = time.perf_counter()
            at_ready = len(server.requests)
        time.sleep(0.02)
    end = time.perf_counter()
    codes = [os.waitstatus_to_exitcode(usage[p.pid][0]) for p in processes]
    for p, code in zip(processes, codes, strict=True):
        p.returncode = code
    window = pages(server, at_ready)
    if any(codes) or ready is None or not window or last <= ready:
        raise SystemExit(f"a worker failed or no page was crawled ({codes}); see {work}/*.log")
    return Timing(
        wall=end - started,
        startup=ready - started,
        crawling=last - ready,
        pages=window,
        tail=end - last,
        cpu_startup=cpu_ready,
        cpu_crawl=[usage[p.pid][1] - c for p, c in zip(processes, cpu_ready, strict=True)],
        latencies=[int(ms) for log in logs for ms in LATENCY.findall(log.read_bytes())],
        progress=progress or [(0.0, 0)],
    )


def stored(db: str) -> int:
    from crawler.storage import open_store

    store = open_store(db, create=False)
    try:
        return sum(1 for _ in store.reuse_docs())
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=1800)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds per response")
    args = parser.parse_args(argv)

    pages_per_s: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory(prefix="wiretrace-bench-") as tmp,
        LiveServer(fixtures=None) as server,
        postgres() as pg,
        redis() as redis_base,
    ):
        site = generate(server, args.pages, delay=args.delay)
        print(
            f"{args.pages} articles + {len(site.listings)} section pages, "
            f"{args.delay * 1000:.0f} ms per response; politeness: {PRODUCTION}",
            flush=True,
        )
        timings: dict[int, Timing] = {}
        for n, workers in enumerate(WORKERS):
            db = fresh_database(pg)
            timings[workers] = timing = crawl(
                site, server, Path(tmp) / f"x{workers}", workers, db, f"{redis_base}/{n + 4}"
            )
            got = stored(db)
            drop_database(db)
            if got != args.pages:
                raise SystemExit(f"{workers} workers stored {got} of {args.pages} articles")
            pages_per_s[str(workers)] = round(timing.rate, 2)
            print(f"{workers} worker(s), Redis + PostgreSQL: {timing.describe()}", flush=True)
        alone: dict[str, Timing] = {}
        for backend in ("sqlite", "postgresql"):
            db = str(Path(tmp) / "alone.sqlite") if backend == "sqlite" else fresh_database(pg)
            alone[backend] = timing = crawl(site, server, Path(tmp) / backend, 1, db, None)
            got = stored(db)
            if backend == "postgresql":
                drop_database(db)
            if got != args.pages:
                raise SystemExit(f"one worker on {backend} stored {got} of {args.pages}")
            print(f"1 worker alone, {backend}: {timing.describe()}", flush=True)

    ratio = round(alone["sqlite"].rate / alone["postgresql"].rate, 2)
    print(
        f"4 workers / 1 worker: {timings[4].rate / timings[1].rate:.2f}x (target >= 3); "
        f"steady {timings[4].steady_rate / timings[1].steady_rate:.2f}x; "
        f"CPU per page {timings[4].cpu_per_page / timings[1].cpu_per_page:.2f}x"
    )
    print(f"PostgreSQL / SQLite, one worker: {ratio:.2f}x the time per page (target <= 1.5)")
    steady = {str(n): round(t.steady_rate, 2) for n, t in timings.items()}
    result = {"pages_per_s": pages_per_s, "postgres_over_sqlite": ratio}
    print(json.dumps({**result, "steady_pages_per_s": steady}))


if __name__ == "__main__":
    main()
