"""User mistakes and failed jobs: one line saying why, exit code 1, no traceback.

Every case runs the real command in a child process, as a user or cron would; cron and
scrapyd users read exit codes and stats, not tracebacks.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.storage import open_store
from tests.crawling import FIXTURES, ROOT, Done, Run, command, scrapy
from tests.faults.hostile import ESCAPE_TITLE, HostedPage, articles, escape_title

pytestmark = pytest.mark.slow  # real scrapy processes, as a user runs them

CVN_XINHUA = json.loads(
    (FIXTURES / "cvn" / "001-poutine-kim-vostotchny" / "response.json").read_text()
)["url"]


def _one_line(run: Run, *words: str) -> str:
    """The run failed with exactly one ``scrapy ...`` line, holding ``words``."""
    assert run.returncode == 1, run.log[-2000:]
    assert "Traceback" not in run.log
    [line] = run.failure_lines
    for word in words:
        assert word in line, line
    return line


# -- settings that cannot work ------------------------------------------------------------


def test_replay_from_a_missing_folder(tmp_path: Path) -> None:
    run = scrapy(["crawl", "cvn"], tmp_path, settings={"REPLAY_FROM": tmp_path / "nope"})
    _one_line(run, "REPLAY_FROM", str(tmp_path / "nope"))


def test_replay_from_a_missing_folder_is_said_once_under_crawlall(tmp_path: Path) -> None:
    run = scrapy(["crawlall"], tmp_path, settings={"REPLAY_FROM": tmp_path / "nope"})
    _one_line(run, "scrapy crawlall:", "REPLAY_FROM")


def test_replay_from_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    run = scrapy(["crawl", "cvn"], tmp_path, settings={"REPLAY_FROM": tmp_path / "notes.txt"})
    _one_line(run, "is a file, not a folder")


def test_replay_from_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = scrapy(["crawl", "cvn"], tmp_path, settings={"REPLAY_FROM": tmp_path / "empty"})
    _one_line(run, "holds no saved pages")


def test_a_database_that_cannot_be_written_names_the_path_and_the_setting(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    db = tmp_path / "a-file" / "db.sqlite"  # root ignores permissions; a file as folder fails
    run = scrapy(["crawl", "cvn"], tmp_path, settings={"REPLAY_FROM": FIXTURES, "WIRETRACE_DB": db})
    _one_line(run, "WIRETRACE_DB", str(db))


def test_packwarc_to_a_path_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    out = tmp_path / "a-file" / "out.warc.gz"
    run = scrapy(["packwarc", str(FIXTURES / "bad"), str(out)], tmp_path, stats=False)
    _one_line(run, "packwarc", str(out))


# -- jobs that ran and failed -------------------------------------------------------------


def test_a_missing_url_file_fails_the_job(tmp_path: Path) -> None:
    run = scrapy(
        ["crawl", "article", "-a", f"url_file={tmp_path / 'missing.txt'}"],
        tmp_path,
        settings={"WIRETRACE_DB": tmp_path / "db.sqlite"},
    )
    _one_line(run, "the job failed", "nothing to crawl")
    assert run.stats()["wiretrace/failure"].startswith("nothing to crawl")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_no_network_fails_the_job_and_keeps_the_previous_feed(tmp_path: Path) -> None:
    feed = tmp_path / "out" / "article.jsonl"
    feed.parent.mkdir()
    feed.write_text('{"url": "from the last good run"}\n')
    url = f"http://127.0.0.1:{_closed_port()}/a.html"
    run = scrapy(
        ["crawl", "article", "-a", f"urls={url}", "-s", "RETRY_TIMES=0"],
        tmp_path / "out",
        settings={"WIRETRACE_DB": tmp_path / "db.sqlite", "WIRETRACE_WARC_DIR": ""},
        feed=True,
    )
    _one_line(run, "the job failed", "no page could be downloaded")
    assert feed.read_text() == '{"url": "from the last good run"}\n'


def test_replaying_urls_that_are_not_saved_fails_the_job(tmp_path: Path) -> None:
    run = scrapy(
        ["crawl", "article", "-a", "urls=https://nowhere.example/a.html"],
        tmp_path,
        settings={"REPLAY_FROM": FIXTURES, "WIRETRACE_DB": tmp_path / "db.sqlite"},
    )
    _one_line(run, "nothing replayed")


def test_a_malformed_start_url_fails_the_job(tmp_path: Path) -> None:
    run = scrapy(
        ["crawl", "article", "-a", "urls=htp//no-scheme"],
        tmp_path,
        settings={"WIRETRACE_DB": tmp_path / "db.sqlite"},
    )
    assert run.returncode == 1
    [line] = [line for line in run.failure_lines if "the job failed" in line]
    assert "nothing to crawl" in line


# -- read-only commands -------------------------------------------------------------------


def test_a_read_only_command_never_turns_an_empty_file_into_a_database(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    run = scrapy(
        ["versions", "https://x.example/a"], tmp_path, settings={"WIRETRACE_DB": empty}, stats=False
    )
    _one_line(run, "empty file")
    assert empty.stat().st_size == 0


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding a CVN article relayed from Xinhua, a long article and one whose
    title holds terminal escape codes, twice (two outlets, one story)."""
    work = tmp_path_factory.mktemp("stored")
    db = work / "db.sqlite"
    run = scrapy(
        ["crawl", "cvn", "-a", f"start_urls={CVN_XINHUA}", "-a", "follow=0"],
        work / "cvn",
        settings={"REPLAY_FROM": FIXTURES, "WIRETRACE_DB": db},
    )
    assert run.returncode == 0, run.log[-2000:]
    saved = work / "saved"
    pages = [*articles(1, words=40_000), escape_title()]
    original = escape_title()
    twin = HostedPage(**{**vars(original), "name": original.name + "-twin"},
                      host="https://other.example")  # fmt: skip
    for page in [*pages, twin]:
        page.save(saved)
    urls = ",".join(p.url for p in [*pages, twin])
    run = scrapy(
        ["crawl", "article", "-a", f"urls={urls}"],
        work / "article",
        settings={"REPLAY_FROM": saved, "WIRETRACE_DB": db},
    )
    assert run.returncode == 0, run.log[-2000:]
    return db


