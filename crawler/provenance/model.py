"""Decisions learned from the labelled pages: a logistic regression per question.

For each agency a page names (crawler.provenance.features), three questions: is it the
copy's origin (``wire``), a source cited in the text (``cited``), an image's credit
(``photo``)? Each is a logistic regression over the same named features, with L2 penalty,
fitted by Newton's method (the same objective as scikit-learn's ``LogisticRegression``),
in plain numpy: no dependency beyond what the crawl already has. The weights ship as
``crawler/data/provenance-model.json``, one weight per named feature, so a reader can see
what the model rests on; ``python -m crawler.provenance.train`` rebuilds them from the
labels.

The model does not replace the rules' shape: the chain stays origin first, publisher last,
resting on the strongest evidence. For each question the weights file says whether the
model or the rules decide (``use``), chosen by which measured better on pages held out
from training. Where the model decides the chain, it keeps a chain the rules read (with
every hop, ``Xinhua/VNA/CVN``) when it believes one of its agencies is the origin, drops it
when it believes none is, and gives an own-reporting page the origins it believes in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.provenance.chain import RANKING, ProvenanceResult, with_publisher
from crawler.provenance.features import FEATURES, Candidate

QUESTIONS = ("wire", "cited", "photo")
DEFAULTS: dict[str, float | None] = {"wire_add": 0.5, "wire_drop": 0.5, "cited": 0.5, "photo": 0.5}
MODEL_FILE = "provenance-model.json"


@dataclass
class Model:
    """Weights per question, aligned to ``FEATURES``, and who decides each question."""

    weights: dict[str, list[float]]
    #: The probability from which the model says yes, per decision; a decision without one
    #: is left to the rules. ``wire_add`` gives an own-reporting page an origin,
    #: ``wire_drop`` (a low one) drops a chain none of whose agencies reaches it.
    thresholds: dict[str, float | None] = field(default_factory=lambda: dict(DEFAULTS))
    note: str = ""

    @property
    def use(self) -> dict[str, str]:
        """Who decides each question: the model where it has a threshold, else the rules."""
        wire = self.thresholds.get("wire_add") or self.thresholds.get("wire_drop")
        decided = {"wire": wire, **{q: self.thresholds.get(q) for q in ("cited", "photo")}}
        return {q: "model" if t is not None else "rules" for q, t in decided.items()}

    def probability(self, question: str, candidate: Candidate) -> float:
        w = self.weights[question]
        z = sum(wi * xi for wi, xi in zip(w, candidate.vector(), strict=True))
        return _sigmoid(z)

    def says(self, decision: str, candidate: Candidate) -> bool:
        threshold = self.thresholds.get(decision)
        question = decision.split("_")[0]
        return threshold is not None and self.probability(question, candidate) >= threshold

    def as_json(self) -> dict[str, Any]:
        return {
            "note": self.note,
            "features": list(FEATURES),
            "thresholds": self.thresholds,
            "use": self.use,
            "weights": {
                q: {name: round(w, 4) for name, w in zip(FEATURES, ws, strict=True)}
                for q, ws in self.weights.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        if list(data["features"]) != list(FEATURES):
            raise ValueError(
                "provenance model: its features differ from crawler.provenance.features;"
                " rebuild it with `python -m crawler.provenance.train`"
            )
        weights = {q: [float(ws[name]) for name in FEATURES] for q, ws in data["weights"].items()}
        return cls(weights, dict(data["thresholds"]), data.get("note", ""))


Decider = Model


def load_model(path: Path | None = None) -> Model | None:
    """The shipped model (or the one at ``path``); None when there is none."""
    if path is not None:
        return Model.from_json(json.loads(path.read_text(encoding="utf-8")))
    shipped = resources.files("crawler") / "data" / MODEL_FILE
    if not shipped.is_file():
        return None
    return Model.from_json(json.loads(shipped.read_text(encoding="utf-8")))


def save_model(model: Model, path: Path) -> None:
    path.write_text(json.dumps(model.as_json(), indent=1, ensure_ascii=False) + "\n")


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = 1.0) -> list[float]:
    """Weights of an L2-penalised logistic regression (bias unpenalised), by Newton steps."""
    import numpy as np  # training only: a crawl reads weights, and numpy is 15 MB of its memory

    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6  # the bias, first feature
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return [float(v) for v in w]


def _sigmoid(z: float) -> float:
    """The logistic function, without overflow for a large negative ``z``."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _basis(candidate: Candidate) -> str:
    """The evidence an added origin rests on, named as the contract's ``basis``."""
    f = candidate.features
    if f.get("read_dateline") or f.get("text_dateline_position"):
        return "dateline"
    if f.get("read_byline") or f.get("page_byline") or f.get("meta_byline"):
        return "byline"
    return "credit_line"


def _first_place(candidate: Candidate) -> int:
    places = [int(p[5:]) for p in candidate.places if p.startswith("text:")]
    return min(places, default=10**9)


def apply_decider(
    model: Model, result: ProvenanceResult, found: dict[str, Candidate], publisher: str
) -> ProvenanceResult:
    """The rules' result with each question the model decides decided by it."""
    chain, basis = result.chain, result.basis
    if basis != "own" and model.thresholds.get("wire_drop") is not None:
        stated = {a for hop in chain for a in hop} & set(found)
        keep = {a for a in stated if model.says("wire_drop", found[a])}
        if stated and not keep:
            chain, basis = [[publisher]], "own"  # every agency it names is judged not the origin
    elif basis == "own":
        origin = [a for a, c in found.items() if model.says("wire_add", c)]
        if origin:
            added = sorted(origin, key=lambda a: _first_place(found[a]))
            chain = with_publisher([tuple(added)], publisher)
            basis = min((_basis(found[a]) for a in added), key=RANKING.index)
    cited = result.cited
    in_chain = {a for hop in chain for a in hop}
    if model.thresholds.get("cited") is not None:
        cited = sorted(
            (a for a, c in found.items() if model.says("cited", c) and a not in in_chain),
            key=lambda a: _first_place(found[a]),
        )
    media = result.media
    if model.thresholds.get("photo") is not None:
        photo = {a for a, c in found.items() if model.says("photo", c)}
        media = list(media)  # the rules' image credits stay: the model only adds
        credited = {a for m in media for hop in m["chain"] for a in hop}
        for agency in sorted(photo - credited):
            credit = next(
                (
                    t
                    for t, p in zip(found[agency].texts, found[agency].places, strict=True)
                    if not p.startswith("text:")
                ),
                found[agency].texts[0] if found[agency].texts else agency,
            )
            media.append({"credit": credit, "chain": with_publisher([(agency,)], publisher)})
    return ProvenanceResult(chain=chain, basis=basis, cited=list(cited), media=media)
