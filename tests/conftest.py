"""Shared paths and the one-page runner the fixture tests use."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.servers import Database

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
        return f"{self.folder.parent.name}/{self.folder.name}"


def spider_for(folder: Path) -> str:
    """Fixture folders are grouped by spider; bad-input pages are CVN-shaped, and the
    text-reuse pages (invented outlets on ``.example`` hosts) are read by the generic spider."""
    group = folder.relative_to(FIXTURES).parts[0]
    return {"bad": "cvn", "reuse": "article"}.get(group, group)


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


# -- database backends: every storage test runs against SQLite and a real PostgreSQL -------
# (Database lives in tests/servers.py: conftest is imported under another module name by
# pytest, so a class defined here would not be the one the tests import.)


BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "backends(*names): run a test taking `db` on these backends only"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``backends`` (a module's ``pytestmark`` or its own, which wins) runs
    once per backend named, with its ``db`` fixture opened on it."""
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is None or "db" not in metafunc.fixturenames:
        return
    metafunc.parametrize("db", marker.args or BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server for the session: ``WIRETRACE_TEST_POSTGRES`` or one started here.

    Unavailable by hand: the tests skip, saying why. Under CI (``CI`` set) they fail: a
    green CI run must have run them.
    """
    from tests.servers import Unavailable, postgres_base, postgres_server

    given = os.environ.get("WIRETRACE_TEST_POSTGRES")
    if given:
        yield postgres_base(given)
        return
    try:
        with postgres_server() as url:
            yield url
    except Unavailable as exc:
        _unavailable(f"PostgreSQL: {exc}")


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """A Redis server for the session: ``WIRETRACE_TEST_REDIS`` or one started here (as
    above: a skip by hand, a failure under CI)."""
    from tests.servers import Unavailable, redis_server

    given = os.environ.get("WIRETRACE_TEST_REDIS")
    if given:
        yield given
        return
    try:
        with redis_server() as url:
            yield url
    except Unavailable as exc:
        _unavailable(f"Redis: {exc}")


def _unavailable(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI is set, so this is a failure, not a skip)")
    pytest.skip(f"{why}; set WIRETRACE_TEST_POSTGRES / WIRETRACE_TEST_REDIS or install them")


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from tests.servers import drop_database, fresh_database

    url = fresh_database(postgres_server_url)
    yield url
    drop_database(url)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """The test's database on the backend it is parametrized with (see above)."""
    if request.param == "sqlite":
        return Database("sqlite", str(tmp_path / "data" / "wiretrace.sqlite"))
    return Database("postgresql", request.getfixturevalue("postgres_url"))
