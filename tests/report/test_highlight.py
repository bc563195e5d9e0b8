"""Placing evidence in an article's text: offsets, stale offsets, overlaps and reuse."""

from __future__ import annotations

from crawler.report.highlight import (
    REUSE,
    Segment,
    Span,
    evidence_spans,
    locate,
    reuse_spans,
    segments,
)

TEXT = "MOSCOU (AFP) - Selon TASS, le sommet a eu lieu.\nKCNA indique que tout va bien."


def test_evidence_at_its_stated_offset_is_found_there() -> None:
    start = TEXT.index("KCNA indique")
    assert locate(TEXT, {"text": "KCNA indique", "where": f"text:{start}"}) == (start, start + 12)


def test_a_stale_offset_falls_back_to_the_first_occurrence() -> None:
    start = TEXT.index("Selon TASS")
    assert locate(TEXT, {"text": "Selon TASS", "where": "text:3"}) == (start, start + 10)
    assert locate(TEXT, {"text": "absent", "where": "text:0"}) is None


def test_evidence_found_on_the_page_outside_the_text_is_listed_apart() -> None:
    credit = {"kind": "credit_line", "text": "AFP", "where": "div.article-author", "agency": "afp"}
    dateline = {"kind": "dateline", "text": "MOSCOU (AFP) -", "where": "text:0", "agency": "afp"}
    spans, elsewhere = evidence_spans(TEXT, [credit, dateline])
    assert spans == [Span(0, 14, "dateline", "dateline → afp")]
    assert elsewhere == [credit]


def test_overlapping_evidence_cuts_the_text_into_segments_marked_with_both() -> None:
    spans = [Span(0, 10, "reuse", "shared"), Span(5, 14, "dateline", "dateline")]
    pieces = segments("MOSCOU (AFP) - reste", spans)
    assert pieces == [
        Segment("MOSCO", ("reuse",), ("shared",)),
        Segment("U (AF", ("reuse", "dateline"), ("shared", "dateline")),
        Segment("P) -", ("dateline",), ("dateline",)),
        Segment(" reste"),
    ]
    assert "".join(p.text for p in pieces) == "MOSCOU (AFP) - reste"


def test_reused_passages_are_marked_only_in_the_version_they_were_found_in() -> None:
    pair = {
        "a": "https://a",
        "b": "https://b",
        "a_version_id": 7,
        "b_version_id": 9,
        "a_outlet": "cvn",
        "b_outlet": "b.example",
        "a_title": "Original",
        "b_title": "Copie",
        "passages": [{"a_start": 0, "a_end": 14, "b_start": 5, "b_end": 19, "words": 3}],
    }
    (span,) = reuse_spans(TEXT, 9, [pair], "https://b")
    assert (span.start, span.end, span.kind) == (5, 19, REUSE)
    assert span.note == "shared with cvn: Original (3 words)"
    assert reuse_spans(TEXT, 8, [pair], "https://b") == []  # another version's offsets
    (mine,) = reuse_spans(TEXT, 7, [pair], "https://a")
    assert (mine.start, mine.end) == (0, 14)
