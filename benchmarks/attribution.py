"""Provenance on real publisher pages: wire copy, cited sources and photo credits found.

Runs what the ``article`` spider's pipelines run (extraction with the generic profile, then
provenance from the page's evidence, text and tree) over every labelled page in
../shared/external: the 253 pages of ``provenance-pages/labels-dev.tsv`` (27 languages) and
the 62 of ``agency-pages.tsv``, and compares what it finds with the hand labels:

- wire precision / recall: agencies in ``provenance.chain`` against the ``wire`` labels (an
  agency's own site, ``publisher``, may be in the chain without counting either way);
- cited recall: ``in-text`` agencies found in ``provenance.cited``;
- photo kept out: agencies that only credit an image are not in the copy chain;
- photo in media: those agencies are in ``provenance.media``;
- outside leaked: agencies named only in page chrome that reached chain, cited or media.

Every figure is given on the whole set and cross-validated: the pages are split in two
halves by page (stratified by language, fixed seed); the learned decisions
(crawler.provenance.model) are trained on one half and measured on the other, then swapped,
and the two measurements summed. The hand-written rules are measured on each half as they
are. Figures per language and per kind follow. The last line is one JSON object. Skips,
saying so, when ../shared is not beside this checkout.

    python benchmarks/attribution.py [--show-misses] [--half a|b]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.extract import Extraction, extract_article, parse_html  # noqa: E402
from crawler.profile import load_profile  # noqa: E402
from crawler.provenance.model import Decider, load_model, train_model  # noqa: E402
from crawler.provenance.page import page_provenance  # noqa: E402
from crawler.registry import Registry, load_registry  # noqa: E402
from crawler.spiders.article import registered_domain  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
LABELS = EXTERNAL / "provenance-pages" / "labels-dev.tsv"
AGENCY_PAGES = EXTERNAL / "agency-pages.tsv"
SEED = 20261126
KINDS = ("wire", "in-text", "photo", "outside", "own", "publisher")


@dataclass
class LabelledPage:
    path: str
    lang: str
    url: str
    labels: dict[str, set[str]] = field(default_factory=dict)
    tree: Any = None
    found: Extraction | None = None
    outlet: str = ""

    def gold(self, kind: str) -> set[str]:
        return self.labels.get(kind, set())


def gold_id(name: str, registry: Registry) -> str:
    """The registry id of a label's agency; ``unknown:<name>`` when the registry lacks it."""
    name = name.strip()
    found = registry.resolve(name)
    if found is None and name.casefold() in registry:
        found = name.casefold()
    return found or f"unknown:{name}".casefold()


def page_urls() -> dict[str, str]:
    """Each agency-pages.tsv page's original URL, from the benchmark sets' gold files."""
    urls: dict[str, str] = {}
    zyte = json.loads((EXTERNAL / "zyte-article-benchmark" / "ground-truth.json").read_text())
    for key, entry in zyte.items():
        urls[f"zyte-article-benchmark/html/{key}.html.gz"] = entry["url"]
    gold = EXTERNAL / "trafilatura-eval" / "evaldata-subset.json"
    for url, entry in json.loads(gold.read_text()).items():
        urls[f"trafilatura-eval/html/{entry['file']}.gz"] = url
    for name in ("eval_default-subset.json", "eval_mediacloud_2020-subset.json"):
        for url, entry in json.loads((EXTERNAL / "htmldate-eval" / name).read_text()).items():
            urls[f"htmldate-eval/html/{entry['file']}.gz"] = url
    return urls


def load_pages(registry: Registry) -> list[LabelledPage]:
    pages: dict[str, LabelledPage] = {}
    urls = page_urls()
    sources = ((LABELS, "outlet"), (AGENCY_PAGES, None))
    for tsv, outlet_column in sources:
        for row in csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t"):
            path = row["path"]
            url = f"https://{row[outlet_column]}/" if outlet_column else urls.get(path, "")
            page = pages.setdefault(path, LabelledPage(path, row["lang"], url or "https://x.invalid/"))
            ids = {gold_id(n, registry) for n in row["agencies"].split(";") if n.strip()}
            page.labels.setdefault(row["kind"], set()).update(ids)
    return list(pages.values())


