"""Precision and recall of the provenance readers on real publisher pages.

Runs extraction and provenance (the generic profile, as the ``article`` spider would) over
the pages listed in ../shared/external/agency-pages.tsv, which were written by real
publishers and annotated by hand, and compares the agencies found with the annotation:

- ``wire`` rows: the agency must be in the copy chain (``provenance.chain``);
- ``in-text`` rows: the agency must be cited (``provenance.cited``), and not in the chain;
- ``photo`` rows: the agency may appear only in ``provenance.media``;
- ``outside`` rows: the agency must appear nowhere.

Chain precision counts every registry agency any page's chain names that the annotation
does not put there; ``unknown:<name>`` hops (a source the registry does not know, such as an
outlet's own initials) are counted apart, since the annotation only names known agencies.
The last line is one JSON object of the figures. Skips, saying so, when ../shared is not
beside this checkout.

    python benchmarks/attribution.py [--show-misses]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.analyze import analyze  # noqa: E402
from crawler.registry import load_registry  # noqa: E402
from crawler.spiders.article import registered_domain  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"


def page_urls() -> dict[str, str]:
    """Each page's original URL, from the benchmark sets' gold files."""
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


def gold_ids(names: str) -> set[str]:
    registry = load_registry()
    ids = set()
    for name in names.split(";"):
        agency = registry.resolve(name.strip())
        ids.add(agency or f"unknown:{name.strip()}")
    return ids


def found_ids(item: dict[str, Any]) -> dict[str, set[str]]:
    """Agencies per place. On a news agency's own site (reuters.com) the publisher hop is
    that agency's copy, which the annotation counts as wire; other outlets are not sources."""
    prov = item["provenance"]
    outlet = item["outlet"]
    registry = load_registry()
    owner = registry.owner_of(outlet)
    agency_site = owner is not None and registry.get(owner).kind == "news_agency"
    chain = {
        a for hop in prov["chain"] for a in hop if a != outlet and not a.startswith("unknown:")
    }
    if agency_site and owner is not None:
        chain.add(owner)
    media = {a for m in prov["media"] for hop in m["chain"] for a in hop if a != outlet}
    return {"chain": chain, "cited": set(prov["cited"]), "media": media}


def ratio(num: int, den: int) -> float:
    return round(num / den, 3) if den else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="print every wrong page")
    args = parser.parse_args()
    if not (EXTERNAL / "agency-pages.tsv").is_file():
        print(f"skipped: {EXTERNAL} is not there (the evaluation data sits beside the repo)")
        print(json.dumps({"skipped": True}))
        return

    urls = page_urls()
    rows = list(
        csv.DictReader((EXTERNAL / "agency-pages.tsv").open(encoding="utf-8"), delimiter="\t")
    )
    by_page: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_page.setdefault(row["path"], []).append(row)

    counts: Counter[str] = Counter()
    for path, page_rows in sorted(by_page.items()):
        html = gzip.decompress((EXTERNAL / path).read_bytes())
        url = urls.get(path, "https://unknown.invalid/")
        outlet = registered_domain(url) or "unknown"
        item = analyze(html, url, outlet)
        got = found_ids(item)
        wire = set().union(*(gold_ids(r["agencies"]) for r in page_rows if r["kind"] == "wire"))
        publisher = set().union(
            *(gold_ids(r["agencies"]) for r in page_rows if r["kind"] == "publisher")
        )
        allowed_in_chain = wire | publisher
        counts["unknown_hops"] += sum(
            a.startswith("unknown:") for hop in item["provenance"]["chain"] for a in hop
        )
        counts["chain_tp"] += len(got["chain"] & wire)
        counts["chain_fn"] += len(wire - got["chain"])
        counts["chain_fp"] += len(got["chain"] - allowed_in_chain)
        for row in page_rows:
            kind, gold = row["kind"], gold_ids(row["agencies"])
            if kind == "in-text":
                counts["in_text_rows"] += len(gold)
                counts["in_text_found"] += len(gold & got["cited"])
            elif kind == "photo":
                counts["photo_rows"] += len(gold)
                counts["photo_in_media"] += len(gold & got["media"])
                counts["photo_leaked"] += len(gold & (got["chain"] | got["cited"]) - wire)
            elif kind == "outside":
                counts["outside_rows"] += len(gold)
                counts["outside_leaked"] += len(gold & (got["chain"] | got["cited"] | got["media"]))
        if args.show_misses and (got["chain"] - allowed_in_chain or wire - got["chain"]):
            print(
                f"{path}\n  chain {item['provenance']['chain']} basis {item['provenance']['basis']}"
                f" | gold wire {sorted(wire)} | cited {sorted(got['cited'])}"
            )

    tp, fp, fn = counts["chain_tp"], counts["chain_fp"], counts["chain_fn"]
    figures = {
        "pages": len(by_page),
        "chain_precision": ratio(tp, tp + fp),
        "chain_recall": ratio(tp, tp + fn),
        "in_text_recall": ratio(counts["in_text_found"], counts["in_text_rows"]),
        "photo_in_media": ratio(counts["photo_in_media"], counts["photo_rows"]),
        "photo_leaked": counts["photo_leaked"],
        "outside_leaked": counts["outside_leaked"],
        "unknown_hops": counts["unknown_hops"],
    }
    print(f"pages: {figures['pages']}  (rows: {len(rows)})")
    print(
        f"copy chain : precision {figures['chain_precision']:.3f}"
        f"  recall {figures['chain_recall']:.3f}"
        f"  (tp {tp}, fp {fp}, fn {fn}; targets 0.95 / 0.9)"
    )
    print(f"in-text    : recall {figures['in_text_recall']:.3f} of cited agencies")
    print(
        f"photo      : {figures['photo_in_media']:.3f} found in media; "
        f"{figures['photo_leaked']} leaked into chain or cited"
    )
    print(f"outside    : {figures['outside_leaked']} leaked anywhere")
    print(
        f"unknown    : {figures['unknown_hops']} chain hops name a source not in the registry"
        " (kept as unknown:<name>; not counted for or against precision)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
