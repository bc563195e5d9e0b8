"""The labelled real pages (../shared/external): loading, halves and scoring.

Shared by the attribution benchmark and the training command, so both count a hit, a miss
and a leak the same way. The pages and labels are evaluation data beside the repository,
never inside it; callers say so and stop when they are absent.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.extract import Extraction, extract_article, parse_html
from crawler.profile import load_profile
from crawler.registry import Registry
from crawler.spiders.article import registered_domain

#: Where the evaluation data sits in a checkout: ``../shared/external`` beside the repository.
EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "external"
LABELS = Path("provenance-pages") / "labels-dev.tsv"
AGENCY_PAGES = Path("agency-pages.tsv")
SEED = 20261126


def available(external: Path = EXTERNAL) -> bool:
    return (external / LABELS).is_file() and (external / AGENCY_PAGES).is_file()


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


def page_urls(external: Path) -> dict[str, str]:
    """Each agency-pages.tsv page's original URL, from the benchmark sets' gold files."""
    urls: dict[str, str] = {}
    zyte = json.loads((external / "zyte-article-benchmark" / "ground-truth.json").read_text())
    for key, entry in zyte.items():
        urls[f"zyte-article-benchmark/html/{key}.html.gz"] = entry["url"]
    gold = external / "trafilatura-eval" / "evaldata-subset.json"
    for url, entry in json.loads(gold.read_text()).items():
        urls[f"trafilatura-eval/html/{entry['file']}.gz"] = url
    for name in ("eval_default-subset.json", "eval_mediacloud_2020-subset.json"):
        for url, entry in json.loads((external / "htmldate-eval" / name).read_text()).items():
            urls[f"htmldate-eval/html/{entry['file']}.gz"] = url
    return urls


def load_pages(registry: Registry, external: Path = EXTERNAL) -> list[LabelledPage]:
    """Every labelled page once, with its labels by kind (registry ids)."""
    pages: dict[str, LabelledPage] = {}
    urls = page_urls(external)
    sources = ((external / LABELS, "outlet"), (external / AGENCY_PAGES, None))
    for tsv, outlet_column in sources:
        for row in csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t"):
            path = row["path"]
            url = f"https://{row[outlet_column]}/" if outlet_column else urls.get(path, "")
            page = pages.setdefault(
                path, LabelledPage(path, row["lang"], url or "https://x.invalid/")
            )
            ids = {gold_id(n, registry) for n in row["agencies"].split(";") if n.strip()}
            page.labels.setdefault(row["kind"], set()).update(ids)
    return list(pages.values())


def extract(page: LabelledPage, external: Path = EXTERNAL) -> None:
    """The extraction step, once per page (the provenance step is rerun per decider)."""
    html = gzip.decompress((external / page.path).read_bytes())
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
    # The labels name news agencies only: a cited newspaper or a Getty credit is no error.
    agencies = {a for a in cited | media if a in registry and registry.get(a).kind == "news_agency"}
    counts["cited_fp"] = len(
        cited & agencies - page.gold("in-text") - wire - page.gold("publisher")
    )
    photo_only = page.gold("photo") - wire
    counts["photo_rows"] = len(photo_only)
    counts["photo_out_of_chain"] = len(photo_only - chain)
    counts["photo_in_media"] = len(photo_only & media)
    counts["media_fp"] = len(media & agencies - page.gold("photo") - wire)
    outside = page.gold("outside") - wire - page.gold("in-text") - page.gold("photo")
    counts["outside_rows"] = len(outside)
    counts["outside_leaked"] = len(outside & (chain | cited | media))
    counts["own_pages"] = int("own" in page.labels and not wire)
    counts["own_pages_clean"] = int(counts["own_pages"] == 1 and not chain)
    return counts


def figures(counts: Counter[str]) -> dict[str, float | int | None]:
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
        "cited_fp": counts["cited_fp"],
        "media_fp": counts["media_fp"],
        "photo_rows": counts["photo_rows"],
    }
