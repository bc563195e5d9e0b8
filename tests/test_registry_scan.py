"""``Registry.find`` scans fast (lower-cased text, a consumed character before each name);
it must find exactly what the plain rule finds: a name from the registry, not touching a
word character (of a spaced script), ``@``/``#`` or a word-glued hyphen on either side,
longest first where names overlap.

The plain rule is written out here as the reference, with lookbehind guards and the
regex engine's case-insensitive mode, and both run over every fixture text, every reader
test string and every alias in many surroundings and casings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crawler.registry import _AFTER_NAME, _WORD, Mention, Registry, load_registry
from tests.provenance import reader_cases

REG = load_registry()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_CLEAN_START = rf"(?<!{_WORD})(?<![@#])(?<!\w-)"
_CLITIC = "[\u0648\u0641\u0628\u0644\u0643]"  # and, so, by, to, like
_ARABIC_NEXT = "(?=[\u0621-\u064a\u067e-\u06d3])"
#: A clean start, or one or two Arabic proclitics after a clean start before an Arabic name.
_BEFORE = (
    rf"(?:{_CLEAN_START}|(?<={_CLEAN_START}{_CLITIC}){_ARABIC_NEXT}"
    rf"|(?<={_CLEAN_START}{_CLITIC}{{2}}){_ARABIC_NEXT})"
)


def reference_find(registry: Registry, text: str) -> list[Mention]:
    """The rule as first written: lookbehind guards, finditer, case-insensitive mode."""
    case_blind, as_written = registry.tries
    patterns = [
        re.compile(_BEFORE + f"(?:{case_blind})" + _AFTER_NAME, re.IGNORECASE),
        re.compile(_BEFORE + f"(?:{as_written})" + _AFTER_NAME),
    ]
    matches = sorted(
        (m for pattern in patterns for m in pattern.finditer(text)),
        key=lambda m: (m.start(), -m.end()),
    )
    found: list[Mention] = []
    taken = 0
    for match in matches:
        if match.start() < taken:
            continue
        agency = registry.resolve(match.group(0))
        if agency is not None and registry.is_false_friend(
            agency, text, match.start(), match.end()
        ):
            continue
        if registry.needs_credit_context(match.group(0)) and not registry.in_credit_context(
            text, match.start(), match.end()
        ):
            continue
        if agency is not None:
            found.append(Mention(agency, match.start(), match.end(), match.group(0)))
            taken = match.end()
    return found


def _reader_strings() -> list[str]:
    strings = []
    for value in vars(reader_cases).values():
        if isinstance(value, list):
            for case in value:
                first = getattr(case, "values", (case,))[0]
                if isinstance(first, str):
                    strings.append(first)
    return strings


def _fixture_texts() -> list[str]:
    texts = []
    for expected in sorted(FIXTURES.rglob("expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        item = data.get("item") or {}
        texts += [item.get("text") or "", item.get("title") or ""]
        texts += [e.get("text", "") for e in (item.get("provenance") or {}).get("evidence", [])]
    return [t for t in texts if t]


def _alias_texts() -> list[str]:
    surroundings = [
        "{}", "({})", "{}/VNA/CVN", "Xinhua/{}/CVN", "selon {}, le", "l'{} a dit", "l’{}",
        "据{}报道", "{}-HP", "AP-{}", "@{}", "#{}", "{} @user", "x{}", "{}x", "{}-based",
        "{}, {} et {}", "{}V", "{} V", "CTV (collaborateur){}", "{}\n{}", "İstanbul, {}",
    ]  # fmt: skip
    texts = []
    for agency in REG:
        for alias in agency.all_aliases():
            for cased in {alias, alias.lower(), alias.upper(), alias.title()}:
                texts += [s.format(*[cased] * s.count("{}")) for s in surroundings]
    return texts


def differs_by_design(text: str) -> bool:
    """The one known difference: the regex engine's case-insensitive mode takes ``I`` for the
    dotless ``ı`` of ``Anadolu Ajansı``, so the plain rule matched ``ANADOLU AJANSI`` whole,
    could not resolve it, and lost ``ANADOLU`` with it; lower-casing keeps them apart."""
    return "AJANSI" in text


CORPORA = {
    "fixtures": _fixture_texts,
    "reader strings": _reader_strings,
    "aliases in context": _alias_texts,
}


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_find_agrees_with_the_plain_rule(corpus: str) -> None:
    texts = CORPORA[corpus]()
    found = 0
    for text in texts:
        if differs_by_design(text):
            continue
        expected = reference_find(REG, text)
        assert REG.find(text) == expected, text
        found += len(expected)
    assert found > len(texts) // 10  # the corpus does name agencies


def test_an_upper_case_name_with_a_dotless_i_still_yields_the_agency() -> None:
    assert [m.agency for m in REG.find("(ANADOLU AJANSI)")] == ["anadolu"]
    assert reference_find(REG, "(ANADOLU AJANSI)") == []  # what the plain rule missed


def test_a_text_whose_lower_case_changes_length_is_still_read() -> None:
    text = "İSTANBUL (AFP) — selon l'agence Anadolu"
    assert len(text.lower()) != len(text)
    assert [m.agency for m in REG.find(text)] == ["afp", "anadolu"]
    assert REG.find(text) == reference_find(REG, text)
