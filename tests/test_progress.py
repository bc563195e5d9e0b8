"""Progress bars: drawn for a person at a terminal, absent from logs, pipes and cron."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.progress import ENV, Bar, progress, shown
from tests.crawling import FIXTURES, ROOT, run_at_terminal


def test_no_bar_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert not shown()
    assert list(progress(range(5), "counting")) == [0, 1, 2, 3, 4]
    with Bar("bytes", total=10, unit="B") as bar:
        bar.update(10)
    assert capsys.readouterr().err == ""


def test_the_environment_can_force_bars_on_or_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "1")
    assert shown()
    monkeypatch.setenv(ENV, "0")
    assert not shown()


@pytest.mark.slow  # real scrapy processes
def test_packwarc_shows_a_bar_at_a_terminal_and_none_in_a_pipe(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "scrapy", "packwarc", str(FIXTURES)]
    code, terminal = run_at_terminal([*command, str(tmp_path / "a.warc.gz")], ROOT)
    assert code == 0, terminal
    assert "packing" in terminal and "response" in terminal
    piped = subprocess.run(
        [*command, str(tmp_path / "b.warc.gz")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != ENV},
        timeout=300,
    )
    assert piped.returncode == 0
    assert "packing" not in piped.stderr and "\r" not in piped.stderr
    # What the command prints is the same either way.
    assert piped.stdout.startswith("packwarc: wrote ")


@pytest.mark.slow  # real scrapy processes
def test_replaying_a_warc_archive_shows_the_index_scan_at_a_terminal(tmp_path: Path) -> None:
    warc = tmp_path / "f.warc.gz"
    packed = subprocess.run(
        [sys.executable, "-m", "scrapy", "packwarc", str(FIXTURES), str(warc)],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert packed.returncode == 0
    code, terminal = run_at_terminal(
        [sys.executable, "-m", "scrapy", "crawl", "lagazette",
         "-s", f"REPLAY_FROM={warc}", "-s", f"WIRETRACE_DB={tmp_path / 'db.sqlite'}",
         "-s", "LOG_LEVEL=WARNING", "-a", "follow=0"],
        ROOT,
    )  # fmt: skip
    assert code == 0, terminal
    assert "indexing the WARC archive" in terminal
