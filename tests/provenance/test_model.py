"""The learned decisions: features of an agency's mentions, the fitted regression, the
shipped weights, and how a decision changes the rules' result (never the chain's shape)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from crawler.items import Evidence
from crawler.provenance.chain import ProvenanceResult
from crawler.provenance.features import FEATURES, Candidate
from crawler.provenance.labels import LabelledPage, figures, halves
from crawler.provenance.model import Model, apply_decider, fit, load_model, save_model
from crawler.provenance.page import read_page
from crawler.provenance.train import main as train_main
from crawler.registry import load_registry

REG = load_registry()


def features_of(text: str, agency: str, pieces: list[Evidence] | None = None) -> set[str]:
    reading = read_page(pieces or [], text, "example.com", REG)
    return {name for name, value in reading.candidates[agency].features.items() if value}


def test_a_dateline_mention_has_its_place_and_the_readers_reading() -> None:
    found = features_of("PARIS (AFP) - Le conseil a voté.\nDeuxième paragraphe.", "afp")
    assert {"text_first_line", "text_dateline_position", "text_parenthesised"} <= found
    assert {"read_dateline", "in_rules_chain"} <= found


def test_a_cited_mention_has_the_cue_before_it() -> None:
    found = features_of("Le ministre a parlé mardi, selon l'agence Reuters, à Paris.", "reuters")
    assert "cue_cite_before" in found and "read_in_text" in found
    assert "in_rules_chain" not in found


def test_an_end_chain_is_a_slash_chain_alone_on_the_last_line() -> None:
    found = features_of("Le conseil a voté mardi soir.\nXinhua/VNA", "xinhua")
    assert {"text_last_lines", "text_slash_chain", "text_alone_on_line"} <= found


def test_page_places_and_metadata_are_features() -> None:
    pieces = [
        Evidence(kind="caption", text="Foto: dpa", where="figure > figcaption"),
        Evidence(kind="byline", text="dpa", where="jsonld:author"),
    ]
    found = features_of("Der Rat tagte.", "dpa", pieces)
    assert {"page_caption", "meta_byline", "read_photo_credit"} <= found


def test_the_publisher_and_non_agencies_are_no_candidates() -> None:
    reading = read_page([], "Selon Le Monde et l'AFP, le vote a eu lieu.", "afp.com", REG)
    assert set(reading.candidates) == set()


def test_fit_separates_what_a_feature_separates() -> None:
    rows = [[1.0, 1.0]] * 20 + [[1.0, 0.0]] * 20
    labels = [1] * 18 + [0] * 2 + [0] * 19 + [1]
    bias, weight = fit(rows, labels)
    assert weight > 2 and bias < -1


def candidate(**features: float) -> Candidate:
    c = Candidate("afp", {"bias": 1.0, **features}, ["text:0"], ["AFP"])
    return c


def model(**thresholds: float | None) -> Model:
    """A model that says yes to ``wire`` exactly when ``read_credit_line`` is set."""
    weights = {q: [0.0] * len(FEATURES) for q in ("wire", "cited", "photo")}
    weights["wire"][FEATURES.index("bias")] = -5.0
    weights["wire"][FEATURES.index("read_credit_line")] = 10.0
    weights["photo"][FEATURES.index("page_caption")] = 10.0
    weights["photo"][FEATURES.index("bias")] = -5.0
    base: dict[str, float | None] = dict.fromkeys(("wire_add", "wire_drop", "cited", "photo"))
    return Model(weights, base | thresholds)


OWN = ProvenanceResult(chain=[["example.com"]], basis="own")


def test_without_thresholds_the_rules_decide() -> None:
    result = apply_decider(model(), OWN, {"afp": candidate(read_credit_line=1)}, "example.com")
    assert result == OWN


def test_the_model_gives_an_own_page_its_origin() -> None:
    found = {"afp": candidate(read_credit_line=1)}
    result = apply_decider(model(wire_add=0.5), OWN, found, "example.com")
    assert result.chain == [["afp"], ["example.com"]]
    assert result.basis == "credit_line"


def test_the_model_drops_a_chain_it_believes_none_of() -> None:
    rules = ProvenanceResult(chain=[["afp"], ["example.com"]], basis="byline")
    result = apply_decider(model(wire_drop=0.5), rules, {"afp": candidate()}, "example.com")
    assert (result.chain, result.basis) == ([["example.com"]], "own")


def test_a_chain_keeps_its_hops_when_one_agency_is_believed() -> None:
    rules = ProvenanceResult(chain=[["xinhua"], ["vna"], ["cvn"]], basis="credit_line")
    found = {"xinhua": candidate(read_credit_line=1), "vna": candidate()}
    result = apply_decider(model(wire_drop=0.5), rules, found, "cvn")
    assert result.chain == [["xinhua"], ["vna"], ["cvn"]]


def test_the_model_adds_image_credits_and_keeps_the_rules_ones() -> None:
    rules = ProvenanceResult(
        chain=[["example.com"]],
        basis="own",
        media=[{"credit": "Source : Sputnik", "chain": [["sputnik"], ["example.com"]]}],
    )
    found = {"afp": Candidate("afp", {"bias": 1.0, "page_caption": 1.0}, ["fig"], ["Foto: AFP"])}
    result = apply_decider(model(photo=0.5), rules, found, "example.com")
    assert [m["chain"][0] for m in result.media] == [["sputnik"], ["afp"]]
    assert result.media[1]["credit"] == "Foto: AFP"


def test_the_shipped_weights_load_and_name_every_feature() -> None:
    shipped = load_model()
    assert shipped is not None
    assert set(shipped.weights) == {"wire", "cited", "photo"}
    assert all(len(w) == len(FEATURES) for w in shipped.weights.values())
    assert set(shipped.use.values()) <= {"model", "rules"}


def test_weights_round_trip_and_refuse_other_features(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    save_model(model(photo=0.3), path)
    assert load_model(path) == model(photo=0.3)
    data = json.loads(path.read_text())
    data["features"] = [*data["features"], "something_new"]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="rebuild"):
        load_model(path)


def test_training_without_the_labelled_pages_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert train_main(["--external", str(tmp_path), "--out", str(tmp_path / "m.json")]) == 2
    assert "no labelled pages" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()


def test_halves_split_every_language_evenly_and_always_the_same_way() -> None:
    pages = [LabelledPage(f"p{i}", lang, "https://x.invalid/") for i, lang in enumerate("aaaabbc")]
    a, b = halves(pages)
    assert sorted(p.path for p in a + b) == sorted(p.path for p in pages)
    langs = Counter(p.lang for p in a)
    assert langs["a"] == 2 and langs["b"] == 1
    assert [p.path for p in halves(pages)[0]] == [p.path for p in a]


def test_figures_are_ratios_of_the_counts() -> None:
    counts = Counter(wire_tp=9, wire_fp=1, wire_fn=3, cited_rows=4, cited_found=3)
    got = figures(counts)
    assert (got["wire_precision"], got["wire_recall"], got["cited_recall"]) == (0.9, 0.75, 0.75)
    assert got["photo_in_media"] is None


@pytest.mark.parametrize("z", [-800.0, -30.0, -1.5, 0.0, 0.7, 30.0, 800.0])
def test_a_probability_is_the_logistic_of_the_weighted_features_at_any_size(z: float) -> None:
    model = Model(weights={"wire": [z if name == "bias" else 0.0 for name in FEATURES]})
    candidate = Candidate("xinhua")  # its bias feature alone: 1.0
    expected = 0.0 if z < -700 else 1.0 if z > 700 else 1.0 / (1.0 + math.exp(-z))
    assert model.probability("wire", candidate) == pytest.approx(expected, abs=1e-12)


def test_a_crawl_applies_the_model_without_loading_numpy() -> None:
    """Training needs numpy; reading the shipped weights must not load it into every crawl."""
    code = (
        "import sys, crawler.pipelines.provenance, crawler.provenance.page; "
        "sys.exit('numpy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
