"""The hostile pages of the fault suite, one replay crawl each: time and peak memory.

Each page (``tests/faults/hostile.py``: control characters, UTF-16, bad UTF-8 bytes, deep
nesting, a 12 MB page, a 50 MB page, a 1 GB gzip bomb, 20,000 captions, ...) is replayed by
the real ``article`` spider in its own child process, so the peak resident memory measured
(``ru_maxrss`` of that child) is the page's alone, start-up included; the time is the crawl's
own ``elapsed_time_seconds`` (engine start to close, without interpreter start-up). An
ordinary article is measured the same way as the baseline.

Target: no page above 10 times its size in memory plus 200 MB (the allowance covers the
~150 MB a crawl holds before its first page), none above 5 s.

    python benchmarks/faults.py            # every page
    python benchmarks/faults.py utf16 ...  # some

Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.crawling import scrapy  # noqa: E402
from tests.faults.hostile import PAGES, Hostile, articles, oversized  # noqa: E402

MB = 1024 * 1024
ALLOWANCE = 200 * MB
SECONDS = 5.0


def measure(page: Hostile, work: Path) -> dict[str, object]:
    saved = work / page.name
    page.save(saved)
    run = scrapy(
        ["crawl", "article", "-a", f"urls={page.url}"],
        work / f"{page.name}-out",
        settings={"REPLAY_FROM": saved, "WIRETRACE_DB": work / f"{page.name}.sqlite"},
        measure=True,
        timeout=600,
    )
    stats = run.stats()
    size = len(page.body)
    peak = run.peak_rss
    seconds = float(stats.get("elapsed_time_seconds", 0.0))
    bound = 10 * size + ALLOWANCE
    return {
        "page": page.name,
        "bytes": size,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / MB, 1),
        "memory_bound_mb": round(bound / MB, 1),
        "stored": stats.get("wiretrace/store/new", 0),
        "skipped": stats.get("wiretrace/pages_skipped", 0),
        "ok": peak <= bound and seconds <= SECONDS and run.returncode == 0,
    }


def pages(names: list[str]) -> list[Hostile]:
    every = {"baseline": lambda: articles(1)[0], **PAGES, "oversized-50mb": lambda: _named(
        oversized(50), "oversized-50mb")}  # fmt: skip
    unknown = sorted(set(names) - set(every))
    if unknown:
        raise SystemExit(f"unknown page(s): {', '.join(unknown)}; known: {', '.join(every)}")
    return [every[name]() for name in (names or list(every))]


def _named(page: Hostile, name: str) -> Hostile:
    return Hostile(name, page.body, page.headers, page.keeps, page.stat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="page names (default: all)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as work:
        for page in pages(args.pages):
            result = measure(page, Path(work))
            results.append(result)
            print(
                f"{result['page']:<22} {result['bytes'] / MB:8.2f} MB  {result['seconds']:6.2f} s"
                f"  peak {result['peak_rss_mb']:7.1f} MB (bound {result['memory_bound_mb']:.0f})"
                f"  stored {result['stored']} skipped {result['skipped']}"
                f"  {'ok' if result['ok'] else 'OVER TARGET'}",
                flush=True,
            )
    worst_seconds = max(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
    print(json.dumps({
        "pages": len(results),
        "all_within_target": all(r["ok"] for r in results),
        "worst_seconds": worst_seconds,
        "worst_memory_share": max(
            float(r["peak_rss_mb"]) / float(r["memory_bound_mb"])  # type: ignore[arg-type]
            for r in results
        ),
        "results": results,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
