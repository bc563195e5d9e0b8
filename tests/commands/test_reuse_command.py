"""``scrapy reuse`` and ``scrapy stories`` end to end, as a user runs them after a crawl.

Real ``scrapy`` processes at the project root: the seed pages are replay-crawled with every
spider (``crawlall``), the text-reuse pages of fixtures/reuse/ with the generic ``article``
spider, into one database; then ``scrapy reuse``, ``scrapy provenance`` and ``scrapy
stories`` read it. The HTTP download handlers are off, so nothing can reach the network.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import FIXTURES, Case, Done, command, fixture_cases, scrapy

CVN_001 = (
    "https://lecourrier.vn/vladimir-poutine-et-kim-jong-un-se-rencontrent-au-cosmodrome-"
    "vostotchny/1205536.html"
)
XINHUA_CHAIN = [["xinhua"], ["vna"], ["cvn"]]

pytestmark = pytest.mark.slow  # real scrapy processes


def reuse_cases() -> list[Case]:
    return [c for c in fixture_cases("article") if c.folder.parent.name == "reuse"]


def case_url(prefix: str) -> str:
    (case,) = [c for c in reuse_cases() if c.folder.name.startswith(prefix)]
    return case.url


VERBATIM, EDITED, SUMMARY = case_url("a-"), case_url("b-"), case_url("c-")
QUOTES_1, QUOTES_2 = case_url("d1-"), case_url("d2-")


Run = Done


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database holding the five seed articles and the five reuse pages, crawled."""
    work = tmp_path_factory.mktemp("reuse")
    path = work / "wiretrace.sqlite"
    seeds = scrapy(["crawlall"], work / "seeds", path, feed=True, replay=FIXTURES)
    assert seeds.returncode == 0, seeds.log[-3000:]
    urls = ",".join(c.url for c in reuse_cases())
    pages = scrapy(
        ["crawl", "article", "-a", f"urls={urls}"], work / "pages", path, feed=True, replay=FIXTURES
    )
    assert pages.returncode == 0, pages.log[-3000:]
    assert {i["url"] for i in pages.items("article")} == {c.url for c in reuse_cases()}
    return path


@pytest.fixture(scope="module")
def reuse_run(db: Path) -> Run:
    return command("reuse", db=db)


@pytest.fixture(scope="module")
def reuse_json(db: Path, reuse_run: Run) -> dict[str, Any]:
    """A second run, as JSON: it must find the same pairs and infer the same chains."""
    run = command("reuse", "--json", db=db)
    assert run.returncode == 0, run.stderr[-3000:]
    return dict(json.loads(run.stdout))


def provenance_of(db: Path, url: str) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        (item_json,) = conn.execute(
            "SELECT item_json FROM articles WHERE url = ?", (url,)
        ).fetchone()
    return dict(json.loads(item_json)["provenance"])


def line_columns(line: str) -> list[str]:
    """The columns of a printed line: runs separated by two spaces or more."""
    return [c for c in re.split(r"\s{2,}", line.strip()) if c]


def pair_with(pairs: list[dict[str, Any]], a: str, b: str) -> dict[str, Any] | None:
    found = [p for p in pairs if {p["a"], p["b"]} == {a, b}]
    return found[0] if found else None


# -- scrapy reuse ----------------------------------------------------------------------------


def test_reuse_runs_cleanly_and_prints_each_pair_with_its_passages(reuse_run: Run) -> None:
    assert reuse_run.returncode == 0, reuse_run.stderr[-3000:]
    lines = reuse_run.stdout.splitlines()
    heads = [line for line in lines if "←" in line]
    verbatim = [h for h in heads if VERBATIM in h and CVN_001 in h]
    assert len(verbatim) == 1
    # The earlier article on the left, both described, shares as percentages.
    assert verbatim[0].startswith("100%  ←  100%  ")
    assert (
        f"{CVN_001} (cvn, 2023-09-13)  →  {VERBATIM} (depeches-du-jour.example, 2023-09-14)"
        in (verbatim[0])
    )
    passage = lines[lines.index(verbatim[0]) + 1]
    assert passage.startswith("    a[0:") and ' words  "Au cosmodrome Vostotchny' in passage


