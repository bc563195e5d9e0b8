"""``Store.unresolved``: the source names stored evidence gives that no registry entry
matched, counted by article across the store, most common first."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.items import ArticleItem, Evidence, Fetch, Provenance
from crawler.storage import Store, open_store


def unresolved_item(
    url: str, names: list[str], *, outlet: str = "news.example", day: int = 1, known: str = ""
) -> ArticleItem:
    """An article whose credit line names ``names`` (unknown) and ``known`` (a registry id)."""
    agencies = [f"unknown:{n}" for n in names] + ([known] if known else [])
    evidence = [
        Evidence(
            "credit_line",
            "/".join([*names, known.upper()]).strip("/"),
            "text:100",
            known or None,
            0.95 if known else 0.5,
            agencies,
            reason=None if known else "not_in_registry",
            unresolved=list(names),
        ),
        Evidence("byline", "Par Jean Dupont", "p.author", None, 1.0, reason="no_source_named"),
    ]
    return ArticleItem(
        url=url,
        outlet=outlet,
        fetch=Fetch(f"2025-05-0{day}T08:00:00+00:00", 200, str(day) * 64, True),
        title="Titre",
        language="fr",
        text=f"Texte de {url}.",
        provenance=Provenance(chain=[[outlet]], basis="own", evidence=evidence),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "wiretrace.sqlite")
    yield opened
    opened.close()


def test_names_are_counted_by_article_most_common_first(store: Store) -> None:
    store.save_article(unresolved_item("https://a.example/1", ["Agence XYZ"], day=1))
    store.save_article(unresolved_item("https://a.example/2", ["Agence XYZ"], day=2))
    store.save_article(unresolved_item("https://b.example/3", ["FMW"], known="bloomberg", day=3))
    rows = store.unresolved()
    assert rows == [
        {
            "name": "Agence XYZ",
            "articles": 2,
            "kinds": ["credit_line"],
            "example": "https://a.example/2",  # the article that named it most recently
        },
        {"name": "FMW", "articles": 1, "kinds": ["credit_line"], "example": "https://b.example/3"},
    ]


def test_a_name_repeated_in_one_article_counts_once(store: Store) -> None:
    item = unresolved_item("https://a.example/1", ["Agence XYZ"])
    item.provenance.evidence.append(
        Evidence("photo_credit", "Photo : Agence XYZ", "figcaption", None, 0.5,
                 ["unknown:Agence XYZ"], reason="not_in_registry", unresolved=["Agence XYZ"])
    )  # fmt: skip
    store.save_article(item)
    [row] = store.unresolved()
    assert (row["name"], row["articles"], row["kinds"]) == (
        "Agence XYZ", 1, ["credit_line", "photo_credit"]
    )  # fmt: skip


def test_only_the_latest_version_counts(store: Store) -> None:
    url = "https://a.example/1"
    store.save_article(unresolved_item(url, ["Agence XYZ"], day=1))
    resolved = unresolved_item(url, [], known="afp", day=2)
    resolved.text = "Un texte corrigé."
    store.save_article(resolved)  # once an alias is added, a re-crawl clears the name
    assert store.unresolved() == []


def test_outlet_and_limit_narrow_the_list(store: Store) -> None:
    store.save_article(unresolved_item("https://a.example/1", ["A1"], outlet="a.example", day=1))
    store.save_article(unresolved_item("https://a.example/2", ["A1"], outlet="a.example", day=2))
    store.save_article(unresolved_item("https://b.example/1", ["B1"], outlet="b.example", day=3))
    assert [r["name"] for r in store.unresolved(outlet="b.example")] == ["B1"]
    assert [r["name"] for r in store.unresolved(limit=1)] == ["A1"]
    assert [r["name"] for r in store.unresolved()] == ["A1", "B1"]


def test_items_stored_before_the_unresolved_field_are_listed_too(
    store: Store, tmp_path: Path
) -> None:
    store.save_article(unresolved_item("https://a.example/1", ["Agence XYZ"]))
    with sqlite3.connect(tmp_path / "wiretrace.sqlite") as conn:  # as an older version wrote
        [(raw,)] = conn.execute("SELECT item_json FROM articles").fetchall()
        item = json.loads(raw)
        for piece in item["provenance"]["evidence"]:
            piece.pop("unresolved", None)
            piece.pop("reason", None)
            if piece["agencies"]:
                piece["agency"] = piece["agencies"][0]
        conn.execute("UPDATE articles SET item_json = ?", (json.dumps(item),))
    assert [r["name"] for r in store.unresolved()] == ["Agence XYZ"]


def test_a_store_with_nothing_unresolved_lists_nothing(store: Store) -> None:
    assert store.unresolved() == []
    store.save_article(unresolved_item("https://a.example/1", [], known="afp"))
    assert store.unresolved() == []
