"""``scrapy versions`` run as users run it: a real ``scrapy`` process at the project root,
reading a database filled through the store the crawl uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.items import ArticleItem, Fetch
from crawler.storage.sqlite import SQLiteStore, text_digest
from tests.crawling import Done, command

pytestmark = pytest.mark.slow  # real scrapy processes


URL = "https://lecourrier.vn/poutine-kim-vostotchny/1205536.html"
CANONICAL = "https://lecourrier.vn/vostotchny/1205536.html"
OTHER = "https://lagazette.fr/poutine-accepte-invitation"

V1 = "Vostotchny (Xinhua) – Les deux dirigeants se sont rencontrés.\nIls ont déjeuné ensemble."
V1_REWRAPPED = (
    "Vostotchny (Xinhua) –  Les deux dirigeants se sont rencontrés.\n\n Ils ont déjeuné ensemble."
)
V2 = V1.replace("déjeuné", "dîné") + "\nLa rencontre a duré une heure et demie."
V3 = V2 + "\nM. Kim est reparti en train."


def item(
    url: str, text: str, when: str, n: int, title: str | None = "Poutine et Kim"
) -> ArticleItem:
    return ArticleItem(
        url=url,
        outlet="cvn" if "lecourrier" in url else "lagazette",
        fetch=Fetch(when, 200, str(n) * 64, False),
        canonical_url=CANONICAL if url == URL else None,
        title=title,
        language="fr",
        text=text,
    )


SAVES = [
    item(URL, V1, "2025-05-01T08:00:00+00:00", 1),
    item(URL, V1_REWRAPPED, "2025-05-01T09:00:00+00:00", 2),  # whitespace only: no version
    item(URL, V2, "2025-05-01T11:00:00+00:00", 3),
    item(URL, V3, "2025-05-02T08:00:00Z", 4, title="Poutine et Kim à Vostotchny"),
    item(URL, V3, "2025-05-03T08:00:00+00:00", 5),  # unchanged: only last seen moves
    item(OTHER, "Texte de La Gazette.", "2025-05-01T10:00:00+00:00", 6, title=None),
]


def run(db: Path | str, *arguments: str) -> Done:
    return command("versions", *arguments, db=db, timeout=120)


def ok(done: Done) -> list[str]:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("versions-command") / "wiretrace.sqlite"
    store = SQLiteStore(path)
    try:
        for save in SAVES:
            store.save_article(save)
    finally:
        store.close()
    return path


def short(text: str) -> str:
    return text_digest(text)[:12]


def test_the_history_lists_each_version_with_its_diff_against_the_one_before(db: Path) -> None:
    lines = ok(run(db, URL))

    assert lines == [
        f"{URL}  3 versions, last seen 2025-05-03T08:00:00+00:00",
        "",
        f"version 1  2025-05-01T08:00:00+00:00  sha256 {short(V1)}  2 paragraphs  Poutine et Kim",
        "",
        f"version 2  2025-05-01T11:00:00+00:00  sha256 {short(V2)}  3 paragraphs  Poutine et Kim",
        "    --- 2025-05-01T08:00:00+00:00",
        "    +++ 2025-05-01T11:00:00+00:00",
        "    @@ -1,2 +1,3 @@",
        "     Vostotchny (Xinhua) – Les deux dirigeants se sont rencontrés.",
        "    -Ils ont déjeuné ensemble.",
        "    +Ils ont dîné ensemble.",
        "    +La rencontre a duré une heure et demie.",
        "",
        f"version 3  2025-05-02T08:00:00+00:00  sha256 {short(V3)}  4 paragraphs  "
        "Poutine et Kim à Vostotchny",
        "    --- 2025-05-01T11:00:00+00:00",
        "    +++ 2025-05-02T08:00:00+00:00",
        "    @@ -1,3 +1,4 @@",
        "     Vostotchny (Xinhua) – Les deux dirigeants se sont rencontrés.",
        "     Ils ont dîné ensemble.",
        "     La rencontre a duré une heure et demie.",
        "    +M. Kim est reparti en train.",
    ]


def test_json_gives_every_version_in_full(db: Path) -> None:
    versions = json.loads(run(db, URL, "--json").stdout)

    assert [v["version"] for v in versions] == [1, 2, 3]
    assert [v["text"] for v in versions] == [V1, V2, V3]
    assert [v["text_sha256"] for v in versions] == [text_digest(t) for t in (V1, V2, V3)]
    assert [v["paragraphs"] for v in versions] == [2, 3, 4]
    assert versions[0]["diff"] is None
    assert versions[2]["diff"].startswith(
        "--- 2025-05-01T11:00:00+00:00\n+++ 2025-05-02T08:00:00+00:00\n@@"
    )
    assert set(versions[0]) == {
        "version",
        "id",
        "first_seen",
        "text_sha256",
        "title",
        "paragraphs",
        "diff",
        "text",
    }


def test_the_canonical_url_finds_the_article_too(db: Path) -> None:
    lines = ok(run(db, CANONICAL))

    assert lines[0].startswith(f"{URL}  3 versions")


def test_a_single_version_has_no_diff_and_a_missing_title_is_said(db: Path) -> None:
    lines = ok(run(db, OTHER))

    assert lines == [
        f"{OTHER}  1 version, last seen 2025-05-01T10:00:00+00:00",
        "",
        f"version 1  2025-05-01T10:00:00+00:00  sha256 {short('Texte de La Gazette.')}  "
        "1 paragraph  (no title)",
    ]


def test_an_unknown_url_is_said_plainly_and_is_not_an_error(db: Path) -> None:
    unknown = "https://lecourrier.vn/absent/1.html"

    assert ok(run(db, unknown)) == [f"no stored versions of {unknown}"]

    as_json = run(db, unknown, "--json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == []  # stdout stays JSON; the note goes to stderr
    assert f"no stored versions of {unknown}" in as_json.stderr


def test_a_missing_database_is_a_clear_error_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "wiretrace.sqlite"

    done = run(missing, URL)

    assert done.returncode == 1
    assert f"no wiretrace database at {missing}" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not missing.parent.exists()


def test_the_url_is_required(db: Path) -> None:
    done = run(db)

    assert done.returncode == 2  # Scrapy's usage error
    assert "give exactly one article URL" in done.stderr
