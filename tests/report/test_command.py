"""``scrapy report`` as a user runs it: what it writes, what it says, how it fails."""

from __future__ import annotations

import html
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from crawler.commands.report import warc_folder
from crawler.report.model import page_key
from crawler.storage import open_store
from tests.crawling import ROOT, run_at_terminal, scrapy
from tests.report.reporting import plain_item

pytestmark = pytest.mark.slow  # real scrapy processes


def stored_urls(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [url for (url,) in conn.execute("SELECT url FROM articles")]


def test_the_report_has_a_page_per_article_and_story_and_the_indexes(
    fixture_db: Path, fixture_report: Path
) -> None:
    for name in ("index.html", "flow.html", "articles.html", "stories.html"):
        assert (fixture_report / name).is_file(), name
    urls = stored_urls(fixture_db)
    assert len(urls) == 10  # the five seeds and the five text-reuse pages
    assert {p.name for p in (fixture_report / "articles").iterdir()} == {
        f"{page_key(url)}.html" for url in urls
    }
    assert (fixture_report / "stories" / "1.html").is_file()
    assert list((fixture_report / "edges").glob("*.html"))


def test_it_says_what_it_wrote_and_where_to_open_it(fixture_db: Path, tmp_path: Path) -> None:
    done = scrapy(["report", "-o", str(tmp_path / "r")], tmp_path / "run", fixture_db, stats=False)
    assert done.returncode == 0, done.log
    assert done.stdout.startswith("report: wrote ")
    assert str(tmp_path / "r" / "index.html") in done.stdout
    assert done.log == ""  # quiet in logs and cron


def test_a_missing_database_is_one_line_and_exit_code_1(tmp_path: Path) -> None:
    done = scrapy(
        ["report", "-o", str(tmp_path / "r")],
        tmp_path / "run",
        tmp_path / "none.sqlite",
        stats=False,
    )
    assert done.returncode == 1
    assert done.log.strip().splitlines() == [
        f"scrapy report: no wiretrace database at {tmp_path / 'none.sqlite'}: crawl first, "
        "or point to one with -s WIRETRACE_DB=<path>"
    ]
    assert not (tmp_path / "r").exists()


def test_a_folder_that_is_not_a_report_is_refused(fixture_db: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = scrapy(["report", "-o", str(tmp_path)], tmp_path / "run", fixture_db, stats=False)
    assert done.returncode == 1
    assert "is not a wiretrace report" in done.log
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_output_folder_is_required(fixture_db: Path, tmp_path: Path) -> None:
    done = scrapy(["report"], tmp_path / "run", fixture_db, stats=False)
    assert done.returncode == 2
    assert "give the folder to write with -o FOLDER" in done.log


def test_progress_shows_at_a_terminal(fixture_db: Path, tmp_path: Path) -> None:
    code, terminal = run_at_terminal(
        [sys.executable, "-m", "scrapy", "report", "-o", str(tmp_path / "r"),
         "-s", f"WIRETRACE_DB={fixture_db}"],
        ROOT,
    )  # fmt: skip
    assert code == 0, terminal
    assert "writing article pages" in terminal


@pytest.fixture(scope="module")
def live_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One article a live crawl archived (not replayed): its record is in the WARC folder."""
    path = tmp_path_factory.mktemp("live-store") / "wiretrace.sqlite"
    store = open_store(path)
    store.save_article(plain_item(7, [["xinhua"], ["vna"], ["cvn"]]))
    store.close()
    return path


def warc_command(report: Path) -> str:
    (page,) = (report / "articles").glob("*.html")
    found = re.search(r'<code id="warc-command">([^<]*)</code>', page.read_text("utf-8"))
    assert found is not None
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("setting", "folder"),
    [
        (None, "data/warc"),  # the default, shown from the project folder
        (str(ROOT / "archive" / "warc"), "archive/warc"),
        ("/srv/wiretrace/warc", "/srv/wiretrace/warc"),
    ],
)
def test_article_pages_read_the_record_from_the_warc_folder_setting(
    live_db: Path, tmp_path: Path, setting: str | None, folder: str
) -> None:
    settings = {} if setting is None else {"WIRETRACE_WARC_DIR": setting}
    done = scrapy(
        ["report", "-o", str(tmp_path / "r")],
        tmp_path / "run",
        live_db,
        settings=settings,
        stats=False,
    )
    assert done.returncode == 0, done.log
    assert warc_command(tmp_path / "r") == (
        f"warcio extract --payload {folder}/wiretrace-7.warc.gz 1007"
    )


def test_with_archiving_off_the_page_names_the_file_and_says_why(
    live_db: Path, tmp_path: Path
) -> None:
    done = scrapy(
        ["report", "-o", str(tmp_path / "r")],
        tmp_path / "run",
        live_db,
        settings={"WIRETRACE_WARC_DIR": ""},
        stats=False,
    )
    assert done.returncode == 0, done.log
    assert warc_command(tmp_path / "r") == "warcio extract --payload wiretrace-7.warc.gz 1007"
    page = next((tmp_path / "r" / "articles").glob("*.html")).read_text("utf-8")
    assert "WIRETRACE_WARC_DIR is empty" in page


def test_the_warc_folder_is_shown_from_the_project_when_inside_it() -> None:
    assert warc_folder(str(ROOT / "data" / "warc")) == "data/warc"
    assert warc_folder("/srv/warc") == "/srv/warc"
    assert warc_folder("") is None and warc_folder(None) is None
