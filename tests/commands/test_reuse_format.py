"""How ``scrapy reuse`` prints pairs and inferences, for cases the fixtures do not produce."""

from __future__ import annotations

from crawler.commands.reuse import format_inferred, format_pair
from crawler.registry import load_registry
from crawler.reuse.infer import Inferred


def test_a_pair_of_unclear_direction_is_printed_both_ways_round() -> None:
    pair = {
        "a": "https://a.example/1",
        "b": "https://b.example/2",
        "a_outlet": "a.example",
        "b_outlet": "b.example",
        "a_published": None,
        "b_published": "2023-09-14T09:05:00+02:00",
        "share_a": 0.5,
        "share_b": 0.25,
        "passages": [{"a_start": 4, "a_end": 20, "b_start": 0, "b_end": 16, "words": 12}],
        "earlier": None,
    }
    text = "Ce: " + "mot " * 40
    lines = format_pair(pair, {"https://a.example/1": text})
    assert lines[0] == (
        "50%  ←  25%  https://a.example/1 (a.example, no date)  ↔  "
        "https://b.example/2 (b.example, 2023-09-14)"
    )
    assert lines[1] == '    a[4:20] b[0:16]  12 words  "mot mot mot mot"'
    # Known to be the later one: the pair is turned round, the earlier article first.
    long = [{"a_start": 0, "a_end": 90, "b_start": 0, "b_end": 100, "words": 12}]
    turned = format_pair(
        {**pair, "earlier": pair["b"], "passages": long}, {"https://b.example/2": "x" * 100}
    )
    assert turned[0].startswith("25%  ←  50%  https://b.example/2 (b.example, 2023-09-14)  →  ")
    assert turned[1] == '    b[0:100] a[0:90]  12 words  "' + "x" * 79 + '…"'


def test_evidence_only_and_refused_inferences_say_so() -> None:
    registry = load_registry()
    unclear = Inferred(
        "https://b.example/2",
        [],
        "own",
        {
            "kind": "text_reuse",
            "text": "reuses 80% of https://a.example/1 (which came first is unclear)",
            "source_url": "https://a.example/1",
        },
    )
    assert format_inferred(unclear, True, "own", registry) == (
        "evidence: https://b.example/2  reuses 80% of https://a.example/1 (which came first is "
        "unclear); chain kept (own)"
    )
    refused = Inferred("https://c.example/3", [["afp"], ["c.example"]], "text_reuse", {})
    assert format_inferred(refused, False, "credit_line", registry) == (
        "kept:     https://c.example/3  (credit_line: a credit line outranks text reuse)"
    )
    applied = format_inferred(refused, True, "own", registry)
    assert applied == "inferred: https://c.example/3  AFP → c.example  (text_reuse)"
