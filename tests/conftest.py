"""Shared paths and the one-page runner the fixture tests use."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


@dataclass
class Case:
    """One saved response and what it must yield."""

    folder: Path
    spider: str
    response: dict[str, Any]
    expected: dict[str, Any]

    @property
    def url(self) -> str:
        return str(self.response["url"])

    @property
    def id(self) -> str:
        return "/".join(self.folder.relative_to(FIXTURES).parts)


def spider_for(folder: Path) -> str:
    """Fixture folders are grouped by spider; bad-input pages are CVN-shaped, the
    text-reuse pages (invented outlets on ``.example`` hosts) are read by the generic spider,
    and the redesigned outlet pages (``redesign/<spider>/<case>``) by their outlet's spider."""
    parts = folder.relative_to(FIXTURES).parts
    if parts[0] == "redesign":
        return parts[1]
    return {"bad": "cvn", "reuse": "article"}.get(parts[0], parts[0])


def fixture_cases(kind: str | None = None) -> list[Case]:
    cases = []
    for expected_path in sorted(FIXTURES.rglob("expected.json")):
        folder = expected_path.parent
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        if kind is not None and expected.get("kind") != kind:
            continue
        response = json.loads((folder / "response.json").read_text(encoding="utf-8"))
        cases.append(Case(folder, spider_for(folder), response, expected))
    return cases


def cases_param(kind: str | None = None) -> Any:
    cases = fixture_cases(kind)
    return pytest.mark.parametrize("case", cases, ids=[c.id for c in cases])


@dataclass
class PageRun:
    items: list[Any] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
