"""Versions with diffs, and the revisit schedule the store keeps, with fake times.

As in test_sqlite.py, state is read through a separate ``sqlite3`` connection where the
``Store`` interface does not expose it, so every check also proves it was committed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import extract_article, parse_html
from crawler.items import ArticleItem, Fetch
from crawler.profile import load_profile
from crawler.schedule import RevisitPolicy
from crawler.storage import SaveStatus, Store, open_store, paragraphs, version_diff
from crawler.storage.sqlite import SCHEMA_VERSION, SQLiteStore
from tests.crawling import FIXTURES
from tests.servers import Database, as_database

URL = "https://cvn.example/monde/article-42.html"
TEXT = "HANOI, 1 mai (Xinhua) – Premier paragraphe.\nDeuxième paragraphe.\nTroisième paragraphe."
T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

#: Small numbers, so growth, cap and stop all show within a few saves.
POLICY = RevisitPolicy(first_after=HOUR, factor=2.0, max_interval=4 * HOUR, stop_after=DAY)

pytestmark = pytest.mark.backends()  # every test taking `db`: SQLite and PostgreSQL


def at(offset: timedelta) -> str:
    """A stored time ``offset`` after T0, in the store's own form."""
    return (T0 + offset).isoformat()


def make_item(
    *,
    url: str = URL,
    outlet: str = "cvn",
    text: str = TEXT,
    when: timedelta = timedelta(0),
    body: str | None = None,
    canonical_url: str | None = None,
    title: str = "Un reportage",
) -> ArticleItem:
    """An article fetched ``when`` after T0; the body digest differs unless ``body`` is given."""
    digest = hashlib.sha256((body if body is not None else f"{text}@{when}").encode()).hexdigest()
    return ArticleItem(
        url=url,
        outlet=outlet,
        fetch=Fetch(fetched_at=at(when), status=200, sha256=digest, replayed=False),
        canonical_url=canonical_url,
        title=title,
        language="fr",
        text=text,
    )


