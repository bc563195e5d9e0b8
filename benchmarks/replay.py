"""Full replay crawl versus bare trafilatura on the same pages, side by side in one run.

Builds a replay folder of N article pages (the CVN seed fixtures' bodies under N article
URLs, linked from paginated section pages as a real section is), crawls it with the real
``cvn`` spider, pipelines and SQLite store in a child process, then times bare
``trafilatura.extract`` over the same N bodies in another child process. Prints pages/s of
each and their ratio; the last line is one JSON object:
``pages``, ``crawl_pages_per_s``, ``bare_pages_per_s``, ``ratio``, ``peak_rss_mb``.

    python benchmarks/replay.py --pages 1000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "https://lecourrier.vn/international/74.cvn"
PER_PAGE = 20


def article_bodies(fixtures: Path) -> list[Path]:
    bodies = []
    for expected in sorted((fixtures / "cvn").glob("*/expected.json")):
        if json.loads(expected.read_text(encoding="utf-8")).get("kind") == "article":
            meta = json.loads((expected.parent / "response.json").read_text(encoding="utf-8"))
            bodies.append((expected.parent / meta["body"]).resolve())
    if not bodies:
        raise SystemExit(f"no CVN article fixtures under {fixtures}")
    return bodies


def write_saved(folder: Path, url: str, body: Path, status: int = 200) -> None:
    folder.mkdir(parents=True)
    meta = {"url": url, "status": status, "headers": {"Content-Type": "text/html; charset=utf-8"},
            "body": str(body)}
    (folder / "response.json").write_text(json.dumps(meta), encoding="utf-8")


def build_replay_folder(root: Path, pages: int, bodies: list[Path]) -> list[Path]:
    """N article URLs over the seed bodies, and section pages of PER_PAGE links each."""
    used: list[Path] = []
    sections = (pages + PER_PAGE - 1) // PER_PAGE
    for s in range(sections):
        links = []
        for i in range(s * PER_PAGE, min(pages, (s + 1) * PER_PAGE)):
            url = f"https://lecourrier.vn/article-de-test-{i}/{1_400_000 + i}.html"
            body = bodies[i % len(bodies)]
            write_saved(root / "articles" / str(i), url, body)
            used.append(body)
            links.append(f'<li><a href="{url}">Article {i}</a></li>')
        nxt = f'<a class="next" href="{SECTION}?page={s + 2}">Suivant</a>' if s + 1 < sections else ""
        page = root / "sections" / f"{s}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<html><body><ul>{''.join(links)}</ul>{nxt}</body></html>", encoding="utf-8")
        url = SECTION if s == 0 else f"{SECTION}?page={s + 1}"
        write_saved(root / "section" / str(s), url, page.resolve())
    return used


def run_crawl(replay: Path, work: Path) -> tuple[float, float, dict]:
    stats_file = work / "stats.json"
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "cvn",
        "-a", f"start_urls={SECTION}",
        "-s", f"REPLAY_FROM={replay}",
        "-s", f"WIRETRACE_DB={work / 'bench.sqlite'}",
        "-s", f"WIRETRACE_STATS_FILE={stats_file}",
        "-s", "LOG_LEVEL=ERROR",
        "-s", "ROBOTSTXT_OBEY=False",
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak_mb, json.loads(stats_file.read_text(encoding="utf-8"))


BARE = """
import sys, time, trafilatura
paths = sys.argv[1:]
start = time.perf_counter()
for p in paths:
    with open(p, "rb") as f:
        trafilatura.extract(f.read())
print(time.perf_counter() - start)
"""


def run_bare(bodies: list[Path]) -> float:
    listing = "\n".join(str(b) for b in bodies)
    out = subprocess.run(
        [sys.executable, "-c", BARE.replace("sys.argv[1:]", "sys.stdin.read().split()")],
        input=listing, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="article pages to replay (default 1000)")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures")
    args = parser.parse_args()

    bodies = article_bodies(args.fixtures)
    with tempfile.TemporaryDirectory(prefix="wiretrace-bench-") as tmp:
        work = Path(tmp)
        used = build_replay_folder(work / "replay", args.pages, bodies)
        print(f"replaying {args.pages} article pages ({len(bodies)} distinct bodies)...", flush=True)
        wall, peak_mb, stats = run_crawl(work / "replay", work)
        scraped = int(stats.get("item_scraped_count", 0))
        crawl_seconds = stats.get("elapsed_time_seconds") or wall
        print("timing bare trafilatura.extract on the same pages...", flush=True)
        bare_seconds = run_bare(used)

    crawl_rate = scraped / crawl_seconds
    bare_rate = len(used) / bare_seconds
    print(f"full crawl : {scraped} items in {crawl_seconds:.1f}s = {crawl_rate:.1f} pages/s "
          f"(process wall {wall:.1f}s, peak RSS {peak_mb:.0f} MB)")
    print(f"bare       : {len(used)} pages in {bare_seconds:.1f}s = {bare_rate:.1f} pages/s")
    print(f"ratio      : {crawl_rate / bare_rate:.2f} (target >= 0.8)")
    if scraped != args.pages:
        print(f"WARNING: {args.pages - scraped} pages were not scraped", file=sys.stderr)
    print(json.dumps({
        "pages": args.pages,
        "crawl_pages_per_s": round(crawl_rate, 2),
        "bare_pages_per_s": round(bare_rate, 2),
        "ratio": round(crawl_rate / bare_rate, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
