"""Text reuse in the store: the pairs a detection run found, and chains inferred from them.

As in test_edges.py, rows are read through a separate ``sqlite3`` connection, so every
check also proves what was committed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.items import ArticleItem, Evidence, Fetch, Provenance
from crawler.storage import Store, open_store
from crawler.storage.sqlite import SCHEMA_VERSION
from tests.servers import Database, as_database

SOURCE = "https://lecourrier.vn/poutine-kim/1205536.html"
REPRINT = "https://www.depeches-du-jour.example/monde/poutine-kim"
EDITED = "https://www.revue-hebdo.example/international/sommet"
OTHER = "https://www.le-matin-libre.example/monde/kim-fidelite"

TEXT = "Au cosmodrome Vostotchny, les deux parties se sont rencontrées.\nApres la réunion, ..."
XINHUA_CHAIN = [["xinhua"], ["vna"], ["cvn"]]

pytestmark = pytest.mark.backends()  # every test taking `db`: SQLite and PostgreSQL


def credit_line_provenance() -> Provenance:
    return Provenance(
        chain=XINHUA_CHAIN,
        basis="credit_line",
        media=[{"credit": "Photo : AFP/VNA/CVN", "chain": [["afp"], ["vna"], ["cvn"]]}],
        evidence=[
            Evidence("credit_line", "Xinhua/VNA/CVN", "div.article-author", "xinhua", 0.95),
            Evidence("photo_credit", "Photo : AFP/VNA/CVN", "figcaption", "afp", 0.9),
        ],
    )


def own(outlet: str) -> Provenance:
    return Provenance(chain=[[outlet]], basis="own")


def make_item(
    url: str,
    outlet: str,
    provenance: Provenance,
    *,
    text: str = TEXT,
    fetched_at: str = "2025-05-01T08:00:00+00:00",
    published: str = "2023-09-14T09:05:00+02:00",
    body: str = "a",
) -> ArticleItem:
    return ArticleItem(
        url=url,
        outlet=outlet,
        fetch=Fetch(fetched_at=fetched_at, status=200, sha256=body * 64, replayed=True),
        canonical_url=url,
        title=f"Titre de {outlet}",
        published=published,
        authors=[],
        language="fr",
        text=text,
        provenance=provenance,
    )


def reuse_evidence(source: str = SOURCE, share: float = 1.0) -> dict[str, Any]:
    """What ``crawler.reuse.infer`` hands over for a reprint of the CVN article."""
    return {
        "kind": "text_reuse",
        "text": "Au cosmodrome Vostotchny, les deux parties se sont rencontrées.",
        "where": "char:0-63",
        "agency": "xinhua",
        "agencies": ["xinhua", "vna", "cvn"],
        "confidence": 0.8,
        "source_url": source,
        "share": share,
    }


def pair(a: str = SOURCE, b: str = REPRINT, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "a": a,
        "b": b,
        "share_a": 0.97,
        "share_b": 1.0,
        "passages": [{"a_start": 0, "a_end": 63, "b_start": 0, "b_end": 63, "words": 9}],
        "earlier": a,
    }
    return {**base, **changes}


@pytest.fixture
def store(db: Database) -> Iterator[Store]:
    s = open_store(db)
    s.save_article(
        make_item(SOURCE, "cvn", credit_line_provenance(), published="2023-09-13T22:40:00+07:00")
    )
    s.save_article(make_item(REPRINT, "depeches-du-jour.example", own("depeches-du-jour.example")))
    s.save_article(
        make_item(EDITED, "revue-hebdo.example", own("revue-hebdo.example"), text="Autre texte.")
    )
    yield s
    s.close()


def query(db: Database | Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return as_database(db).query(sql, *params)


def provenance_of(store: Store, url: str) -> dict[str, Any]:
    (record,) = store.provenance(url=url)
    return record


def copy_edges(db: Database, url: str) -> list[tuple[Any, ...]]:
    return query(
        db,
        "SELECT e.hop, e.agency, e.basis, e.evidence_text FROM edges AS e"
        " JOIN articles AS a ON a.latest_version_id = e.version_id"
        " WHERE a.url = ? AND e.relation = 'copy' ORDER BY e.hop, e.agency",
        url,
    )


# -- what detection reads ------------------------------------------------------------------


def test_reuse_docs_give_each_articles_latest_text_and_what_weighs_it(store: Store) -> None:
    store.save_article(
        make_item(
            REPRINT,
            "depeches-du-jour.example",
            own("depeches-du-jour.example"),
            text="Texte corrigé.",
            fetched_at="2025-05-02T08:00:00+00:00",
            body="b",
        )
    )
    docs = {d["url"]: d for d in store.reuse_docs()}

    assert list(docs) == [SOURCE, REPRINT, EDITED]
    assert docs[REPRINT]["text"] == "Texte corrigé."  # the latest version, not the first
    assert docs[SOURCE]["outlet"] == "cvn"
    assert docs[SOURCE]["published"] == "2023-09-13T22:40:00+07:00"
    assert docs[SOURCE]["language"] == "fr"
    assert docs[SOURCE]["title"] == "Titre de cvn"
    latest = store.versions(REPRINT)[-1]["id"]
    assert docs[REPRINT]["version_id"] == latest


# -- the pairs -------------------------------------------------------------------------------


def test_saved_pairs_come_back_with_both_articles_described(store: Store, db: Database) -> None:
    store.save_reuse([pair()], computed_at=datetime(2025, 5, 3, 8, 0, tzinfo=UTC))

    (saved,) = store.reuse_pairs()
    assert saved["a"] == SOURCE and saved["b"] == REPRINT
    assert (saved["a_outlet"], saved["b_outlet"]) == ("cvn", "depeches-du-jour.example")
    assert saved["a_published"] == "2023-09-13T22:40:00+07:00"
    assert saved["b_title"] == "Titre de depeches-du-jour.example"
    assert (saved["share_a"], saved["share_b"]) == (0.97, 1.0)
    assert saved["passages"] == pair()["passages"]
    assert saved["earlier"] == SOURCE
    assert saved["computed_at"] == "2025-05-03T08:00:00+00:00"
    # The passages' offsets point into the texts that were compared: the latest versions.
    assert saved["a_version_id"] == store.versions(SOURCE)[-1]["id"]
    assert saved["b_version_id"] == store.versions(REPRINT)[-1]["id"]


def test_pairs_can_be_asked_for_one_article(store: Store) -> None:
    store.save_reuse([pair(), pair(EDITED, REPRINT, earlier=None)])

    assert [(p["a"], p["b"]) for p in store.reuse_pairs(SOURCE)] == [(SOURCE, REPRINT)]
    assert len(store.reuse_pairs(REPRINT)) == 2
    assert store.reuse_pairs(OTHER) == []
    assert store.reuse_pairs(url=EDITED)[0]["earlier"] is None


def test_each_run_replaces_the_pairs_wholesale(store: Store, db: Database) -> None:
    store.save_reuse([pair(), pair(EDITED, REPRINT, earlier=None)])
    store.save_reuse([pair(share_a=0.5)])

    assert [(p["a"], p["b"], p["share_a"]) for p in store.reuse_pairs()] == [(SOURCE, REPRINT, 0.5)]
    store.save_reuse([])
    assert query(db, "SELECT count(*) FROM reuse") == [(0,)]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (pair(b=OTHER), "not stored"),
        (pair(b=SOURCE), "two articles"),
        (pair(share_a=1.5), "share_a"),
        (pair(earlier=OTHER), "earlier"),
        (pair(passages=[{"a_start": 0, "a_end": 3}]), "passage"),
    ],
)
def test_a_bad_pair_is_refused_and_the_earlier_pairs_stay(
    store: Store, bad: dict[str, Any], message: str
) -> None:
    store.save_reuse([pair()])

    with pytest.raises(ValueError, match=message):
        store.save_reuse([pair(EDITED, REPRINT), bad])
    assert [(p["a"], p["b"]) for p in store.reuse_pairs()] == [(SOURCE, REPRINT)]


def test_one_pair_given_twice_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="twice"):
        store.save_reuse([pair(), pair(REPRINT, SOURCE, earlier=SOURCE)])


@pytest.mark.backends("sqlite")  # reads or edits the file with sqlite3
def test_deleting_an_article_deletes_its_pairs(store: Store, db: Database) -> None:
    store.save_reuse([pair()])
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM edges")
        conn.execute("DELETE FROM evidence")
        conn.execute("UPDATE articles SET latest_version_id = NULL WHERE url = ?", (REPRINT,))
        conn.execute("DELETE FROM articles WHERE url = ?", (REPRINT,))
    assert store.reuse_pairs() == []


# -- inferred chains -------------------------------------------------------------------------


def test_an_inferred_chain_replaces_own_and_rests_on_the_shared_text(
    store: Store, db: Database
) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]

    assert store.apply_inferred(REPRINT, chain, "text_reuse", reuse_evidence()) is True

    record = provenance_of(store, REPRINT)
    assert record["chain"] == chain
    assert record["basis"] == "text_reuse"
    assert [e["kind"] for e in record["evidence"]] == ["text_reuse"]
    assert record["evidence"][0]["source_url"] == SOURCE
    # The item JSON (articles(), exports) says the same as provenance().
    (item,) = [a for a in store.articles() if a["url"] == REPRINT]
    assert item["provenance"]["chain"] == chain
    # Copy edges, one per hop, each resting on the shared passage.
    text = reuse_evidence()["text"]
    assert copy_edges(db, REPRINT) == [
        (0, "xinhua", "text_reuse", text),
        (1, "vna", "text_reuse", text),
        (2, "cvn", "text_reuse", text),
        (3, "depeches-du-jour.example", "text_reuse", text),
    ]
    assert [r["url"] for r in store.provenance(agency="xinhua")] == [SOURCE, REPRINT]
    assert query(
        db,
        "SELECT kind, text, location, agency, confidence FROM evidence AS e"
        " JOIN articles AS a ON a.latest_version_id = e.version_id WHERE a.url = ?",
        REPRINT,
    ) == [("text_reuse", text, "char:0-63", "xinhua", 0.8)]


def test_applying_the_same_inference_again_changes_nothing(store: Store, db: Database) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    store.apply_inferred(REPRINT, chain, "text_reuse", reuse_evidence())
    before = [
        query(db, f"SELECT * FROM {table} ORDER BY id")
        for table in ("articles", "evidence", "edges")
    ]

    assert store.apply_inferred(REPRINT, chain, "text_reuse", reuse_evidence()) is True

    after = [
        query(db, f"SELECT * FROM {table} ORDER BY id")
        for table in ("articles", "evidence", "edges")
    ]
    assert after == before
    assert len(provenance_of(store, REPRINT)["evidence"]) == 1


def test_a_new_inference_replaces_the_previous_evidence_instead_of_piling_up(
    store: Store, db: Database
) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    store.apply_inferred(REPRINT, chain, "text_reuse", reuse_evidence(share=1.0))
    moved = {**reuse_evidence(share=0.8), "text": "Apres la réunion", "where": "char:64-80"}
    store.apply_inferred(REPRINT, chain, "text_reuse", moved)

    evidence = provenance_of(store, REPRINT)["evidence"]
    assert [(e["text"], e["share"]) for e in evidence] == [("Apres la réunion", 0.8)]
    assert query(db, "SELECT text FROM evidence WHERE kind = 'text_reuse'") == [
        ("Apres la réunion",)
    ]


def test_a_credit_line_is_never_overridden(store: Store, db: Database) -> None:
    before = [query(db, f"SELECT * FROM {t} ORDER BY id") for t in ("articles", "edges")]

    applied = store.apply_inferred(
        SOURCE, [["reuters"], ["cvn"]], "text_reuse", reuse_evidence(REPRINT)
    )

    assert applied is False
    assert [query(db, f"SELECT * FROM {t} ORDER BY id") for t in ("articles", "edges")] == before
    assert provenance_of(store, SOURCE)["basis"] == "credit_line"


def test_an_empty_chain_adds_the_evidence_and_keeps_the_chain(store: Store, db: Database) -> None:
    edges_before = copy_edges(db, EDITED)

    assert store.apply_inferred(EDITED, [], "text_reuse", reuse_evidence()) is True

    record = provenance_of(store, EDITED)
    assert record["chain"] == [["revue-hebdo.example"]]
    assert record["basis"] == "own"
    assert [e["kind"] for e in record["evidence"]] == ["text_reuse"]
    assert copy_edges(db, EDITED) == edges_before


def test_an_unknown_url_is_not_applied(store: Store) -> None:
    assert store.apply_inferred(OTHER, [["xinhua"], ["x"]], "text_reuse", reuse_evidence()) is False


def test_malformed_evidence_is_refused_before_anything_is_written(store: Store) -> None:
    with pytest.raises(ValueError, match="text"):
        store.apply_inferred(REPRINT, [["xinhua"]], "text_reuse", {"kind": "text_reuse"})
    assert provenance_of(store, REPRINT)["basis"] == "own"


def test_inferences_in_batches_give_each_its_own_outcome(store: Store, db: Database) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    inferences = [
        (REPRINT, chain, "text_reuse", reuse_evidence()),
        (OTHER, [["xinhua"], ["x"]], "text_reuse", reuse_evidence()),  # not stored
        (SOURCE, [["reuters"]], "text_reuse", reuse_evidence(REPRINT)),  # credit line
        (EDITED, [], "text_reuse", reuse_evidence()),
    ]

    assert store.apply_inferred_many(inferences, batch=3) == [True, False, False, True]

    assert provenance_of(store, REPRINT)["chain"] == chain
    assert provenance_of(store, SOURCE)["basis"] == "credit_line"
    assert [e["kind"] for e in provenance_of(store, EDITED)["evidence"]] == ["text_reuse"]
    assert len(copy_edges(db, REPRINT)) == 4


def test_a_malformed_inference_stops_its_batch_before_any_write(store: Store) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    good = (REPRINT, chain, "text_reuse", reuse_evidence())
    bad = (EDITED, [["xinhua"]], "text_reuse", {"kind": "text_reuse"})

    with pytest.raises(ValueError, match="text"):
        store.apply_inferred_many([good, bad], batch=2)
    assert provenance_of(store, REPRINT)["basis"] == "own"

    with pytest.raises(ValueError, match="text"):
        store.apply_inferred_many([good, bad], batch=1)
    assert provenance_of(store, REPRINT)["basis"] == "text_reuse"  # its own batch went in
    assert provenance_of(store, EDITED)["basis"] == "own"


def test_a_failed_write_takes_back_the_whole_batch(
    store: Store, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    writes = store._sync_edges  # type: ignore[attr-defined]
    calls: list[int] = []

    def fail_second(version_id: int, edges: Any) -> None:
        calls.append(version_id)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        writes(version_id, edges)

    monkeypatch.setattr(store, "_sync_edges", fail_second)
    before = [query(db, f"SELECT * FROM {t} ORDER BY id") for t in ("articles", "evidence")]

    with pytest.raises(sqlite3.OperationalError):
        store.apply_inferred_many(
            [
                (REPRINT, chain, "text_reuse", reuse_evidence()),
                (EDITED, [], "text_reuse", reuse_evidence()),
            ]
        )

    assert [query(db, f"SELECT * FROM {t} ORDER BY id") for t in ("articles", "evidence")] == before
    assert provenance_of(store, REPRINT)["basis"] == "own"


# -- re-crawls after an inference --------------------------------------------------------------


def test_a_recrawl_of_the_same_text_keeps_the_inferred_chain(store: Store, db: Database) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    store.apply_inferred(REPRINT, chain, "text_reuse", reuse_evidence())
    edges_before = copy_edges(db, REPRINT)

    store.save_article(
        make_item(
            REPRINT,
            "depeches-du-jour.example",
            own("depeches-du-jour.example"),
            fetched_at="2025-05-04T08:00:00+00:00",
        )
    )

    record = provenance_of(store, REPRINT)
    assert record["chain"] == chain and record["basis"] == "text_reuse"
    assert [e["kind"] for e in record["evidence"]] == ["text_reuse"]
    assert record["last_seen"] == "2025-05-04T08:00:00+00:00"
    assert copy_edges(db, REPRINT) == edges_before


def test_a_changed_text_or_a_stated_source_drops_the_inference(store: Store) -> None:
    chain = [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    store.apply_inferred(REPRINT, chain, "text_reuse", reuse_evidence())
    store.save_article(
        make_item(
            REPRINT,
            "depeches-du-jour.example",
            own("depeches-du-jour.example"),
            text="Un texte réécrit.",
            fetched_at="2025-05-04T08:00:00+00:00",
            body="c",
        )
    )
    assert provenance_of(store, REPRINT)["basis"] == "own"  # the new text was never compared

    store.apply_inferred(
        EDITED, [*XINHUA_CHAIN, ["revue-hebdo.example"]], "text_reuse", reuse_evidence()
    )
    credited = Provenance(
        chain=[["afp"], ["revue-hebdo.example"]],
        basis="credit_line",
        evidence=[Evidence("credit_line", "(AFP)", "p.credit", "afp", 0.9)],
    )
    store.save_article(
        make_item(
            EDITED,
            "revue-hebdo.example",
            credited,
            text="Autre texte.",
            fetched_at="2025-05-04T08:00:00+00:00",
            body="d",
        )
    )
    record = provenance_of(store, EDITED)
    assert record["chain"] == [["afp"], ["revue-hebdo.example"]]
    assert record["basis"] == "credit_line"


# -- files from before reuse existed -------------------------------------------------------------


@pytest.mark.backends("sqlite")  # reads or edits the file with sqlite3
def test_a_version_3_file_is_migrated_with_its_articles_kept(db: Database) -> None:
    s = open_store(db)
    s.save_article(make_item(SOURCE, "cvn", credit_line_provenance()))
    s.close()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE reuse")
        conn.execute("PRAGMA user_version = 3")

    s = open_store(db)
    try:
        assert query(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)] == [(5,)]
        assert [d["url"] for d in s.reuse_docs()] == [SOURCE]
        assert s.reuse_pairs() == []
        s.save_article(make_item(REPRINT, "depeches-du-jour.example", own("x")))
        s.save_reuse([pair()])
        assert len(s.reuse_pairs()) == 1
    finally:
        s.close()


def test_pairs_are_stored_as_plain_json(store: Store, db: Database) -> None:
    store.save_reuse([pair()])
    ((passages,),) = query(db, "SELECT passages FROM reuse")
    assert json.loads(passages) == pair()["passages"]
