"""``scrapy provenance --unresolved`` end to end: a replayed page whose credit names an
agency the registry does not know is crawled as users crawl, and the command lists the name
with how many articles give it and an example URL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crawler.storage.sqlite import SQLiteStore
from tests.crawling import Done, command, scrapy

pytestmark = pytest.mark.slow  # real scrapy processes

#: Pages written for this test: a short French article, its credit line at the end.
PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta property="og:type" content="article"><title>{title}</title></head>
<body><article><h1>{title}</h1>
<p>Le port de {city} accueillera dès l'an prochain des navires de plus grande taille, a
annoncé mardi l'autorité portuaire, qui prévoit d'allonger ses quais de trois cents mètres.</p>
<p>Les travaux, financés par la province, doivent durer deux ans et créer plusieurs centaines
d'emplois dans la région, selon le comité populaire de la ville.</p>
<p>Les armateurs saluent une décision attendue depuis longtemps par le secteur.</p>
<p>{credit}</p>
</article></body></html>
"""
PAGES = {
    "https://news.example/fr/port-da-nang": ("Da Nang", "Source : Agence XYZ"),
    "https://news.example/fr/port-hai-phong": ("Hai Phong", "Source : Agence XYZ"),
    "https://other.example/fr/port-vung-tau": ("Vung Tau", "FMW/Bloomberg"),
    "https://other.example/fr/port-quy-nhon": ("Quy Nhon", "Source : AFP"),
}


def save_pages(folder: Path) -> None:
    for n, (url, (city, credit)) in enumerate(PAGES.items()):
        page = folder / f"page-{n}"
        page.mkdir(parents=True)
        title = f"Le port de {city} s'agrandit"
        body = PAGE.format(title=title, city=city, credit=credit)
        (page / "body.html").write_text(body, encoding="utf-8")
        response = {
            "url": url,
            "status": 200,
            "headers": {"Content-Type": "text/html; charset=utf-8"},
            "body": "body.html",
        }
        (page / "response.json").write_text(json.dumps(response), encoding="utf-8")


def provenance(db: Path, *options: str) -> Done:
    return command("provenance", *options, db=db, timeout=120)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("unresolved")
    save_pages(work / "saved")
    db = work / "wiretrace.sqlite"
    done = scrapy(
        ["crawl", "article", "-a", f"urls={','.join(PAGES)}"], work / "out", db,
        feed=True, replay=work / "saved",
    )  # fmt: skip
    assert done.returncode == 0, done.log[-2000:]
    items = done.items("article")
    assert len(items) == len(PAGES)
    return db


def test_the_item_keeps_the_unknown_credit_with_agency_null_and_a_reason(crawled: Path) -> None:
    with sqlite3.connect(crawled) as conn:
        [(raw,)] = conn.execute(
            "SELECT item_json FROM articles WHERE url = ?",
            ("https://news.example/fr/port-da-nang",),
        ).fetchall()
        stored = conn.execute(
            "SELECT kind, text, agency FROM evidence WHERE text = 'Source : Agence XYZ'"
        ).fetchall()
    [credit] = [e for e in json.loads(raw)["provenance"]["evidence"] if e["kind"] == "credit_line"]
    assert credit["agency"] is None
    assert credit["reason"] == "not_in_registry"
    assert credit["unresolved"] == ["Agence XYZ"]
    assert set(stored) == {("credit_line", "Source : Agence XYZ", None)}


def test_the_command_lists_unknown_names_most_common_first_with_an_example(crawled: Path) -> None:
    done = provenance(crawled, "--unresolved")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["articles", "name", "found", "in", "example"]
    first, second = lines[1], lines[2]
    assert first.split()[:4] == ["2", "Agence", "XYZ", "credit_line"]
    assert first.split()[-1] in {"https://news.example/fr/port-da-nang",
                                 "https://news.example/fr/port-hai-phong"}  # fmt: skip
    assert second.split() == ["1", "FMW", "credit_line", "https://other.example/fr/port-vung-tau"]
    assert "AFP" not in done.stdout  # known agencies are resolved, not listed
    assert "crawler/data/agencies.toml" in lines[-1]


def test_the_list_narrows_to_an_outlet_and_a_limit(crawled: Path) -> None:
    only = provenance(crawled, "--unresolved", "--outlet", "other.example")
    assert only.returncode == 0, only.stderr
    assert [line.split()[1] for line in only.stdout.splitlines()[1:-1]] == ["FMW"]
    top = provenance(crawled, "--unresolved", "--limit", "1")
    assert len(top.stdout.splitlines()) == 3  # header, one name, the hint


def test_nothing_unresolved_says_so(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "empty.sqlite").close()
    done = provenance(tmp_path / "empty.sqlite", "--unresolved")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("no unresolved source names")


@pytest.mark.parametrize(
    "options",
    [("--unresolved", "--agency", "afp"), ("--unresolved", "--url", "x"), ("--limit", "-1")],
)
def test_options_that_cannot_go_together_are_refused(crawled: Path, options: tuple[str]) -> None:
    done = provenance(crawled, *options)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
