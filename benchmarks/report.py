"""``scrapy report`` at scale: build the site for N stored articles, then open its overview.

Generates N articles (seeded, so every run sees the same store) and saves them through the
store's interface into a temporary SQLite file: about 30 outlets, chains drawn from the
registry's agencies (state-owned and not, relayed by a national agency or not, or own
reporting), credit lines found on the page, datelines and in-text citations at their
offsets, photo credits, dates over a year, one article in twenty with a second version
(so diffs are drawn), and one in twenty-five a reprint of another (a stored reuse pair).
Texts are 150-400 words of a made-up vocabulary with recurring names, so stories form.

Then it times, side by side in one run:

* **build**: ``build_report`` (read the store, cluster stories, write every page), what
  ``scrapy report -o`` does after start-up;
* **overview**: the system Chromium (headless, driven by Playwright) opening the overview
  from a server on 127.0.0.1 until its script has drawn the charts (``data-drawn``), median
  of three fresh tabs; the flow page and the article list the same way.

Generation is not timed (printed apart). Targets: build under 30 s, overview under 2 s. The
last line is one JSON object.

Every time is printed with the CPU seconds spent in it and the load average around it: on a
shared machine the wall time of a build that waited for a core says little, and a CPU time
close to the wall time says the machine was free.

    python benchmarks/report.py                 # 10,000 articles
    python benchmarks/report.py --articles 2000
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.registry import load_registry  # noqa: E402
from crawler.report import build_report  # noqa: E402
from crawler.storage import open_store  # noqa: E402

BUILD_TARGET = 30.0
OVERVIEW_TARGET = 2.0
START = np.datetime64("2023-01-02T06:00")
ZONES = ("+00:00", "+01:00", "+02:00", "+07:00", "-05:00")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Generator:
    """Seeded articles with the shapes a real store holds."""

    def __init__(self, seed: int = 14) -> None:
        self.rng = np.random.default_rng(seed)
        registry = load_registry()
        agencies = [a for a in registry if a.kind == "news_agency"]
        self.state = [a.id for a in agencies if a.state_owned][:12]
        self.other = [a.id for a in agencies if a.state_owned is not True][:10]
        self.names = {a.id: a.name for a in registry}
        self.relays = ["vna", "xinhua", "tass", "anadolu"]
        self.outlets = ["cvn", "lagazette", "leplacentin"] + [
            f"outlet-{n:02d}.example" for n in range(27)
        ]
        syllables = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "ou")]
        picks = self.rng.integers(0, len(syllables), (8000, 3))
        lengths = self.rng.integers(1, 4, 8000)
        self.words = sorted(
            {"".join(syllables[k] for k in row[:n]) for row, n in zip(picks, lengths, strict=True)}
        )
        self.people = [self.words[k].capitalize() for k in self.rng.integers(0, 8000 // 2, 400)]

    def text(self, topic: int, words: int) -> str:
        rng = self.rng
        names = [self.people[(topic * 7 + k) % len(self.people)] for k in range(6)]
        paragraphs = []
        left = words
        while left > 0:
            size = max(min(left, int(rng.integers(30, 80))), 8)
            chosen = [self.words[k] for k in rng.integers(0, len(self.words), size)]
            for spot, name in zip(rng.integers(1, size, 3), rng.integers(0, 6, 3), strict=True):
                chosen[int(spot)] = names[int(name)]
            paragraphs.append(" ".join(chosen).capitalize() + ".")
            left -= size
        return "\n".join(paragraphs)

    def chain(self, outlet: str) -> tuple[list[list[str]], str]:
        roll = self.rng.random()
        if roll < 0.35:
            return [[outlet]], "own"
        origin = str(self.rng.choice(self.state if roll < 0.7 else self.other))
        chain = [[origin]]
        if self.rng.random() < 0.5:
            relay = str(self.rng.choice(self.relays))
            if relay != origin:
                chain.append([relay])
        chain.append([outlet])
        return chain, str(self.rng.choice(["credit_line", "credit_line", "dateline", "byline"]))

    def item(self, number: int) -> dict[str, Any]:
        rng = self.rng
        outlet = self.outlets[int(rng.zipf(1.6)) % len(self.outlets)]
        topic = int(rng.integers(0, 600))
        moment = START + np.timedelta64(int(rng.integers(0, 365 * 24 * 60)), "m")
        published = str(moment) + ":00" + str(rng.choice(ZONES))
        text = self.text(topic, int(rng.integers(150, 400)))
        chain, basis = self.chain(outlet)
        evidence: list[dict[str, Any]] = []
        if basis != "own":
            credit = "/".join(self.names.get(hop[0], hop[0]) for hop in chain)
            evidence.append(
                {
                    "kind": basis,
                    "text": credit,
                    "where": "article > div.credit",
                    "agency": chain[0][0],
                    "confidence": 0.95 if basis == "credit_line" else 0.8,
                }
            )
        cited = []
        if rng.random() < 0.3:
            agency = str(rng.choice(self.state + self.other))
            mention = f"selon {self.names.get(agency, agency)}"
            offset = text.find(".") + 1
            text = f"{text[:offset]} {mention}{text[offset:]}"
            evidence.append(
                {
                    "kind": "in_text",
                    "text": mention,
                    "where": f"text:{offset + 1}",
                    "agency": agency,
                    "confidence": 0.6,
                }
            )
            cited.append(agency)
        media = []
        if rng.random() < 0.4:
            photo = str(rng.choice(self.other))
            media.append({"credit": f"Photo : {photo.upper()}", "chain": [[photo], [outlet]]})
        host = outlet if "." in outlet else f"{outlet}.example"
        return {
            "url": f"https://{host}/news/{number}.html",
            "outlet": outlet,
            "title": f"{self.people[topic % len(self.people)]} : article {number}",
            "published": published,
            "authors": [],
            "language": "fr",
            "text": text,
            "fetch": {
                "fetched_at": str(moment + np.timedelta64(2, "h")) + ":00+00:00",
                "status": 200,
                "sha256": f"{number:064x}",
                "replayed": False,
                "warc": f"wiretrace-2023-{number // 1000:04d}.warc.gz",
                "offset": number * 4096,
                "record_id": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>",
            },
            "provenance": {
                "chain": chain,
                "basis": basis,
                "cited": cited,
                "media": media,
                "evidence": evidence,
            },
        }


def generate(path: Path, articles: int) -> None:
    maker = Generator()
    store = open_store(path, commit_every=500)
    try:
        items = []
        for number in range(articles):
            item = maker.item(number)
            store.save_article(item)
            items.append(item)
            if number % 20 == 19:  # a corrected version, seen an hour later
                revised = dict(item)
                revised["text"] = item["text"] + "\nUne correction a été ajoutée."
                revised["fetch"] = {
                    **item["fetch"],
                    "sha256": f"{number + 10**9:064x}",
                    "fetched_at": item["fetch"]["fetched_at"].replace(":00+00:00", ":59+00:00"),
                }
                store.save_article(revised)
        store.commit()
        pairs = []
        for number in range(25, articles, 25):
            a, b = items[number - 7], items[number]
            size = min(len(a["text"]), len(b["text"]), 400)
            pairs.append(
                {
                    "a": a["url"],
                    "b": b["url"],
                    "share_a": 0.5,
                    "share_b": 0.6,
                    "passages": [
                        {"a_start": 0, "a_end": size, "b_start": 0, "b_end": size, "words": 60}
                    ],
                    "earlier": a["url"],
                }
            )
        store.save_reuse(pairs)
    finally:
        store.close()


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def children_cpu() -> float:
    """CPU seconds of the child processes ended so far (Playwright's driver and, reaped by
    it, Chromium's processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_times(base: str, pages: list[str], rounds: int) -> dict[str, float] | None:
    """Median seconds from navigation to the page's charts drawn, per page."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: Playwright is not installed; page loads not measured")
        return None
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        print("browser: no system Chromium (apt-get install chromium); page loads not measured")
        return None
    times: dict[str, list[float]] = {page: [] for page in pages}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for _ in range(rounds):
                for page in pages:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    tab = context.new_page()
                    started = time.perf_counter()
                    tab.goto(base + page, wait_until="load")
                    tab.wait_for_selector("body[data-drawn=true]", state="attached")
                    times[page].append(time.perf_counter() - started)
                    context.close()
        finally:
            browser.close()
    return {page: statistics.median(values) for page, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="page loads per page (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wiretrace-report-bench-") as folder:
        work = Path(folder)
        db = work / "wiretrace.sqlite"
        print(f"before: {load_average()}")
        started, cpu = time.perf_counter(), time.process_time()
        generate(db, args.articles)
        print(
            f"generated {args.articles:,} articles in {time.perf_counter() - started:.1f} s "
            f"({time.process_time() - cpu:.1f} s of CPU)"
        )

        store = open_store(db, create=False)
        started, cpu = time.perf_counter(), time.process_time()
        pages = build_report(store, work / "report", database=db.name)
        build = time.perf_counter() - started
        build_cpu = time.process_time() - cpu
        store.close()
        size = sum(p.stat().st_size for p in (work / "report").rglob("*") if p.is_file())
        overview_bytes = (work / "report" / "index.html").stat().st_size
        build_load = os.getloadavg()[0]
        print(
            f"build: {build:.2f} s wall, {build_cpu:.2f} s CPU ({100 * build_cpu / build:.0f}% "
            f"of the wall) for {pages:,} pages, {size / 1e6:.1f} MB (overview "
            f"{overview_bytes / 1e6:.2f} MB); {load_average()}"
        )
        loads = None
        browser_cpu = children_cpu()
        with serve(work / "report") as base:
            loads = load_times(base, ["index.html", "flow.html", "articles.html"], args.rounds)
        browser_cpu = children_cpu() - browser_cpu
        if loads is not None:
            for page, seconds in loads.items():
                print(f"loaded {page}: {seconds:.2f} s (median of {args.rounds})")
            print(
                f"browser: {browser_cpu:.1f} s of CPU for the {3 * args.rounds} page loads "
                f"(Chromium and its driver, start-up included); {load_average()}"
            )
    overview = loads["index.html"] if loads else None
    met = build < BUILD_TARGET and (overview is not None and overview < OVERVIEW_TARGET)
    print(
        json.dumps(
            {
                "articles": args.articles,
                "pages": pages,
                "report_mb": round(size / 1e6, 1),
                "build_seconds": round(build, 2),
                "build_cpu_seconds": round(build_cpu, 2),
                "build_load_average": round(build_load, 1),
                "browser_cpu_seconds": None if loads is None else round(browser_cpu, 1),
                "load_average": round(os.getloadavg()[0], 1),
                "overview_seconds": None if overview is None else round(overview, 3),
                "flow_seconds": None if loads is None else round(loads["flow.html"], 3),
                "articles_page_seconds": None
                if loads is None
                else round(loads["articles.html"], 3),
                "build_target": BUILD_TARGET,
                "overview_target": OVERVIEW_TARGET,
                "met": met,
            }
        )
    )


if __name__ == "__main__":
    main()