def _command(args: list[str], db: Path) -> Done:
    return command(*args, db=db, timeout=120)


def test_agency_matches_by_name_and_alias_as_well_as_id(stored: Path) -> None:
    by_id = _command(["provenance", "--agency", "xinhua"], stored).stdout
    assert CVN_XINHUA in by_id
    for name in ("Xinhua", "Chine nouvelle"):
        assert _command(["provenance", "--agency", name], stored).stdout == by_id, name


def test_titles_with_terminal_escapes_are_printed_escaped(stored: Path) -> None:
    url = escape_title().url
    versions = _command(["versions", url], stored)
    assert versions.returncode == 0, versions.stderr
    assert "\x1b" not in versions.stdout and "\x07" not in versions.stdout
    assert "\\x1b]0;pwned" in versions.stdout
    store = open_store(stored, create=False)
    try:
        assert any(v["title"] == ESCAPE_TITLE for v in store.versions(url))
    finally:
        store.close()
    stories = _command(["stories", "--threshold", "0.3"], stored)
    assert stories.returncode == 0, stories.stderr
    assert "\\x1b[2JTitre" in stories.stdout and "\x1b" not in stories.stdout


def test_output_piped_into_head_ends_quietly(stored: Path) -> None:
    url = articles(1)[0].url
    done = subprocess.run(
        f"{sys.executable} -m scrapy versions --json {url} -s WIRETRACE_DB={stored} | head -c 100",
        shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert len(done.stdout) == 100
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_version_with_a_url_points_to_versions(tmp_path: Path) -> None:
    run = scrapy(["version", "https://x.example/a"], tmp_path, stats=False)
    _one_line(run, "scrapy versions https://x.example/a")


# -- defaults -----------------------------------------------------------------------------


def test_default_paths_belong_to_the_project_wherever_the_command_runs(tmp_path: Path) -> None:
    for setting, default in (("WIRETRACE_DB", "data/wiretrace.sqlite"),
                             ("WIRETRACE_WARC_DIR", "data/warc")):  # fmt: skip
        # The console script, as a user types it (``python -m`` would put the package's own
        # folder first on sys.path, where its modules shadow the standard library's).
        got = subprocess.run(
            [str(Path(sys.executable).parent / "scrapy"), "settings", "--get", setting],
            cwd=ROOT / "crawler", capture_output=True, text=True, timeout=120,
        ).stdout.strip()  # fmt: skip
        assert got == str(ROOT / default)


def test_the_default_log_level_is_info() -> None:
    got = subprocess.run(
        [sys.executable, "-m", "scrapy", "settings", "--get", "LOG_LEVEL"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    ).stdout.strip()  # fmt: skip
    assert got == "INFO"


def test_the_test_server_runs_without_pytest() -> None:
    hide_pytest = (
        "import sys; sys.modules['pytest'] = None; sys.argv = ['liveserver', '--port', '0']; "
        "import runpy; runpy.run_module('tests.liveserver', run_name='__main__')"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", hide_pytest], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert first.startswith("serving the saved pages"), (
        server.stderr.read() if server.stderr else ""
    )
