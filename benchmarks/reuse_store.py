"""``scrapy reuse`` and ``scrapy stories`` over a store of N articles spread over 60 days.

``benchmarks/reuse.py`` times the algorithms on texts in memory; this times what a user
runs: the commands' own functions (``detect_and_apply``, ``find_stories``) reading a real
SQLite store, saving pairs and applying inferred chains. The corpus is ``reuse.py``'s
(seeded: the same N articles every run, families of copies and decoys planted), saved as
articles of 300 outlets with their own chains.

Each step runs in a child process of its own, so each peak RSS (the process's, store
reading included) is that step's alone: building the store, ``reuse``, ``stories``, and the
store's size with each text stored once against the layout of schema version 4 (the text
in ``item_json`` too), both after ``VACUUM``, with the time the upgrade to 5 takes.
Targets: each command under 60 s and under 1 GB at 100,000 articles. CPU seconds are
printed beside wall seconds: on a loaded machine the wall time says more about the load.
The last line is one JSON object.

    python benchmarks/reuse_store.py                    # 100,000 articles
    python benchmarks/reuse_store.py --articles 10000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from reuse import generate  # noqa: E402  (benchmarks/reuse.py: the corpus)

from crawler.commands.stories import find_stories  # noqa: E402
from crawler.reuse.detect import Doc  # noqa: E402
from crawler.reuse.run import detect_and_apply  # noqa: E402
from crawler.storage import open_store  # noqa: E402

ARTICLES = 100_000
#: The commands' defaults (crawler/commands/reuse.py and stories.py).
MIN_SHARE, MOST = 0.3, 0.5
WINDOW_HOURS, THRESHOLD = 72.0, 0.15


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def item(doc: Doc) -> dict[str, Any]:
    """A stored article as a crawl saves it: its own outlet as the only hop."""
    fetched = doc.published or "2023-11-01T00:00:00+00:00"
    title = " ".join(doc.text.split(" ", 8)[:8])
    return {
        "url": doc.key,
        "outlet": doc.outlet,
        "canonical_url": doc.key,
        "title": title,
        "published": doc.published,
        "authors": [],
        "language": doc.language,
        "text": doc.text,
        "fetch": {
            "fetched_at": fetched,
            "status": 200,
            "sha256": hashlib.sha256(doc.key.encode()).hexdigest(),
            "replayed": False,
        },
        "provenance": {"chain": [[doc.outlet]], "basis": "own", "cited": [], "media": []},
        "fallback_fields": [],
    }


def build(n: int, path: Path) -> dict[str, Any]:
    corpus = generate(n)
    start = time.perf_counter()
    with open_store(path, commit_every=2000) as store:
        for doc in corpus.docs:
            store.save_article(item(doc))
    seconds = time.perf_counter() - start
    print(f"{n} articles saved in {seconds:.1f} s", flush=True)
    return {"build_seconds": round(seconds, 1)}


def reuse(path: Path) -> dict[str, Any]:
    with open_store(path, create=False) as store:
        start, cpu = time.perf_counter(), time.process_time()
        report = detect_and_apply(store, min_share=MIN_SHARE, most=MOST)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    applied = sum(1 for _, taken in report.inferred if taken)
    peak = peak_rss_mb()
    print(
        f"reuse: {report.articles} articles, {len(report.pairs)} pairs stored, "
        f"{applied} chains applied, {seconds:.1f} s ({cpu:.1f} s CPU), peak RSS {peak:.0f} MB",
        flush=True,
    )
    return {
        "reuse_seconds": round(seconds, 1),
        "reuse_cpu_seconds": round(cpu, 1),
        "reuse_peak_rss_mb": round(peak),
    }


def stories(path: Path) -> dict[str, Any]:
    with open_store(path, create=False) as store:
        start, cpu = time.perf_counter(), time.process_time()
        found, total = find_stories(store, window_hours=WINDOW_HOURS, threshold=THRESHOLD)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_rss_mb()
    grouped = sum(len(s) for s in found)
    print(
        f"stories: {total} articles, {len(found)} stories of {grouped} articles, "
        f"{seconds:.1f} s ({cpu:.1f} s CPU), peak RSS {peak:.0f} MB",
        flush=True,
    )
    return {
        "stories_seconds": round(seconds, 1),
        "stories_cpu_seconds": round(cpu, 1),
        "stories_peak_rss_mb": round(peak),
    }


def vacuumed_mb(path: Path) -> float:
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size / 2**20


def layout(path: Path) -> dict[str, Any]:
    """The store's size now, and as schema version 4 wrote it (each whole item, text and
    all, in ``item_json``); then the upgrade of that copy back to 5, timed."""
    old = path.with_name("version4.sqlite")
    shutil.copyfile(path, old)
    with open_store(path, create=False) as store:
        items = list(store.articles())
    with sqlite3.connect(old) as conn:
        conn.executemany(
            "UPDATE articles SET item_json = ? WHERE url = ?",
            (
                (
                    json.dumps(
                        {k: v for k, v in i.items() if k not in ("first_seen", "last_seen")},
                        ensure_ascii=False,
                    ),
                    i["url"],
                )
                for i in items
            ),
        )
        conn.execute("PRAGMA user_version = 4")
    del items
    once, twice = vacuumed_mb(path), vacuumed_mb(old)
    start = time.perf_counter()
    open_store(old).close()
    upgrade = time.perf_counter() - start
    after = vacuumed_mb(old)
    print(
        f"store: {once:.0f} MB with each text once, {twice:.0f} MB as version 4 stored it "
        f"({once / twice:.2f}x); upgrading that copy took {upgrade:.1f} s "
        f"and left {after:.0f} MB after VACUUM",
        flush=True,
    )
    old.unlink()
    return {
        "store_mb": round(once, 1),
        "store_mb_version4": round(twice, 1),
        "upgrade_seconds": round(upgrade, 1),
    }


STEPS = {"build": build, "reuse": reuse, "stories": stories, "layout": layout}


def child(step: str, path: Path, n: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--step", step, "--articles", str(n), "--store", str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    print("\n".join(lines[:-1]), flush=True)
    return dict(json.loads(lines[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run = STEPS[args.step]
        result = run(args.articles, args.store) if args.step == "build" else run(args.store)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="wiretrace-reuse-store-") as tmp:
        path = Path(tmp) / "store.sqlite"
        result: dict[str, Any] = {"articles": args.articles}
        for step in ("build", "reuse", "stories", "layout"):
            result |= child(step, path, args.articles)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