def extract(page: LabelledPage, registry: Registry) -> None:
    """The extraction step, once per page (the provenance step is rerun per decider)."""
    html = gzip.decompress((EXTERNAL / page.path).read_bytes())
    page.tree = parse_html(html)
    profile = load_profile("generic")
    page.found = extract_article(page.tree, page.url, profile)
    canonical = page.found.canonical_url
    domain = registered_domain(canonical) if canonical else None
    page.outlet = domain or registered_domain(page.url) or "local"


def halves(pages: list[LabelledPage]) -> tuple[list[LabelledPage], list[LabelledPage]]:
    """Two halves by page, each language split evenly (odd counts alternate), fixed seed."""
    by_lang: dict[str, list[LabelledPage]] = defaultdict(list)
    for page in sorted(pages, key=lambda p: p.path):
        by_lang[page.lang].append(page)
    rng = random.Random(SEED)
    a: list[LabelledPage] = []
    b: list[LabelledPage] = []
    flip = 0
    for lang in sorted(by_lang):
        group = by_lang[lang]
        rng.shuffle(group)
        cut = (len(group) + flip) // 2
        flip ^= len(group) % 2
        a.extend(group[:cut])
        b.extend(group[cut:])
    return a, b


def score(page: LabelledPage, item: dict[str, Any], registry: Registry) -> Counter[str]:
    """This page's counts: every figure is a ratio of two of these, summed over pages."""
    prov = item["provenance"]
    owner = registry.owner_of(page.outlet) or page.outlet

    def ids(hops: Iterable[Iterable[str]]) -> set[str]:
        return {owner if a == page.outlet else a.casefold() for hop in hops for a in hop}

    chain = ids(prov["chain"]) - {owner}
    own_site = {owner} if owner in registry and registry.get(owner).kind == "news_agency" else set()
    cited = set(prov["cited"])
    media = set().union(*(ids(m["chain"]) for m in prov["media"])) - {owner}
    wire = page.gold("wire")
    allowed = wire | page.gold("publisher")
    counts: Counter[str] = Counter()
    counts["wire_tp"] = len(wire & (chain | own_site))
    counts["wire_fn"] = len(wire - chain - own_site)
    counts["wire_fp"] = len(chain - allowed)
    cited_gold = page.gold("in-text") - wire
    counts["cited_rows"] = len(cited_gold)
    counts["cited_found"] = len(cited_gold & cited)
    photo_only = page.gold("photo") - wire
    counts["photo_rows"] = len(photo_only)
    counts["photo_out_of_chain"] = len(photo_only - chain)
    counts["photo_in_media"] = len(photo_only & media)
    outside = page.gold("outside") - wire - page.gold("in-text") - page.gold("photo")
    counts["outside_rows"] = len(outside)
    counts["outside_leaked"] = len(outside & (chain | cited | media))
    counts["own_pages"] = int("own" in page.labels and not wire)
    counts["own_pages_clean"] = int(counts["own_pages"] == 1 and not chain)
    return counts


def figures(counts: Counter[str]) -> dict[str, float | int]:
    def ratio(num: str, den: str | int) -> float | None:
        d = counts[den] if isinstance(den, str) else den
        return round(counts[num] / d, 3) if d else None

    tp, fp, fn = counts["wire_tp"], counts["wire_fp"], counts["wire_fn"]
    return {
        "pages": counts["pages"],
        "wire_precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "wire_recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "cited_recall": ratio("cited_found", "cited_rows"),
        "photo_kept_out": ratio("photo_out_of_chain", "photo_rows"),
        "photo_in_media": ratio("photo_in_media", "photo_rows"),
        "outside_leaked": counts["outside_leaked"],
        "own_pages_clean": ratio("own_pages_clean", "own_pages"),
        "wire_tp": tp,
        "wire_fp": fp,
        "wire_fn": fn,
        "cited_rows": counts["cited_rows"],
        "photo_rows": counts["photo_rows"],
    }


