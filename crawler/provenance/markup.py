"""Publishers' markup conventions, loaded from ``crawler/data/markup.toml``.

Why data: which class names mean a caption, a byline box or a teaser list is learned from
real pages one site at a time; a new word is a row in the file, and every reader that asks
for that table sees it.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def _load() -> dict[str, dict[str, list[str]]]:
    text = (resources.files("crawler") / "data" / "markup.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    return data


def words(table: str) -> tuple[str, ...]:
    """The class and id words of ``table`` (``credit``, ``lists``...), in the file's order."""
    return tuple(_load()["words"][table])


def tags(table: str) -> frozenset[str]:
    """The element names of ``table`` (``chrome``)."""
    return frozenset(_load()["tags"][table])
