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
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.provenance.labels import (  # noqa: E402
    LabelledPage,
    available,
    extract,
    figures,
    halves,
    load_pages,
    score,
)
from crawler.provenance.model import Model, load_model  # noqa: E402
from crawler.provenance.page import decide  # noqa: E402
from crawler.provenance.train import reading_of, train_model  # noqa: E402
from crawler.registry import Registry, load_registry  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"


def run(
    pages: list[LabelledPage], registry: Registry, decider: Model | None, show: bool
) -> dict[str, Counter[str]]:
    """Counts per language (and ``all``) for ``pages`` with one way of deciding."""
    per_lang: dict[str, Counter[str]] = defaultdict(Counter)
    for page in pages:
        prov = decide(reading_of(page, registry), page.outlet, decider)
        item = {"provenance": prov}
        counts = score(page, item, registry)
        counts["pages"] = 1
        per_lang[page.lang].update(counts)
        per_lang["all"].update(counts)
        if show and (
            counts["wire_fp"]
            or counts["wire_fn"]
            or counts["cited_rows"] - counts["cited_found"]
            or counts["photo_rows"] - counts["photo_in_media"]
            or counts["outside_leaked"]
        ):
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
    if not available(EXTERNAL):
        print(f"skipped: {EXTERNAL} is not there (the evaluation data sits beside the repo)")
        print(json.dumps({"skipped": True}))
        return

    registry = load_registry()
    pages = load_pages(registry, EXTERNAL)
    a, b = halves(pages)
    if args.half:
        pages = a if args.half == "a" else b
    for n, page in enumerate(pages, 1):
        extract(page, EXTERNAL)
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
