"""pytest's hooks for the whole suite. Shared helpers live in ``tests/crawling.py``: tests
import from there, never from this file (pytest loads it under its own name, and importing it
again as a module would load it twice)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Database

# -- database backends: every storage test runs against SQLite and a real PostgreSQL -------
# (Database lives in tests/servers.py: conftest is imported under another module name by
# pytest, so a class defined here would not be the one the tests import.)


BACKENDS = ("sqlite", "postgresql")


#: Fixtures that start a server or a browser, or crawl with real ``scrapy`` processes: a test
#: that uses one (directly or through another fixture) is ``slow`` without saying so.
SLOW_FIXTURES = frozenset(
    {
        "postgres_server_url",
        "postgres_url",
        "redis_server_url",
        "fixture_db",
        "hostile_db",
        "browser",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "backends(*names): run a test taking `db` on these backends only"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``backends`` (a module's ``pytestmark`` or its own, which wins) runs
    once per backend named, with its ``db`` fixture opened on it; the runs on a server
    (PostgreSQL) are ``slow``."""
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is None or "db" not in metafunc.fixturenames:
        return
    backends = [
        pytest.param(name, marks=() if name == "sqlite" else pytest.mark.slow, id=name)
        for name in marker.args or BACKENDS
    ]
    metafunc.parametrize("db", backends, indirect=True)


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
