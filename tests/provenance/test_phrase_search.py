"""The cue searches try their pattern only where a cue phrase can start; that must find
exactly what a plain ``re.search`` of the same pattern finds, on every cue phrase in every
casing and on the text before every agency named in the fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.provenance.readers import conventions, patterns
from crawler.provenance.readers.patterns import _PhraseSearch
from crawler.registry import load_registry
from tests.provenance.reader_cases import IN_TEXT, NOT_IN_TEXT

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEARCHES = {
    "cite_before": (patterns._CITE_BEFORE, patterns._CITE_BEFORE_PHRASES, 160),
    "descriptor_before": (patterns._DESCRIPTOR_BEFORE, conventions.DESCRIPTORS, 80),
}


def _phrase_windows(phrases: list[str] | tuple[str, ...]) -> list[str]:
    """Each phrase as an article would print it before a name, in three casings."""
    windows = []
    for phrase in phrases:
        words = phrase.replace("…", "au journal").split()
        cue = " ".join(words)
        for cased in (cue, cue[:1].upper() + cue[1:], cue.upper()):
            windows.append(f"La réunion a eu lieu hier, {cased} l'agence officielle ")
            windows.append(f"{cased} ")
            windows.append(f"mot{cased} ")  # glued to a word: only a sign may start here
    return windows


def _mention_windows(width: int) -> list[str]:
    """The text before every agency mention in the fixture articles' expected texts and in
    the in-text reader cases."""
    registry = load_registry()
    texts = [param.values[0] for param in (*IN_TEXT, *NOT_IN_TEXT)]
    for expected in sorted(FIXTURES.rglob("expected.json")):
        item = json.loads(expected.read_text(encoding="utf-8")).get("item") or {}
        texts.append(item.get("text") or "")
    return [
        text[max(0, mention.start - width) : mention.start]
        for text in texts
        for mention in registry.find(text)
    ]


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_same_match_as_a_plain_search(name: str) -> None:
    search, phrases, width = SEARCHES[name]
    windows = _phrase_windows(phrases) + _mention_windows(width)
    found = 0
    for window in windows:
        fast, plain = search.search(window), search.pattern.search(window)
        assert (fast and fast.span()) == (plain and plain.span()), window
        found += plain is not None
    assert found > len(phrases)  # the windows do exercise the patterns


def test_a_sign_can_start_a_phrase() -> None:
    import re

    search = _PhraseSearch(re.compile(r"(?:,\s*so|selon)\s+$", re.I), [", so", "selon"])
    assert search.search("he was late, so ").span() == (11, 16)
    assert search.search("Selon ").span() == (0, 6)
    assert search.search("enselon ") is None
