"""Runs the real spiders live, as subprocesses, against a ``LiveServer`` instead of the outlets.

Exactly a production ``scrapy crawl`` (no ``REPLAY_FROM``, AutoThrottle on, robots.txt obeyed,
Scrapy's real downloader and middlewares) except for these settings: ``WIRETRACE_HOST_MAP``
sends the outlets' hosts to the local server, ``WIRETRACE_HOST_MAP_STRICT`` refuses every
other host (so no test can reach the internet), AutoThrottle starts from a short delay (it
still adapts per outlet; production starts from Scrapy's 5 s) to keep the tests fast, and the
database, stats file and WARC archive go to the test's temporary folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.crawling import CrawlResult
from tests.liveserver import LiveServer

#: The outlets' hosts as their profiles and seeds name them (``www.`` twins mapped too).
OUTLET_HOSTS = ("lecourrier.vn", "lagazetteaz.fr", "leplacentin.fr")


def child_env() -> dict[str, str]:
    """The environment without proxy variables: Scrapy's HttpProxyMiddleware would otherwise
    send the (mapped) requests through a proxy instead of to the local server."""
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def live_command(
    args: list[str], out: Path, db: Path, server: LiveServer, *settings: str
) -> list[str]:
    """The command line of ``scrapy <args>`` live against ``server`` (see ``live_scrapy``)."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "scrapy", *args,
           "-O", str(out / "%(name)s.jsonl"),
           "-s", f"WIRETRACE_DB={db}",
           "-s", f"WIRETRACE_STATS_FILE={out / '%(name)s.stats.json'}",
           # Live crawls archive every response as WARC: into the test's folder, not data/.
           "-s", f"WIRETRACE_WARC_DIR={out / 'warc'}",
           "-s", f"WIRETRACE_HOST_MAP={json.dumps(server.host_map(OUTLET_HOSTS))}",
           "-s", "WIRETRACE_HOST_MAP_STRICT=True",
           "-s", "AUTOTHROTTLE_START_DELAY=0.05",
           "-s", "AUTOTHROTTLE_DEBUG=True",  # one log line per response: the slot and delay
           "-s", "LOG_LEVEL=INFO"]  # fmt: skip
    for setting in settings:
        cmd += ["-s", setting]
    return cmd


def live_scrapy(
    args: list[str], out: Path, db: Path, server: LiveServer, *settings: str
) -> CrawlResult:
    """Run ``scrapy <args>`` live against ``server``; ``settings`` are extra ``NAME=value``."""
    cmd = live_command(args, out, db, server, *settings)
    done = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, env=child_env()
    )
    return CrawlResult(done.returncode, done.stderr, out)


def enabled_extensions(log: str) -> list[str]:
    """The extensions Scrapy's log says it enabled (the list after "Enabled extensions:")."""
    found = re.search(r"Enabled extensions:\n(\[.*?\])", log, re.DOTALL)
    assert found, "no 'Enabled extensions' line in the log"
    return re.findall(r"'([\w.]+)'", found.group(1))
