"""The trade's conventions per language, loaded from ``crawler/data/conventions.toml``.

Why data: a new language is new rows (labels, cue words, month names), never a new regular
expression; the readers build their patterns from these tables at import. The names below
are the tables the readers use: per-language ones as ``{lang: phrases}`` (a speech verb is
only crossed with its own language's addressee words), the others as one tuple of every
language's rows.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_conventions() -> dict[str, dict[str, list[str]]]:
    """``{lang: {key: [phrases]}}`` as shipped in the package."""
    text = (resources.files("crawler") / "data" / "conventions.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    return {lang: dict(keys) for lang, keys in data["lang"].items()}


def per_language(key: str) -> dict[str, tuple[str, ...]]:
    """``key``'s rows by language, only the languages that have some."""
    return {lang: tuple(keys[key]) for lang, keys in load_conventions().items() if keys.get(key)}


def every(key: str) -> tuple[str, ...]:
    """``key``'s rows of every language, once each, in the file's order."""
    return tuple(dict.fromkeys(p for phrases in per_language(key).values() for p in phrases))


def languages() -> tuple[str, ...]:
    """The languages the tables have rows for (``any`` is no language)."""
    return tuple(lang for lang in load_conventions() if lang != "any")


CREDIT_LABELS = per_language("credit_labels")
WITH_CUES = per_language("with_cues")
SOURCE_NOTES = every("source_notes")
AGENCIES_PLURAL = every("agencies_plural")
UNNAMED_AGENCIES = every("unnamed_agencies")
CONTRIBUTED = every("contributed")
AGENCY_NOUNS = every("agency_nouns")
NAME_SUFFIXES = every("name_suffixes")
ARTICLES = every("articles")
ORG_WORDS = frozenset(every("org_words"))
PARTICLES = frozenset(every("particles"))
BYLINE_OPENERS = every("byline_openers")
BYLINE_WORDS = every("byline_words")
BYLINE_SOURCE_CUES = every("byline_source_cues")
PHOTO_LABELS = every("photo_labels")
MONTH_NAMES = per_language("months")
MONTHS = frozenset(every("months"))
CITE_BEFORE = per_language("cite_before")
SPEECH_VERBS = per_language("speech_verbs")
ADDRESSEE = per_language("addressee")
CITE_AFTER = per_language("cite_after")
WEAK_CUES = frozenset(every("weak_cues"))
AFTER_AUXILIARIES = every("after_auxiliaries")
PERSON_PRONOUNS = every("person_pronouns")
DESCRIPTORS = every("descriptors")
GAP_ARTICLES = every("gap_articles")
GAP_MODIFIERS = every("gap_modifiers")
GAP_TIME_WORDS = every("gap_time_words")
CLAUSE_WORDS = every("clause_words")
LIST_JOINERS = every("list_joiners")
CUE_EXTRA_WORDS = every("cue_words")
DATELINE_MARKS = every("dateline_marks")