def test_reuse_prints_the_inferred_chains_with_display_names(reuse_run: Run) -> None:
    inferred = [line for line in reuse_run.stdout.splitlines() if line.startswith("inferred:")]
    assert (
        f"inferred: {VERBATIM}  Xinhua → VNA → Le Courrier du Vietnam → depeches-du-jour.example"
        "  (text_reuse)"
    ) in inferred
    assert any(line.startswith(f"inferred: {EDITED}  ") for line in inferred)
    assert not any(CVN_001 in line for line in inferred)


def test_the_verbatim_reprint_pairs_with_the_source_and_takes_its_chain(
    db: Path, reuse_json: dict[str, Any]
) -> None:
    pair = pair_with(reuse_json["pairs"], CVN_001, VERBATIM)
    assert pair is not None
    assert pair["earlier"] == CVN_001
    assert min(pair["share_a"], pair["share_b"]) >= 0.9
    assert pair["a_outlet"] in ("cvn", "depeches-du-jour.example")
    provenance = provenance_of(db, VERBATIM)
    assert provenance["chain"] == [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    assert provenance["basis"] == "text_reuse"
    reuse = [e for e in provenance["evidence"] if e["kind"] == "text_reuse"]
    assert len(reuse) == 1  # two runs, one piece of evidence
    assert reuse[0]["source_url"] == CVN_001


def test_the_edited_reprint_pairs_and_takes_the_chain_too(
    db: Path, reuse_json: dict[str, Any]
) -> None:
    pair = pair_with(reuse_json["pairs"], CVN_001, EDITED)
    assert pair is not None
    assert pair["earlier"] == CVN_001
    edited_share = pair["share_b"] if pair["b"] == EDITED else pair["share_a"]
    assert edited_share > 0.5  # above `most`: its text is mostly the source's
    provenance = provenance_of(db, EDITED)
    assert provenance["chain"] == [*XINHUA_CHAIN, ["revue-hebdo.example"]]
    assert provenance["basis"] == "text_reuse"


def test_the_summary_and_the_quote_pages_pair_with_nothing(reuse_json: dict[str, Any]) -> None:
    for url in (SUMMARY, QUOTES_1, QUOTES_2):
        assert [p for p in reuse_json["pairs"] if url in (p["a"], p["b"])] == [], url
    inferred = {i["url"] for i in reuse_json["inferred"]}
    assert not inferred & {SUMMARY, QUOTES_1, QUOTES_2}


def test_the_source_keeps_its_credit_line_chain(db: Path, reuse_json: dict[str, Any]) -> None:
    provenance = provenance_of(db, CVN_001)
    assert provenance["chain"] == XINHUA_CHAIN
    assert provenance["basis"] == "credit_line"
    assert not any(e["kind"] == "text_reuse" for e in provenance["evidence"])


def test_the_inferred_chain_shows_in_scrapy_provenance(
    db: Path, reuse_json: dict[str, Any]
) -> None:
    run = command("provenance", "--url", VERBATIM, db=db)
    assert run.returncode == 0, run.stderr
    assert (
        "Xinhua → VNA → Le Courrier du Vietnam → depeches-du-jour.example  (text_reuse)"
    ) in run.stdout
    by_agency = command("provenance", "--agency", "xinhua", db=db)
    assert VERBATIM in by_agency.stdout and EDITED in by_agency.stdout


def test_running_reuse_again_adds_nothing(db: Path, reuse_json: dict[str, Any]) -> None:
    def snapshot() -> list[list[tuple[Any, ...]]]:
        with sqlite3.connect(db) as conn:
            return [
                conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                for table in ("articles", "versions", "evidence", "edges")
            ] + [
                conn.execute("SELECT a_id, b_id, share_a, share_b, passages FROM reuse").fetchall()
            ]

    before = snapshot()
    run = command("reuse", db=db)
    assert run.returncode == 0, run.stderr
    assert snapshot() == before


def test_a_recrawl_keeps_the_inferred_chain(
    db: Path, tmp_path: Path, reuse_json: dict[str, Any]
) -> None:
    again = scrapy(
        ["crawl", "article", "-a", f"urls={VERBATIM}"],
        tmp_path / "out",
        db,
        feed=True,
        replay=FIXTURES,
    )
    assert again.returncode == 0, again.log[-3000:]
    # The feed says what the page alone says; the store keeps what reuse found.
    assert again.items("article")[0]["provenance"]["basis"] == "own"
    assert provenance_of(db, VERBATIM)["basis"] == "text_reuse"


def test_each_run_replaces_the_stored_pairs_with_what_it_finds(
    tmp_path: Path, db: Path, reuse_json: dict[str, Any]
) -> None:
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:  # the reprint's text, as if it had been rewritten
        conn.execute(
            "UPDATE versions SET text = 'Un tout autre texte, sans rapport.' WHERE id ="
            " (SELECT latest_version_id FROM articles WHERE url = ?)",
            (VERBATIM,),
        )
    run = command("reuse", "--json", db=copy)
    assert run.returncode == 0, run.stderr
    pairs = json.loads(run.stdout)["pairs"]
    assert pair_with(pairs, CVN_001, VERBATIM) is None
    assert pair_with(pairs, CVN_001, EDITED) is not None
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM reuse").fetchone() == (len(pairs),)


def test_no_reuse_is_said_plainly(tmp_path: Path, db: Path, reuse_json: dict[str, Any]) -> None:
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE versions SET text = 'Texte ' || id")
    run = command("reuse", db=copy)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "no text reuse among 10 articles (min share 30%)"


def test_bad_options_and_a_missing_database_are_clear_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "wiretrace.sqlite"
    for name in ("reuse", "stories"):
        run = command(name, db=missing)
        assert run.returncode == 1
        assert f"scrapy {name}: no wiretrace database at {missing}" in run.stderr
        assert "Traceback" not in run.stderr
    assert not missing.parent.exists()
    bad = command("reuse", "--min-share", "2", db=missing)
    assert bad.returncode == 2 and "--min-share" in bad.stderr


# -- scrapy stories --------------------------------------------------------------------------


SUMMIT_PAGES = {CVN_001, VERBATIM, EDITED, SUMMARY, QUOTES_1, QUOTES_2}


def test_stories_groups_the_summit_articles_into_one_story(
    db: Path, reuse_json: dict[str, Any]
) -> None:
    run = command("stories", "--json", db=db)
    assert run.returncode == 0, run.stderr
    stories = json.loads(run.stdout)
    seeds = {c.url for c in fixture_cases("article") if "seed" in c.expected}
    (summit,) = [s for s in stories if CVN_001 in {a["url"] for a in s["articles"]}]
    urls = {a["url"] for a in summit["articles"]}
    assert seeds | SUMMIT_PAGES <= urls  # the English summary too: same names, same days
    # In time order, each with its chain: the reprints show the chain inferred for them.
    times = [a["published"] for a in summit["articles"]]
    assert times[0] == summit["first"] and times[-1] == summit["last"]
    by_url = {a["url"]: a for a in summit["articles"]}
    assert by_url[VERBATIM]["chain"] == [*XINHUA_CHAIN, ["depeches-du-jour.example"]]
    assert by_url[CVN_001]["basis"] == "credit_line"


def test_stories_prints_one_line_per_article_with_date_chain_and_title(
    db: Path, reuse_json: dict[str, Any]
) -> None:
    run = command("stories", db=db)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    header = next(line for line in lines if line.startswith("story "))
    assert header.startswith("story 1 (") and "2023-09-13 – 2023-09-14" in header
    cvn = next(
        line
        for line in lines
        if line.lstrip().startswith("cvn ") and "Vladimir Poutine et Kim Jong Un" in line
    )
    assert line_columns(cvn)[:3] == ["cvn", "2023-09-13", "Xinhua → VNA → Le Courrier du Vietnam"]
    reprint = next(line for line in lines if line.lstrip().startswith("depeches-du-jour.example "))
    assert line_columns(reprint)[:2] == ["depeches-du-jour.example", "2023-09-14"]
    assert "→ depeches-du-jour.example  (text reuse)" in reprint
    assert "Vladimir Poutine et Kim Jong Un se rencontrent" in reprint


def test_articles_in_no_story_are_counted(db: Path, reuse_json: dict[str, Any]) -> None:
    run = command("stories", "--window-hours", "1", db=db)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    shown = [line for line in lines if line.startswith("  ")]
    alone = re.fullmatch(r"(\d+) articles? (?:is|are) in no story", lines[-1])
    assert alone is not None, lines[-1]
    assert len(shown) + int(alone.group(1)) == 10
    everything = command("stories", "--min-articles", "11", db=db)
    assert everything.stdout.strip() == "10 articles are in no story of 11 or more"
