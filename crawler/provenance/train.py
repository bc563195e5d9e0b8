"""Rebuild the provenance model's weights from the labelled real pages.

    python -m crawler.provenance.train [--external ../shared/external] [--out PATH]

Reads every labelled page (crawler.provenance.labels), describes each agency it names
(crawler.provenance.features), fits one logistic regression per question (wire, cited,
photo), and for each question keeps the model or the hand-written rules, whichever measured
better on pages held out from training (two halves, trained on one and measured on the
other, then swapped). Writes ``crawler/data/provenance-model.json``. Exits non-zero, saying
why, when the labelled pages are not there.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from crawler.provenance.labels import (
    EXTERNAL,
    LabelledPage,
    available,
    extract,
    halves,
    load_pages,
    score,
)
from crawler.provenance.model import MODEL_FILE, QUESTIONS, Model, fit, save_model
from crawler.provenance.page import PageReading, decide, read_page
from crawler.registry import Registry, load_registry

#: What each question's label is, from a page's labels by kind.
_GOLD = {
    "wire": lambda p: p.gold("wire") | p.gold("publisher"),
    "cited": lambda p: p.gold("in-text") - p.gold("wire"),
    "photo": lambda p: p.gold("photo") - p.gold("wire"),
}
#: The counts each question is judged on: (true positives, false positives, false negatives).
_JUDGED = {
    "wire": ("wire_tp", "wire_fp", "wire_fn"),
    "cited": ("cited_found", "cited_fp", None),
    "photo": ("photo_in_media", "media_fp", None),
}
_ROWS = {"cited": "cited_rows", "photo": "photo_rows"}


def reading_of(page: LabelledPage, registry: Registry) -> PageReading:
    """The page read by the readers and rules (cached on the page: the model is refitted
    many times over the same readings)."""
    cached = getattr(page, "reading", None)
    if cached is None:
        assert page.found is not None, "extract() the page first"
        cached = read_page(page.found.evidence, page.found.text, page.outlet, registry, page.tree)
        page.reading = cached  # type: ignore[attr-defined]  # a cache on the benchmark's page
    return cached


def fit_weights(pages: Sequence[LabelledPage], registry: Registry) -> dict[str, list[float]]:
    rows: list[list[float]] = []
    labels: dict[str, list[int]] = {q: [] for q in QUESTIONS}
    for page in pages:
        for agency, candidate in reading_of(page, registry).candidates.items():
            rows.append(candidate.vector())
            for question in QUESTIONS:
                labels[question].append(int(agency in _GOLD[question](page)))
    return {q: fit(rows, labels[q]) for q in QUESTIONS}


def measure(pages: Sequence[LabelledPage], registry: Registry, model: Model | None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for page in pages:
        item = {"provenance": decide(reading_of(page, registry), page.outlet, model)}
        counts.update(score(page, item, registry))
    return counts


def f1(counts: Counter[str], question: str) -> float:
    tp_key, fp_key, fn_key = _JUDGED[question]
    tp, fp = counts[tp_key], counts[fp_key]
    fn = counts[fn_key] if fn_key else counts[_ROWS[question]] - tp
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


#: The thresholds tried for each decision (None: the rules decide).
GRID: dict[str, tuple[float | None, ...]] = {
    "wire_add": (None, 0.5, 0.7, 0.85),
    "wire_drop": (None, 0.05, 0.15, 0.3),
    "cited": (None, 0.3, 0.5, 0.7),
    "photo": (None, 0.3, 0.5, 0.7),
}


def train_model(pages: Sequence[LabelledPage], registry: Registry) -> Model:
    """Weights fitted on ``pages``, and for each decision the threshold (or the rules) that
    scored the best F1 on the half of ``pages`` it was not fitted on, both ways round."""
    a, b = halves(list(pages))
    held_out: dict[tuple[str, float | None], Counter[str]] = {}
    folds = [(Model(fit_weights(train, registry)), test) for train, test in ((a, b), (b, a))]
    for decision, options in GRID.items():
        for option in options:
            counts: Counter[str] = Counter()
            for fitted, test in folds:
                only = dict.fromkeys(GRID, None) | {decision: option}
                counts.update(measure(test, registry, Model(fitted.weights, only)))
            held_out[decision, option] = counts
    chosen: dict[str, float | None] = {}
    notes = []
    for decision, options in GRID.items():
        question = decision.split("_")[0]
        best = max(options, key=lambda o: (f1(held_out[decision, o], question), o is None))
        chosen[decision] = best
        rules = f1(held_out[decision, None], question)
        notes.append(
            f"{decision} {best} (F1 {f1(held_out[decision, best], question):.3f}"
            f" vs rules {rules:.3f})"
        )
    model = Model(fit_weights(pages, registry), chosen)
    model.note = f"trained on {len(pages)} labelled pages; held out: " + "; ".join(notes)
    return model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--external", type=Path, default=EXTERNAL, help="the labelled pages")
    default_out = Path(__file__).resolve().parents[1] / "data" / MODEL_FILE
    parser.add_argument("--out", type=Path, default=default_out, help="where the weights go")
    args = parser.parse_args(argv)
    if not available(args.external):
        print(f"train: no labelled pages under {args.external}; nothing written", file=sys.stderr)
        return 2
    registry = load_registry()
    pages = load_pages(registry, args.external)
    for n, page in enumerate(pages, 1):
        extract(page, args.external)
        if n % 50 == 0:
            print(f"extracted {n}/{len(pages)} pages", file=sys.stderr)
    model = train_model(pages, registry)
    save_model(model, args.out)
    print(f"{model.note}\nuse: {model.use}\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
