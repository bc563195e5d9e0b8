"""Pages per second with 1, 2 and 4 workers sharing one crawl, and PostgreSQL against SQLite.

A generated site (tests/sitegen.py: the three outlets' article markup, section pages of 50
links) is served by the local test server with a fixed delay on every response (200 ms by
default), so a crawl waits on the network as it does on the web instead of measuring this
machine's CPU. Each worker is ``scrapy crawlall cvn lagazette leplacentin`` in its own
process, at one request at a time per host (``CONCURRENT_REQUESTS_PER_DOMAIN=1``, the polite
setting a real deployment uses); the workers share one Redis and one PostgreSQL database.
Then one worker alone, without Redis, into SQLite and into PostgreSQL: the store's cost.

Every run crawls the whole site into a fresh database. Pages per second are measured over
the crawl itself, from the first request the server sees to the last one: start-up (a few
seconds per process, more when N processes import Scrapy at once on a small machine) is a
fixed cost that a real crawl of thousands of pages amortises, and it would otherwise hide
how the crawl scales; the time from start to exit is printed beside it. It starts
its own PostgreSQL and Redis (tests/servers.py), or uses ``WIRETRACE_TEST_POSTGRES`` and
``WIRETRACE_TEST_REDIS``. The last line is one JSON object::

    {"pages_per_s": {"1": ..., "2": ..., "4": ...}, "postgres_over_sqlite": ...}

``postgres_over_sqlite`` is PostgreSQL's wall time over SQLite's for one worker (1.0: the
same; the target is at most 1.5). The target for workers: 4 ≥ 3 × 1.

    python benchmarks/distributed.py                 # 900 pages, 200 ms
    python benchmarks/distributed.py --pages 300 --delay 0.1
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
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
POLITE = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "WIRETRACE_REDIS_WORKER_TIMEOUT": "5"}


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
    crawling: float  # from the first request the server saw to the last one


def crawl(
    site: Site, server: LiveServer, work: Path, workers: int, db: str, redis_url: str | None
) -> Timing:
    """How long ``workers`` processes take to crawl the whole site into ``db``."""
    work.mkdir(parents=True)
    started = time.perf_counter()
    seen = len(server.requests)
    processes = [
        subprocess.Popen(
            worker_command(site, server, work, f"w{i}", db=db, redis=redis_url, settings=POLITE),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(work / f"w{i}.log").open("wb"),
        )
        for i in range(workers)
    ]
    first = last = None
    while any(p.poll() is None for p in processes):
        count = len(server.requests)
        if count != seen:
            last = time.perf_counter()
            first = first or last
            seen = count
        time.sleep(0.02)
    wall = time.perf_counter() - started
    codes = [p.wait() for p in processes]
    if any(codes) or first is None or last is None:
        raise SystemExit(f"a worker failed ({codes}); see {work}/*.log")
    return Timing(wall, last - first)


def stored(db: str) -> int:
    from crawler.storage import open_store

    store = open_store(db, create=False)
    try:
        return sum(1 for _ in store.reuse_docs())
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=900)
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
        total = len(site.articles) + len(site.listings)
        print(
            f"{args.pages} articles + {len(site.listings)} section pages, "
            f"{args.delay * 1000:.0f} ms per response, one request at a time per host",
            flush=True,
        )
        for n, workers in enumerate(WORKERS):
            db = fresh_database(pg)
            timing = crawl(
                site, server, Path(tmp) / f"x{workers}", workers, db, f"{redis_base}/{n + 4}"
            )
            got = stored(db)
            drop_database(db)
            if got != args.pages:
                raise SystemExit(f"{workers} workers stored {got} of {args.pages} articles")
            pages_per_s[str(workers)] = round(total / timing.crawling, 2)
            print(f"{workers} worker(s), Redis + PostgreSQL: crawling {timing.crawling:6.1f} s "
                  f"({total / timing.crawling:6.1f} pages/s); start to exit {timing.wall:6.1f} s "
                  f"({total / timing.wall:6.1f} pages/s)", flush=True)  # fmt: skip
        alone: dict[str, Timing] = {}
        for backend in ("sqlite", "postgresql"):
            db = str(Path(tmp) / "alone.sqlite") if backend == "sqlite" else fresh_database(pg)
            alone[backend] = crawl(site, server, Path(tmp) / backend, 1, db, None)
            got = stored(db)
            if backend == "postgresql":
                drop_database(db)
            if got != args.pages:
                raise SystemExit(f"one worker on {backend} stored {got} of {args.pages}")
            print(f"1 worker alone, {backend}: crawling {alone[backend].crawling:6.1f} s, "
                  f"start to exit {alone[backend].wall:6.1f} s", flush=True)  # fmt: skip

    ratio = round(alone["postgresql"].crawling / alone["sqlite"].crawling, 2)
    print(f"4 workers / 1 worker: {pages_per_s['4'] / pages_per_s['1']:.2f}x (target >= 3)")
    print(f"PostgreSQL / SQLite, one worker: {ratio:.2f}x the time (target <= 1.5)")
    print(json.dumps({"pages_per_s": pages_per_s, "postgres_over_sqlite": ratio}))


if __name__ == "__main__":
    main()
