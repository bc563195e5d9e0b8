"""The store in Datasette: ``datasette wiretrace.sqlite -m crawler/datasette.yml`` on 127.0.0.1.

A real Datasette serves the fixture store on a free port; the canned queries' JSON must
agree with the store (and with the report's own counts), and the metadata must title and
facet the tables.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.registry import load_registry
from crawler.report import model
from crawler.storage import open_store
from tests.crawling import ROOT

METADATA = ROOT / "crawler" / "datasette.yml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def datasette(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("datasette") is None:
        pytest.skip("Datasette is not installed (pip install -e '.[test]')")
    copy = tmp_path_factory.mktemp("datasette") / "wiretrace.sqlite"
    with sqlite3.connect(fixture_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", str(copy), "-m", str(METADATA),
         "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    out = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"Datasette did not start: {out[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


def get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def records(db: Path) -> list[dict[str, Any]]:
    store = open_store(db, create=False)
    try:
        return list(store.provenance())
    finally:
        store.close()


def test_articles_from_xinhua_via_vna(datasette: str, fixture_db: Path) -> None:
    rows = get(datasette, "/wiretrace/articles_from_xinhua_via_vna.json?_shape=array")
    expected = {
        r["url"] for r in records(fixture_db) if ("xinhua", "vna") in model.hops_pairs(r["chain"])
    }
    assert {row["url"] for row in rows} == expected
    assert len(expected) == 3  # CVN's article and its two reprints
    assert {row["outlet"] for row in rows} == {
        "cvn",
        "depeches-du-jour.example",
        "revue-hebdo.example",
    }


def test_articles_from_one_agency_via_another(datasette: str) -> None:
    rows = get(datasette, "/wiretrace/articles_via.json?_shape=array&origin=tass&via=vna")
    assert [row["outlet"] for row in rows] == ["cvn"]


def test_an_outlets_state_agency_share_by_week_agrees_with_the_report(
    datasette: str, fixture_db: Path
) -> None:
    registry = load_registry()
    articles = [
        {
            "outlet": r["outlet"],
            "origin": model.origin(r["chain"], r["outlet"], registry),
            "week": model.week_of(model.stated_day(r["published"], r["first_seen"])),
        }
        for r in records(fixture_db)
    ]
    for outlet, weeks in model.weekly_shares(articles).items():
        rows = get(
            datasette, f"/wiretrace/state_agency_share_by_week.json?_shape=array&outlet={outlet}"
        )
        assert {
            row["week"]: {
                "total": row["articles"],
                "agency": row["agency_copy"],
                "state": row["state_agency_copy"],
            }
            for row in rows
        } == weeks, outlet
    (cvn,) = get(datasette, "/wiretrace/state_agency_share_by_week.json?_shape=array&outlet=cvn")
    assert cvn == {
        "week": "2023-09-11",
        "articles": 2,
        "agency_copy": 2,
        "state_agency_copy": 2,
        "agency_share": 1.0,
        "state_agency_share": 1.0,
    }


def test_unresolved_credits_are_the_evidence_naming_no_agency(
    datasette: str, fixture_db: Path
) -> None:
    rows = get(datasette, "/wiretrace/unresolved_credits.json?_shape=array")
    expected = sorted(
        (e["kind"], e["text"], r["url"])
        for r in records(fixture_db)
        for e in r["evidence"]
        if e.get("agency") is None
    )
    assert sorted((row["kind"], row["text"], row["url"]) for row in rows) == expected
    assert ("dateline", "Paris / La Gazette") in {(k, t) for k, t, _ in expected}


def test_tables_have_titles_and_facets(datasette: str) -> None:
    articles = get(datasette, "/wiretrace/articles.json?_size=0")
    assert set(articles["facet_results"]) >= {"outlet", "language"}
    edges = get(datasette, "/wiretrace/edges.json?_size=0")
    assert set(edges["facet_results"]) >= {"relation", "agency", "basis"}
    metadata = get(datasette, "/-/metadata.json")
    tables = metadata["databases"]["wiretrace"]["tables"]
    assert tables["articles"]["title"] == "Articles"
    assert tables["evidence"]["title"] == "Evidence"


def test_the_state_owned_ids_in_the_queries_are_the_registrys() -> None:
    text = METADATA.read_text(encoding="utf-8")
    lists = re.findall(r"agency in \(([^)]*)\)", text)
    assert lists
    wanted = {a.id for a in load_registry() if a.state_owned}
    for found in lists:
        assert set(re.findall(r"'([^']+)'", found)) == wanted
