"""Main-text quality and speed of ``scrapy crawl article`` against bare trafilatura, on the
181 real pages of the Zyte article-extraction benchmark, side by side in one run.

The pages (``../shared/external/zyte-article-benchmark``: evaluation data, never copied into
the repository; skipped with a message when ``../shared`` is absent) are served from a
temporary replay folder under their original URLs, crawled by the generic spider with its
pipelines and SQLite store in a child process, and scored with the benchmark's official
metric: ``\\w+`` tokens, 4-gram shingle multisets, per page tp/fp/fn normalised to sum to
1, precision averaged over the pages that gave text, recall over the pages whose gold has
text, F1 their harmonic mean. A skipped page is an empty prediction: it costs recall.
In the same run, bare ``trafilatura.extract`` reads the same bytes in another child process
and is scored the same way. Speed: pages/s of each over all the pages (the crawl by its own
clock, engine start to close; bare trafilatura timing only its ``extract`` calls) and their
ratio, the median over ``--repeat`` rounds. Bare trafilatura runs before the first crawl and
after each one, and each crawl is compared with the mean of the bare runs on either side of
it, so a drift of the machine's speed during a round weighs on both sides alike. Beside it, the
same ratio in CPU time (the crawl process's from spider open to close,
``benchmarks/cpuclock.py``; bare trafilatura's during its ``extract`` calls): on a machine
shared with other work, wall time also counts the time others held the CPU, which changes
between the two runs of a round; CPU time much less.

The skip threshold (``WIRETRACE_MIN_WORDS``) and the extraction choices were made looking
at these pages, so quality is also given on two halves split by a hash of the file name
(as ``benchmarks/metadata.py`` splits its pages): the development half and the held-out
half, each with its own F1 and skipped count, bare trafilatura's F1 beside.

    python benchmarks/extraction.py [--repeat 9]

Last line, one JSON object: ``f1``, ``precision``, ``recall``, ``bare_f1``,
``bare_precision``, ``bare_recall``, ``pages``, ``skipped`` (how many pages gave no item),
``crawl_pages_per_s``, ``bare_pages_per_s``, ``ratio``, ``ratio_range``, ``cpu_ratio``,
``cpu_ratio_range``, and per half
``dev`` and ``held_out``: ``{"pages", "f1", "precision", "recall", "bare_f1", "skipped"}``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.cpuclock import STAT, extensions_setting  # noqa: E402
from benchmarks.metadata import held_out  # noqa: E402
from benchmarks.replay import EXTERNAL, build_external_folder, external_pages  # noqa: E402

_TOKEN = re.compile(r"\w+")
SHINGLE = 4
_SKIP_LINE = re.compile(r"skipped (?P<url>\S+): (?P<reason>.*)$")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The text's 4-token shingles, counted; a text shorter than 4 tokens is one shingle."""
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page's shingles, normalised to sum to 1 so that every page weighs
    the same whatever its length."""
    want, got = shingles(gold), shingles(predicted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(part: float, other: float, missing: float) -> float:
    if other == missing == 0:
        return 1.0  # nothing wrong on this page
    return part / (part + other) if part + other else 0.0


def score(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Precision over pages that predicted something, recall over pages with gold text."""
    precision = statistics.mean(
        [_ratio(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0] or [0.0]
    )
    recall = statistics.mean([_ratio(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def run_crawl(replay: Path, url_file: Path, work: Path, run: int) -> tuple[dict, list[dict], str]:
    """One ``scrapy crawl article`` in replay: (its stats, its items, its log)."""
    out, stats_file, log_file = (work / f"{name}-{run}" for name in ("items", "stats", "log"))
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"url_file={url_file}",
        "-O", f"{out}.jsonl:jsonlines",
        "-s", f"REPLAY_FROM={replay}",
        "-s", f"WIRETRACE_DB={work / f'bench-{run}.sqlite'}",
        "-s", f"WIRETRACE_STATS_FILE={stats_file}",
        "-s", f"LOG_FILE={log_file}",
        "-s", "LOG_LEVEL=WARNING",
        "-s", "ROBOTSTXT_OBEY=False",
        "-s", f"EXTENSIONS={extensions_setting()}",
    ]  # fmt: skip
    subprocess.run(cmd, cwd=ROOT, check=True)
    items = [json.loads(line) for line in Path(f"{out}.jsonl").read_text().splitlines() if line]
    return json.loads(stats_file.read_text()), items, log_file.read_text(errors="replace")


BARE = """
import json, sys, time, trafilatura
paths = sys.stdin.read().split()
texts, elapsed, cpu = [], 0.0, 0.0
for p in paths:
    with open(p, "rb") as f:
        html = f.read()
    start, start_cpu = time.perf_counter(), time.process_time()
    texts.append(trafilatura.extract(html) or "")
    elapsed += time.perf_counter() - start
    cpu += time.process_time() - start_cpu
print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "texts": texts}))
"""


def run_bare(bodies: list[Path]) -> tuple[float, float, list[str]]:
    """Bare trafilatura over the bodies: (wall seconds, CPU seconds, texts)."""
    done = subprocess.run(
        [sys.executable, "-c", BARE], input="\n".join(map(str, bodies)),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = json.loads(done.stdout)
    return float(found["seconds"]), float(found["cpu_seconds"]), list(found["texts"])


def skip_reasons(log: str) -> dict[str, str]:
    """The reason the crawl gave for each page it skipped, by URL."""
    reasons = {}
    for line in log.splitlines():
        found = _SKIP_LINE.search(line)
        if found:
            reasons[found["url"]] = found["reason"]
    return reasons


def page_file(body: Path) -> Path:
    """The benchmark's own file for a decompressed body (``<id>.html`` → ``<id>.html.gz``):
    the name the halves are drawn from, as in ``benchmarks/metadata.py``."""
    return EXTERNAL / "html" / f"{body.name}.gz"


def by_half(
    urls: list[str],
    half_of: dict[str, str],
    crawl: list[tuple[float, float, float]],
    bare: list[tuple[float, float, float]],
    skipped: dict[str, str],
) -> dict[str, dict[str, float | int]]:
    """F1/P/R of the crawl, bare F1 and skipped pages on each half."""
    out: dict[str, dict[str, float | int]] = {}
    for half in ("dev", "held_out"):
        keep = [i for i, url in enumerate(urls) if half_of[url] == half]
        mine = score([crawl[i] for i in keep])
        out[half] = {
            "pages": len(keep),
            "f1": round(mine["f1"], 4),
            "precision": round(mine["precision"], 4),
            "recall": round(mine["recall"], 4),
            "bare_f1": round(score([bare[i] for i in keep])["f1"], 4),
            "skipped": sum(1 for i in keep if urls[i] in skipped),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=9,
        help="crawl and bare runs back to back this many times; speed is their median "
        "(single rounds on a shared machine range over half the ratio: fewer make a noisy median)",
    )  # fmt: skip
    args = parser.parse_args()
    if not EXTERNAL.is_dir():
        print(f"skipped: no external pages at {EXTERNAL} (../shared is absent)")
        return
    gold = {
        entry["url"]: entry["articleBody"]
        for entry in json.loads((EXTERNAL / "ground-truth.json").read_text()).values()
    }
    with tempfile.TemporaryDirectory(prefix="wiretrace-extraction-") as tmp:
        work = Path(tmp)
        sources = external_pages(work)
        bodies, url_file = build_external_folder(work / "replay", len(sources), sources)
        urls = [url for url, _ in sources]
        half_of = {url: "held_out" if held_out(page_file(body)) else "dev" for url, body in sources}
        crawl_rates, bare_rates, ratios, cpu_ratios = [], [], [], []
        # Each crawl sits between two bare runs and is compared with their mean: the
        # machine's speed drifts over the minute a round takes, and a drift that is steady
        # over the three runs cancels out (one bare run after the crawl would carry it).
        before = run_bare(bodies)
        for run in range(args.repeat):
            stats, items, log = run_crawl(work / "replay", url_file, work, run)
            after = run_bare(bodies)
            bare_seconds = (before[0] + after[0]) / 2
            bare_cpu = (before[1] + after[1]) / 2
            bare_texts = after[2]
            crawl_seconds = stats.get("elapsed_time_seconds") or float("nan")
            crawl_rates.append(len(urls) / crawl_seconds)
            bare_rates.append(len(urls) / bare_seconds)
            ratios.append(crawl_rates[-1] / bare_rates[-1])
            cpu_ratios.append(bare_cpu / (stats.get(STAT) or float("nan")))
            print(
                f"  round {run + 1}: crawl {crawl_rates[-1]:.1f} pages/s, "
                f"bare {bare_rates[-1]:.1f} pages/s (mean of "
                f"{len(urls) / before[0]:.1f} before, {len(urls) / after[0]:.1f} after), "
                f"ratio {ratios[-1]:.2f} (CPU time {cpu_ratios[-1]:.2f})",
                flush=True,
            )
            before = after
            if run == 0:  # every round reads the same bytes the same way: score the first
                texts = {item["url"]: item.get("text") or "" for item in items}
                reasons = skip_reasons(log)
                crawl_counts = [page_counts(gold[u], texts.get(u, "")) for u in urls]
                bare_counts = [
                    page_counts(gold[u], t) for u, t in zip(urls, bare_texts, strict=True)
                ]
                crawl, bare = score(crawl_counts), score(bare_counts)
                skipped = {u: reasons.get(u, "no item, no reason logged") for u in urls}
                skipped = {u: why for u, why in skipped.items() if u not in texts}
                halves = by_half(urls, half_of, crawl_counts, bare_counts, skipped)

    ratio = statistics.median(ratios)
    print(f"{len(urls)} Zyte benchmark pages, official 4-gram shingle metric")
    print(
        f"article spider : F1 {crawl['f1']:.3f}  P {crawl['precision']:.3f}  "
        f"R {crawl['recall']:.3f}  {statistics.median(crawl_rates):.1f} pages/s"
    )
    print(
        f"bare trafilat. : F1 {bare['f1']:.3f}  P {bare['precision']:.3f}  "
        f"R {bare['recall']:.3f}  {statistics.median(bare_rates):.1f} pages/s"
    )
    print(
        f"speed ratio    : {ratio:.2f} (median of {len(ratios)} rounds, range "
        f"{min(ratios):.2f}-{max(ratios):.2f}; target >= 0.85)"
    )
    for half, row in halves.items():
        print(
            f"{half + ' half':15s}: F1 {row['f1']:.3f}  P {row['precision']:.3f}  "
            f"R {row['recall']:.3f}  skipped {row['skipped']} of {row['pages']} pages  "
            f"(bare F1 {row['bare_f1']:.3f})"
        )
    print(
        f"CPU-time ratio : {statistics.median(cpu_ratios):.2f} (median, range "
        f"{min(cpu_ratios):.2f}-{max(cpu_ratios):.2f})"
    )
    print(f"skipped pages  : {len(skipped)}")
    for url, why in sorted(skipped.items()):
        print(f"  {url}: {why}")
    print(json.dumps({
        "pages": len(urls),
        "f1": round(crawl["f1"], 4),
        "precision": round(crawl["precision"], 4),
        "recall": round(crawl["recall"], 4),
        "bare_f1": round(bare["f1"], 4),
        "bare_precision": round(bare["precision"], 4),
        "bare_recall": round(bare["recall"], 4),
        "skipped": len(skipped),
        "crawl_pages_per_s": round(statistics.median(crawl_rates), 2),
        "bare_pages_per_s": round(statistics.median(bare_rates), 2),
        "ratio": round(ratio, 3),
        "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
        "cpu_ratio": round(statistics.median(cpu_ratios), 3),
        "cpu_ratio_range": [round(min(cpu_ratios), 3), round(max(cpu_ratios), 3)],
        "dev": halves["dev"],
        "held_out": halves["held_out"],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
