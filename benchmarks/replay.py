"""Full replay crawl versus bare trafilatura on the same pages, side by side in one run.

Builds a replay folder of N article pages (the CVN seed fixtures' bodies under N article
URLs, linked from paginated section pages as a real section is), crawls it with the real
``cvn`` spider, pipelines and SQLite store in a child process, then times bare
``trafilatura.extract`` over the same N bodies in another child process. Prints pages/s of
each and their ratio (the median of the rounds' ratios: each round times the crawl and bare
trafilatura back to back, so a machine that speeds up or slows down between rounds, as
shared machines do, moves both), and the ratio of the fastest crawl to the fastest bare run
(noise only ever slows a run down, so the fastest of each is the closest to its own cost:
``timeit``'s convention). The target is judged on the median. The last line is one JSON
object: ``pages``, ``crawl_pages_per_s``, ``bare_pages_per_s``, ``ratio`` (the medians),
``best_ratio``, ``ratio_range`` and ``peak_rss_mb``.

    python benchmarks/replay.py --pages 1000

``--source external`` runs the same comparison on real publisher pages instead: the 181
pages of the Zyte article-extraction benchmark in ``../shared/external`` (evaluation data,
never copied into the repository; skipped with a message when ``../shared`` is absent),
crawled by the generic ``article`` spider, which has no body container to go on and runs
trafilatura's whole cascade as bare trafilatura does. Pages the spider does not take for
articles are left out of both sides (found by one crawl of the distinct pages first), and
pages repeat under distinct URLs to reach N.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT.parent / "shared" / "external" / "zyte-article-benchmark"
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
    meta = {
        "url": url,
        "status": status,
        "headers": {"Content-Type": "text/html; charset=utf-8"},
        "body": str(body),
    }
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
        nxt = (
            f'<a class="next" href="{SECTION}?page={s + 2}">Suivant</a>' if s + 1 < sections else ""
        )
        page = root / "sections" / f"{s}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<html><body><ul>{''.join(links)}</ul>{nxt}</body></html>", encoding="utf-8"
        )
        url = SECTION if s == 0 else f"{SECTION}?page={s + 1}"
        write_saved(root / "section" / str(s), url, page.resolve())
    return used


def external_pages(work: Path) -> list[tuple[str, Path]]:
    """(URL, body file) of each Zyte benchmark page, decompressed into ``work``."""
    gold = json.loads((EXTERNAL / "ground-truth.json").read_text(encoding="utf-8"))
    folder = work / "external"
    folder.mkdir(parents=True)
    pages = []
    for page_id, entry in sorted(gold.items()):
        body = folder / f"{page_id}.html"
        body.write_bytes(gzip.decompress((EXTERNAL / "html" / f"{page_id}.html.gz").read_bytes()))
        pages.append((entry["url"], body))
    return pages


def copy_url(url: str, copy: int) -> str:
    """The page's URL, or a distinct URL for its ``copy``-th repeat."""
    if not copy:
        return url
    url = url.split("#", 1)[0]
    return f"{url}{'&' if '?' in url else '?'}wiretrace_copy={copy}"