def run(
    pages: list[LabelledPage], registry: Registry, decider: Decider | None, show: bool
) -> dict[str, Counter[str]]:
    """Counts per language (and ``all``) for ``pages`` with one way of deciding."""
    per_lang: dict[str, Counter[str]] = defaultdict(Counter)
    for page in pages:
        assert page.found is not None
        prov = page_provenance(
            page.found.evidence,
            page.found.text,
            page.outlet,
            registry,
            tree=page.tree,
            decider=decider,
        )
        item = {"provenance": prov}
        counts = score(page, item, registry)
        counts["pages"] = 1
        per_lang[page.lang].update(counts)
        per_lang["all"].update(counts)
        if show and (counts["wire_fp"] or counts["wire_fn"] or counts["cited_rows"] - counts["cited_found"] or counts["photo_rows"] - counts["photo_in_media"] or counts["outside_leaked"]):
            print(
                f"{page.path} [{page.lang}] outlet {page.outlet}\n"
                f"  chain {prov['chain']} basis {prov['basis']} cited {prov['cited']}"
                f" media {[m['chain'] for m in prov['media']]}\n"
                f"  gold { {k: sorted(v) for k, v in page.labels.items()} }"
            )
    return per_lang


def merged(*runs: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for one in runs:
        for lang, counts in one.items():
            out[lang].update(counts)
    return out


def table(title: str, per_lang: dict[str, Counter[str]]) -> None:
    print(f"\n{title}")
    head = f"{'lang':<5}{'pages':>6}{'wireP':>7}{'wireR':>7}{'tp/fp/fn':>10}{'cited':>8}"
    print(head + f"{'photo out':>10}{'media':>7}{'outside':>8}{'own ok':>8}")

    def cell(value: float | int | None) -> str:
        return "-" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)

    for lang in sorted(per_lang, key=lambda k: (k != "all", -per_lang[k]["pages"], k)):
        f = figures(per_lang[lang])
        counts_cell = f"{f['wire_tp']}/{f['wire_fp']}/{f['wire_fn']}"
        print(
            f"{lang:<5}{f['pages']:>6}{cell(f['wire_precision']):>7}{cell(f['wire_recall']):>7}"
            f"{counts_cell:>10}{cell(f['cited_recall']):>8}"
            f"{cell(f['photo_kept_out']):>10}{cell(f['photo_in_media']):>7}"
            f"{f['outside_leaked']:>8}{cell(f['own_pages_clean']):>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="print every wrong page")
    parser.add_argument("--half", choices=("a", "b"), help="only this half, rules only")
    args = parser.parse_args()
    if not LABELS.is_file() or not AGENCY_PAGES.is_file():
        print(f"skipped: {EXTERNAL} is not there (the evaluation data sits beside the repo)")
        print(json.dumps({"skipped": True}))
        return

    registry = load_registry()
    pages = load_pages(registry)
    a, b = halves(pages)
    if args.half:
        pages = a if args.half == "a" else b
    for n, page in enumerate(pages, 1):
        extract(page, registry)
        if n % 50 == 0:
            print(f"  extracted {n}/{len(pages)} pages", file=sys.stderr)
    unknown = sorted({g for p in pages for ids in p.labels.values() for g in ids if ":" in g})
    print(f"pages: {len(pages)} ({len(a)} in half a, {len(b)} in half b)")
    print(f"labelled agencies the registry does not know: {len(unknown)} {unknown}")
    if args.half:
        table(f"rules, half {args.half}", run(pages, registry, None, args.show_misses))
        return

    rules = run(pages, registry, None, args.show_misses)
    rules_a = run(a, registry, None, False)
    rules_b = run(b, registry, None, False)
    shipped = run(pages, registry, load_model(), False)
    cv = merged(
        run(b, registry, train_model(a, registry), False),
        run(a, registry, train_model(b, registry), False),
    )
    table("rules, whole set", rules)
    table("rules, half a", rules_a)
    table("rules, half b", rules_b)
    table("model shipped (trained on every page), whole set", shipped)
    table("model cross-validated (trained on one half, measured on the other, swapped)", cv)
    result = {
        "pages": len(pages),
        "rules": figures(rules["all"]),
        "rules_half_a": figures(rules_a["all"]),
        "rules_half_b": figures(rules_b["all"]),
        "model_whole": figures(shipped["all"]),
        "model_cv": figures(cv["all"]),
        "model_cv_per_lang": {k: figures(v) for k, v in cv.items() if k != "all"},
        "targets": {
            "wire_precision": 0.95,
            "wire_recall": 0.9,
            "cited_recall": 0.8,
            "photo_kept_out": 0.95,
            "photo_in_media": 0.9,
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
