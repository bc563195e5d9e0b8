"""Deployment: the project goes to a real scrapyd on 127.0.0.1, which runs ``cvn`` through
its HTTP API against the local test server, and the items land in the database.

This is the scheduled-crawl path of the README: build the egg with scrapyd-deploy, upload it
with addversion.json, schedule with schedule.json (settings passed as ``setting=NAME=value``).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawling import OUTLET_HOSTS, ROOT, child_env
from tests.liveserver import LiveServer

pytestmark = pytest.mark.slow  # a real scrapyd and scrapy processes

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(base: str, endpoint: str, fields: list[tuple[str, str]] | None = None) -> dict:
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=data, timeout=10) as answer:
        return json.loads(answer.read())


def upload_egg(base: str, project: str, egg: Path) -> dict:
    """addversion.json takes the egg as multipart/form-data."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (("project", project), ("version", "1")):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())  # fmt: skip
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{egg.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + egg.read_bytes()
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(
        f"{base}/addversion.json",
        data=b"".join(parts),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    if not (BIN / "scrapyd").exists():
        pytest.skip("scrapyd is not installed (pip install -e '.[test]')")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\nitems_dir =\n"
        "max_proc = 1\npoll_interval = 0.2\n"
    )
    process = subprocess.Popen(
        [str(BIN / "scrapyd")], cwd=home, env=child_env(),
        stdout=subprocess.DEVNULL, stderr=(home / "scrapyd.err").open("wb"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if call(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((home / "scrapyd.err").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_scrapyd_runs_the_deployed_cvn_spider_against_the_local_server(
    scrapyd: str, tmp_path: Path
) -> None:
    egg = tmp_path / "wiretrace.egg"
    built = subprocess.run(
        [str(BIN / "scrapyd-deploy"), f"--build-egg={egg}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    added = upload_egg(scrapyd, "wiretrace", egg)
    assert added["status"] == "ok", added
    assert set(call(scrapyd, "listspiders.json?project=wiretrace")["spiders"]) == {
        "article", "cvn", "lagazette", "leplacentin",
    }  # fmt: skip

    db = tmp_path / "scheduled.sqlite"
    with LiveServer() as server:
        settings = {
            "WIRETRACE_HOST_MAP": json.dumps(server.host_map(OUTLET_HOSTS)),
            "WIRETRACE_HOST_MAP_STRICT": "True",
            "WIRETRACE_DB": str(db),
            "WIRETRACE_SEEDS_DIR": str(ROOT / "seeds"),
            "WIRETRACE_WARC_DIR": str(tmp_path / "warc"),
            "AUTOTHROTTLE_START_DELAY": "0.05",
        }
        fields = [("project", "wiretrace"), ("spider", "cvn")]
        fields += [("setting", f"{name}={value}") for name, value in settings.items()]
        job = call(scrapyd, "schedule.json", fields)
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 90
        while True:
            jobs = call(scrapyd, "listjobs.json?project=wiretrace")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(0.5)

    with sqlite3.connect(db) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM articles WHERE outlet = 'cvn'")}
    assert len(urls) == 2, "the two CVN seed articles were scraped and stored"
    assert all(u.startswith("https://lecourrier.vn/") for u in urls)
