"""The commands read PostgreSQL exactly as they read SQLite.

The same replay crawls (the seed pages with every spider, the text-reuse pages with the
generic spider) go into a SQLite file and into a PostgreSQL database through the real
``scrapy`` command; then ``reuse``, ``provenance``, ``versions`` and ``stories`` run on
each, and what they print must be the same, word for word, once the run times are set
aside. Every command's database access goes through the Store interface, so this also
checks that interface's two implementations against each other on real data.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import FIXTURES, ROOT, fixture_cases, scrapy
from tests.servers import drop_database, fresh_database

pytestmark = pytest.mark.slow  # real scrapy processes on both backends

CVN_001 = (
    "https://lecourrier.vn/vladimir-poutine-et-kim-jong-un-se-rencontrent-au-cosmodrome-"
    "vostotchny/1205536.html"
)


def reuse_urls() -> list[str]:
    return [c.url for c in fixture_cases("article") if c.folder.parent.name == "reuse"]


def fill(target: str, work: Path) -> None:
    seeds = scrapy(["crawlall"], work / "seeds", target, feed=True, replay=FIXTURES)  # type: ignore[arg-type]
    assert seeds.returncode == 0, seeds.log[-3000:]
    pages = scrapy(
        ["crawl", "article", "-a", f"urls={','.join(reuse_urls())}"],
        work / "pages",
        target,  # type: ignore[arg-type]
        feed=True,
        replay=FIXTURES,
    )
    assert pages.returncode == 0, pages.log[-3000:]


def command(target: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", f"WIRETRACE_DB={target}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def targets(
    tmp_path_factory: pytest.TempPathFactory, postgres_server_url: str
) -> Iterator[dict[str, str]]:
    work = tmp_path_factory.mktemp("agree")
    postgres = fresh_database(postgres_server_url)
    found = {"sqlite": str(work / "wiretrace.sqlite"), "postgresql": postgres}
    for name, target in found.items():
        fill(target, work / name)
        command(target, "reuse")  # writes pairs and inferred chains, which the others read
    yield found
    drop_database(postgres)


def without_run_times(text: str) -> str:
    """When each crawl and reuse run happened (today) is the one thing allowed to differ;
    the pages' own dates are years old and stay."""
    today = datetime.now(UTC).date().isoformat()
    return re.sub(rf"{today}T[0-9:.]+(\+00:00)?", "<today>", text)


@pytest.mark.parametrize(
    "args",
    [
        ("reuse", "--json"),  # a second run: the same pairs, nothing added
        ("provenance",),
        ("provenance", "--agency", "xinhua"),
        ("provenance", "--url", CVN_001),
        ("versions", CVN_001, "--json"),
        ("stories", "--json"),
    ],
    ids=" ".join,
)
def test_each_command_prints_the_same_from_both_backends(
    targets: dict[str, str], args: tuple[str, ...]
) -> None:
    outputs = {name: without_run_times(command(target, *args)) for name, target in targets.items()}
    assert outputs["sqlite"].strip(), "the command printed nothing to compare"
    assert outputs["postgresql"] == outputs["sqlite"]


def test_the_crawls_stored_the_same_records(targets: dict[str, str]) -> None:
    from crawler.storage import open_store

    def records(target: str) -> list[Any]:
        store = open_store(target, create=False)
        try:
            return [
                json.loads(without_run_times(json.dumps(r, sort_keys=True)))
                for r in store.provenance()
            ]
        finally:
            store.close()

    sqlite, postgresql = records(targets["sqlite"]), records(targets["postgresql"])
    assert len(sqlite) >= 10
    assert postgresql == sqlite