def build_external_folder(
    root: Path, pages: int, sources: list[tuple[str, Path]]
) -> tuple[list[Path], Path]:
    """N article URLs over the real pages; returns the bodies used and the URL list file."""
    used: list[Path] = []
    urls = []
    for i in range(pages):
        url, body = sources[i % len(sources)]
        url = copy_url(url, i // len(sources))
        write_saved(root / "articles" / str(i), url, body)
        used.append(body)
        urls.append(url)
    url_file = root / "urls.txt"
    url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return used, url_file


def article_pages(work: Path, sources: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The pages the generic spider takes for articles, from one crawl of them all."""
    replay = work / "probe"
    _, url_file = build_external_folder(replay, len(sources), sources)
    run_crawl(replay, work, "probe", ["article", "-a", f"url_file={url_file}"])
    with sqlite3.connect(work / "bench-probe.sqlite") as conn:
        stored = {url for (url,) in conn.execute("SELECT url FROM articles")}
    return [(url, body) for url, body in sources if url in stored]


def run_crawl(
    replay: Path, work: Path, run: int | str, spider: list[str] | None = None
) -> tuple[float, float, dict]:
    """One crawl in a child process: (wall seconds, peak RSS in MB, its stats)."""
    stats_file = work / f"stats-{run}.json"
    cmd = [
        sys.executable, "-m", "scrapy", "crawl",
        *(spider or ["cvn", "-a", f"start_urls={SECTION}"]),
        "-s", f"REPLAY_FROM={replay}",
        "-s", f"WIRETRACE_DB={work / f'bench-{run}.sqlite'}",
        "-s", f"WIRETRACE_STATS_FILE={stats_file}",
        "-s", "LOG_LEVEL=ERROR",
        "-s", "ROBOTSTXT_OBEY=False",
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    wall = time.perf_counter() - start
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    # Scrapy's MemoryUsage extension samples the crawl process's own peak RSS.
    peak_mb = stats.get("memusage/max", 0) / 2**20
    return wall, peak_mb, stats


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
    parser.add_argument("--pages", type=int, default=1000, help="article pages (default 1000)")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures")
    parser.add_argument(
        "--source", choices=("cvn", "external"), default="cvn",
        help="cvn: the CVN seed fixtures (default); external: real publisher pages",
    )  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=7,
        help="alternate crawl and bare runs this many times; medians are reported",
    )  # fmt: skip
    args = parser.parse_args()

    if args.source == "external" and not EXTERNAL.is_dir():
        print(f"skipped: no external pages at {EXTERNAL} (../shared is absent)")
        return
    crawl_rates: list[float] = []
    bare_rates: list[float] = []
    ratios: list[float] = []
    peaks: list[float] = []
    with tempfile.TemporaryDirectory(prefix="wiretrace-bench-") as tmp:
        work = Path(tmp)
        spider: list[str] | None = None
        if args.source == "external":
            sources = article_pages(work, external_pages(work))
            used, url_file = build_external_folder(work / "replay", args.pages, sources)
            spider = ["article", "-a", f"url_file={url_file}"]
            distinct = len(sources)
        else:
            bodies = article_bodies(args.fixtures)
            used = build_replay_folder(work / "replay", args.pages, bodies)
            distinct = len(bodies)
        print(
            f"{args.pages} article pages ({distinct} distinct bodies, {args.source}), "
            f"{args.repeat} rounds"
        )
        for run in range(args.repeat):
            wall, peak_mb, stats = run_crawl(work / "replay", work, run, spider)
            scraped = int(stats.get("item_scraped_count", 0))
            if scraped != args.pages:
                print(f"WARNING: {args.pages - scraped} pages were not scraped", file=sys.stderr)
            # The crawl's own clock (engine start to close), not Python start-up.
            crawl_seconds = stats.get("elapsed_time_seconds") or wall
            bare_seconds = run_bare(used)
            crawl_rates.append(scraped / crawl_seconds)
            bare_rates.append(len(used) / bare_seconds)
            ratios.append(crawl_rates[-1] / bare_rates[-1])
            peaks.append(peak_mb)
            print(
                f"  round {run + 1}: crawl {crawl_rates[-1]:.1f} pages/s "
                f"(peak RSS {peak_mb:.0f} MB), bare {bare_rates[-1]:.1f} pages/s, "
                f"ratio {ratios[-1]:.2f}",
                flush=True,
            )

    crawl_rate = statistics.median(crawl_rates)
    bare_rate = statistics.median(bare_rates)
    ratio = statistics.median(ratios)
    peak_mb = max(peaks)
    print(f"full crawl : {crawl_rate:.1f} pages/s (spider, pipelines, SQLite; median)")
    print(f"bare       : {bare_rate:.1f} pages/s (trafilatura.extract on the same bytes; median)")
    best_ratio = max(crawl_rates) / max(bare_rates)
    print(
        f"ratio      : {ratio:.2f} (median of the rounds' ratios, range "
        f"{min(ratios):.2f}-{max(ratios):.2f}; target >= 0.8), peak RSS {peak_mb:.0f} MB"
    )
    print(
        f"best of {len(ratios)} : crawl {max(crawl_rates):.1f}, bare {max(bare_rates):.1f} "
        f"pages/s, ratio {best_ratio:.2f}"
    )
    print(json.dumps({
        "source": args.source,
        "pages": args.pages,
        "crawl_pages_per_s": round(crawl_rate, 2),
        "bare_pages_per_s": round(bare_rate, 2),
        "ratio": round(ratio, 3),
        "best_ratio": round(best_ratio, 3),
        "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
        "peak_rss_mb": round(peak_mb, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