def query(db: Database | Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return as_database(db).query(sql, *params)


def schedule(db: Database, url: str = URL) -> tuple[int, int, str, str | None]:
    """(visits, unchanged_visits, last_seen, next_visit) of one article."""
    [row] = query(
        db,
        "SELECT visits, unchanged_visits, last_seen, next_visit FROM articles WHERE url = ?",
        url,
    )
    return row


@pytest.fixture
def store(db: Database) -> Iterator[Store]:
    opened = open_store(db, policy=POLICY)
    yield opened
    opened.close()


# -- diffs ---------------------------------------------------------------------------------


def test_a_first_version_has_no_diff(store: Store) -> None:
    store.save_article(make_item())

    [version] = store.versions(URL)
    assert version["diff"] is None
    assert version["first_seen"] == at(timedelta(0))


def test_a_new_version_keeps_a_paragraph_diff_headed_by_both_times(store: Store) -> None:
    store.save_article(make_item())
    edited = TEXT.replace("Deuxième paragraphe.", "Deuxième paragraphe, corrigé.") + "\nAjout."
    result = store.save_article(make_item(text=edited, when=5 * HOUR))

    assert result.status is SaveStatus.NEW_VERSION
    first, second = store.versions(URL)
    assert first["diff"] is None
    assert second["first_seen"] == at(5 * HOUR)
    assert second["diff"].split("\n") == [
        f"--- {at(timedelta(0))}",
        f"+++ {at(5 * HOUR)}",
        "@@ -1,3 +1,4 @@",
        " HANOI, 1 mai (Xinhua) – Premier paragraphe.",
        "-Deuxième paragraphe.",
        "+Deuxième paragraphe, corrigé.",
        " Troisième paragraphe.",
        "+Ajout.",
    ]


def test_a_rewrap_that_comes_with_an_edit_does_not_clutter_its_diff(store: Store) -> None:
    store.save_article(make_item())
    rewrapped = "  HANOI, 1 mai  (Xinhua) –\tPremier paragraphe.\n\nDeuxième paragraphe.\n"
    store.save_article(make_item(text=rewrapped + "Troisième paragraphe modifié.", when=HOUR))

    diff = store.versions(URL)[1]["diff"]
    changed = [line for line in diff.split("\n")[2:] if line[:1] in "+-"]
    assert changed == ["-Troisième paragraphe.", "+Troisième paragraphe modifié."]


def test_each_later_version_is_diffed_against_the_text_it_replaced(store: Store) -> None:
    texts = ["Un.", "Un.\nDeux.", "Un, corrigé.\nDeux."]
    for hours, text in enumerate(texts):
        store.save_article(make_item(text=text, when=hours * HOUR))

    versions = store.versions(URL)
    assert [v["text"] for v in versions] == texts
    assert versions[1]["diff"] == version_diff("Un.", "Un.\nDeux.", at(0 * HOUR), at(HOUR))
    assert versions[2]["diff"] == version_diff(texts[1], texts[2], at(HOUR), at(2 * HOUR))


def test_after_a_revert_the_next_edit_is_diffed_against_the_reverted_text(store: Store) -> None:
    """A → B → A → C: C replaced A (the page's text just before), not B listed before it."""
    store.save_article(make_item(text="A.", when=0 * HOUR))
    store.save_article(make_item(text="B.", when=1 * HOUR))
    reverted = store.save_article(make_item(text="A.", when=2 * HOUR))
    store.save_article(make_item(text="C.", when=3 * HOUR))

    assert reverted.status is SaveStatus.NEW_VERSION
    a, b, c = store.versions(URL)
    assert [a["text"], b["text"], c["text"]] == ["A.", "B.", "C."]
    assert b["diff"] == version_diff("A.", "B.", at(0 * HOUR), at(HOUR))
    assert c["diff"] == version_diff("A.", "C.", at(0 * HOUR), at(3 * HOUR))


def test_a_version_from_an_older_fetch_is_diffed_where_it_falls_in_time(store: Store) -> None:
    """Replaying an old archive after live crawls: the older text slots in between."""
    store.save_article(make_item(text="Un.", when=0 * HOUR))
    store.save_article(make_item(text="Un.\nDeux.\nTrois.", when=10 * HOUR))
    store.save_article(make_item(text="Un.\nDeux.", when=5 * HOUR))  # older than the latest

    first, middle, last = store.versions(URL)
    assert middle["diff"] == version_diff("Un.", "Un.\nDeux.", at(0 * HOUR), at(5 * HOUR))
    assert last["diff"] == version_diff(
        "Un.\nDeux.", "Un.\nDeux.\nTrois.", at(5 * HOUR), at(10 * HOUR)
    )
    assert first["diff"] is None
    [article] = store.articles()
    assert article["text"] == "Un.\nDeux.\nTrois."  # the older fetch did not become the latest


def test_a_version_older_than_the_first_becomes_the_first_without_a_diff(store: Store) -> None:
    store.save_article(make_item(text="Corrigé.", when=10 * HOUR))
    store.save_article(make_item(text="Original.", when=2 * HOUR))

    original, corrected = store.versions(URL)
    assert original["diff"] is None
    assert corrected["diff"] == version_diff("Original.", "Corrigé.", at(2 * HOUR), at(10 * HOUR))


# -- what is not a version -----------------------------------------------------------------


def test_a_whitespace_only_change_is_unchanged_and_only_moves_last_seen(
    store: Store, db: Database
) -> None:
    store.save_article(make_item())
    rewrapped = (
        "HANOI, 1 mai (Xinhua) –  Premier paragraphe.\n\n"
        "\tDeuxième paragraphe.\nTroisième paragraphe.  "
    )
    result = store.save_article(make_item(text=rewrapped, when=2 * HOUR))

    assert result.status is SaveStatus.UNCHANGED
    [version] = store.versions(URL)
    assert version["diff"] is None
    assert version["first_seen"] == at(timedelta(0))
    assert schedule(db)[2] == at(2 * HOUR)


def test_a_change_in_page_chrome_only_is_a_new_fetch_but_not_a_version(
    store: Store, db: Database
) -> None:
    """Different bytes (a new sidebar, menu, footer) but the same extracted text."""
    store.save_article(make_item(body="<html>menu v1 ... article ... footer 2024</html>"))
    result = store.save_article(
        make_item(body="<html>menu v2 ... article ... footer 2025</html>", when=3 * HOUR)
    )

    assert result.status is SaveStatus.UNCHANGED
    assert store.fetch_count() == 2  # both sets of bytes are on record
    assert len(store.versions(URL)) == 1
    assert query(db, "SELECT count(*) FROM versions") == [(1,)]


def test_an_unchanged_article_only_updates_its_last_seen_and_visit_counts(
    store: Store, db: Database
) -> None:
    store.save_article(make_item(body="same bytes"))
    before = {t: query(db, f"SELECT count(*) FROM {t}") for t in ("versions", "evidence")}

    result = store.save_article(make_item(body="same bytes", when=DAY / 2))

    assert result.status is SaveStatus.UNCHANGED
    assert {t: query(db, f"SELECT count(*) FROM {t}") for t in ("versions", "evidence")} == before
    [article] = store.articles()
    assert (article["first_seen"], article["last_seen"]) == (at(timedelta(0)), at(DAY / 2))
    assert schedule(db)[:3] == (2, 1, at(DAY / 2))


CVN_PAGE = FIXTURES / "cvn" / "001-poutine-kim-vostotchny"


def cvn_item(html: str, when: timedelta) -> ArticleItem:
    """The fixture page through the real extraction, as the extract pipeline would store it."""
    url = "https://lecourrier.vn/vladimir-poutine-et-kim-jong-un-se-rencontrent-au-cosmodrome-vostotchny/1205536.html"
    found = extract_article(parse_html(html), url, load_profile("cvn"))
    return ArticleItem(
        url=url,
        outlet="cvn",
        fetch=Fetch(at(when), 200, hashlib.sha256(html.encode()).hexdigest(), True),
        title=found.title,
        text=found.text,
    )


def test_page_chrome_never_reaches_the_text_so_a_recrawl_with_new_chrome_is_unchanged(
    store: Store,
) -> None:
    page = (CVN_PAGE / "body.html").read_text(encoding="utf-8")
    rechromed = (
        page.replace("Derniers articles", "Les plus lus")
        .replace("Libye : le bilan des inondations", "Séisme au Maroc : le bilan")
        .replace("La RPDC lance son premier sous-marin", "Nouvel essai de missile de la RPDC")
        .replace("Tél : (+84) 24 38 25 20 96", "Tél : (+84) 24 38 25 99 99")
        .replace('<a href="/videos/80.cvn">Vidéos</a>', '<a href="/p/81.cvn">Podcasts</a>')
    )
    assert rechromed.count("Les plus lus") == 1 and "Podcasts" in rechromed

    first = cvn_item(page, timedelta(0))
    again = cvn_item(rechromed, 6 * HOUR)
    assert first.text and again.text == first.text
    assert again.fetch.sha256 != first.fetch.sha256
    store.save_article(first)
    assert store.save_article(again).status is SaveStatus.UNCHANGED

    edited = rechromed.replace("ont déjeuné ensemble.", "ont dîné ensemble.")
    assert store.save_article(cvn_item(edited, 12 * HOUR)).status is SaveStatus.NEW_VERSION
    diff = store.versions(first.url)[1]["diff"]
    said = "Après la réunion, les dirigeants se sont entretenus en tête-à-tête et ont"
    assert [line for line in diff.split("\n")[2:] if line[:1] in "+-"] == [
        f"-{said} déjeuné ensemble.",
        f"+{said} dîné ensemble.",
    ]


# -- the revisit schedule ------------------------------------------------------------------


def test_a_new_article_is_due_after_first_after(store: Store, db: Database) -> None:
    store.save_article(make_item())

    assert schedule(db) == (1, 0, at(timedelta(0)), at(HOUR))


def test_the_wait_grows_with_each_unchanged_visit_up_to_the_cap(store: Store, db: Database) -> None:
    store.save_article(make_item())
    seen = []
    when = timedelta(0)
    for _ in range(4):
        when = datetime.fromisoformat(str(schedule(db)[3])) - T0  # visit exactly when due
        store.save_article(make_item(when=when))
        seen.append(schedule(db))

    assert seen == [
        (2, 1, at(HOUR), at(3 * HOUR)),  # waited 1 h, next wait 2 h
        (3, 2, at(3 * HOUR), at(7 * HOUR)),  # 4 h
        (4, 3, at(7 * HOUR), at(11 * HOUR)),  # 8 h capped at 4 h
        (5, 4, at(11 * HOUR), at(15 * HOUR)),  # still 4 h
    ]


def test_a_change_makes_the_article_fresh_again(store: Store, db: Database) -> None:
    store.save_article(make_item())
    store.save_article(make_item(when=HOUR))
    store.save_article(make_item(when=3 * HOUR))
    assert schedule(db)[1:] == (2, at(3 * HOUR), at(7 * HOUR))

    result = store.save_article(make_item(text=TEXT + "\nMise à jour.", when=4 * HOUR))

    assert result.status is SaveStatus.NEW_VERSION
    assert schedule(db) == (4, 0, at(4 * HOUR), at(5 * HOUR))


def test_a_revert_is_a_change_for_the_schedule_too(store: Store, db: Database) -> None:
    store.save_article(make_item(text="A."))
    store.save_article(make_item(text="B.", when=HOUR))
    store.save_article(make_item(text="B.", when=2 * HOUR))
    store.save_article(make_item(text="A.", when=4 * HOUR))

    assert schedule(db)[1:] == (0, at(4 * HOUR), at(5 * HOUR))


def test_no_visit_is_scheduled_past_stop_after_from_first_seen(store: Store, db: Database) -> None:
    store.save_article(make_item())
    store.save_article(make_item(when=22 * HOUR))  # next wait 2 h: lands on the 24 h limit
    assert schedule(db)[3] == at(DAY)

    store.save_article(make_item(when=DAY))  # next wait 4 h: past the limit

    assert schedule(db)[3] is None
    assert store.due_for_revisit(T0 + 10 * DAY) == []


def test_a_change_after_the_limit_does_not_restart_revisiting(store: Store, db: Database) -> None:
    store.save_article(make_item())
    store.save_article(make_item(text="Corrigé bien plus tard.", when=2 * DAY))

    assert schedule(db)[3] is None


def test_an_older_fetch_counts_as_a_visit_but_does_not_move_the_streak(
    store: Store, db: Database
) -> None:
    store.save_article(make_item(when=2 * HOUR))
    store.save_article(make_item(when=3 * HOUR))
    assert schedule(db) == (2, 1, at(3 * HOUR), at(5 * HOUR))

    # The same article from an archive made 20 h earlier: first seen moves back, so the
    # 24 h limit now falls at 4 h, before the next visit would.
    store.save_article(make_item(when=-20 * HOUR))

    assert schedule(db) == (3, 1, at(3 * HOUR), None)
    [article] = store.articles()
    assert article["first_seen"] == at(-20 * HOUR)


def test_the_default_policy_applies_when_the_store_is_given_none(db: Database) -> None:
    store = open_store(db)
    try:
        store.save_article(make_item())
        store.save_article(make_item(when=HOUR))
        assert store.policy == RevisitPolicy()  # type: ignore[attr-defined]
    finally:
        store.close()

    assert schedule(db)[3] == at(3 * HOUR)  # 1 h after the first visit, then 2 h


# -- due for revisit -------------------------------------------------------------------------


def fill(store: Store) -> None:
    """Four articles due at different times, one of them of another outlet."""
    store.save_article(make_item(url="https://cvn.example/a", when=2 * HOUR))  # due 3 h
    store.save_article(make_item(url="https://cvn.example/b", when=0 * HOUR))  # due 1 h
    store.save_article(make_item(url="https://gazette.example/c", outlet="lagazette", when=HOUR))
    store.save_article(make_item(url="https://cvn.example/d", when=5 * HOUR))  # due 6 h


def test_due_articles_come_most_overdue_first(store: Store) -> None:
    fill(store)

    assert store.due_for_revisit(T0 + 30 * timedelta(minutes=1)) == []
    assert store.due_for_revisit(T0 + HOUR) == ["https://cvn.example/b"]  # due exactly now
    assert store.due_for_revisit(T0 + 4 * HOUR) == [
        "https://cvn.example/b",
        "https://gazette.example/c",
        "https://cvn.example/a",
    ]


def test_due_articles_can_be_limited_and_filtered_by_outlet(store: Store) -> None:
    fill(store)
    later = T0 + 7 * HOUR

    assert store.due_for_revisit(later, limit=2) == [
        "https://cvn.example/b",
        "https://gazette.example/c",
    ]
    assert store.due_for_revisit(later, outlet="cvn") == [
        "https://cvn.example/b",
        "https://cvn.example/a",
        "https://cvn.example/d",
    ]
    assert store.due_for_revisit(later, outlet="cvn", limit=1) == ["https://cvn.example/b"]
    assert store.due_for_revisit(later, limit=0) == []
    assert store.due_for_revisit(later, outlet="leplacentin") == []
    with pytest.raises(ValueError, match="limit"):
        store.due_for_revisit(later, limit=-1)


def test_a_revisited_article_leaves_the_due_list_until_it_is_due_again(store: Store) -> None:
    fill(store)
    store.save_article(make_item(url="https://cvn.example/b", when=4 * HOUR))  # next: 6 h

    assert store.due_for_revisit(T0 + 4 * HOUR) == [
        "https://gazette.example/c",
        "https://cvn.example/a",
    ]
    assert "https://cvn.example/b" in store.due_for_revisit(T0 + 6 * HOUR)


def test_an_article_never_revisited_stops_being_due_once_it_is_too_old(store: Store) -> None:
    """Its revisits may keep failing (a deleted page never saves again): age still ends them."""
    store.save_article(make_item())

    assert store.due_for_revisit(T0 + DAY) == [URL]
    assert store.due_for_revisit(T0 + DAY + timedelta(seconds=1)) == []


def test_other_time_zones_and_naive_times_are_compared_as_utc(store: Store) -> None:
    store.save_article(make_item())
    hanoi = timezone(timedelta(hours=7))

    assert store.due_for_revisit(datetime(2025, 5, 1, 16, 0, tzinfo=hanoi)) == [URL]  # 09:00Z
    assert store.due_for_revisit(datetime(2025, 5, 1, 15, 59, tzinfo=hanoi)) == []
    assert store.due_for_revisit(datetime(2025, 5, 1, 9, 0)) == [URL]  # naive: UTC


# -- known ---------------------------------------------------------------------------------------


def test_known_urls_are_the_stored_ones_requested_or_canonical(store: Store) -> None:
    store.save_article(make_item(canonical_url="https://cvn.example/monde/42"))

    assert store.known(URL)
    assert store.known("https://cvn.example/monde/42")
    assert not store.known("https://cvn.example/monde/43")


def test_the_store_still_meets_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)
    assert callable(store.due_for_revisit) and callable(store.known)


# -- upgrading a version-2 file -------------------------------------------------------------


def make_version_2_file(db: Database) -> None:
    """A file as wiretrace wrote it before schema 3: no diffs, no schedule."""
    with SQLiteStore(db, policy=POLICY) as store:
        store.save_article(make_item(text="Un."))
        store.save_article(make_item(text="Un.", when=HOUR))
        store.save_article(make_item(text="Un.\nDeux.", when=2 * HOUR))
        store.save_article(make_item(url="https://cvn.example/old", when=-3 * DAY))
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX articles_next_visit")
        conn.execute("DROP INDEX articles_canonical_url")
        for table, column in [
            ("versions", "diff"),
            ("articles", "visits"),
            ("articles", "unchanged_visits"),
            ("articles", "next_visit"),
        ]:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("PRAGMA user_version = 2")


@pytest.mark.backends("sqlite")  # reads or edits the file with sqlite3
def test_a_version_2_file_gets_diffs_visit_counts_and_a_schedule(db: Database) -> None:
    make_version_2_file(db)

    with SQLiteStore(db, policy=POLICY) as store:
        assert query(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        first, second = store.versions(URL)
        assert first["diff"] is None
        assert second["diff"] == version_diff("Un.", "Un.\nDeux.", at(0 * HOUR), at(2 * HOUR))
        # Visits are counted from the fetches; the unchanged streak starts over.
        assert schedule(db) == (3, 0, at(2 * HOUR), at(3 * HOUR))
        old = schedule(db, "https://cvn.example/old")
        assert (old[0], old[3]) == (1, at(-3 * DAY + HOUR))
        # Overdue, but first seen more than stop_after ago: not due any more.
        assert store.due_for_revisit(T0 + 3 * HOUR) == [URL]

        store.save_article(make_item(text="Un.\nDeux.", when=3 * HOUR))
        assert schedule(db) == (4, 1, at(3 * HOUR), at(5 * HOUR))

    before = query(db, "SELECT * FROM articles ORDER BY id")
    open_store(db).close()  # reopening a migrated file changes nothing
    assert query(db, "SELECT * FROM articles ORDER BY id") == before


# -- helpers the command shares -----------------------------------------------------------


def test_paragraphs_are_the_non_blank_lines_with_whitespace_collapsed() -> None:
    assert paragraphs("  Un  deux.\n\n\tTrois.\n ") == ["Un deux.", "Trois."]
    assert paragraphs("") == []
