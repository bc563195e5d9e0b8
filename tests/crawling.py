"""Runs real ``scrapy`` commands in a child process, as a user or cron would."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

#: With these, any request that reached the network would fail loudly: replay must answer all.
NO_NETWORK = '{"http": null, "https": null}'


@dataclass
class CrawlResult:
    returncode: int
    log: str
    out: Path

    def items(self, spider: str) -> list[dict[str, Any]]:
        path = self.out / f"{spider}.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]

    def stats(self, spider: str) -> dict[str, Any]:
        return json.loads((self.out / f"{spider}.stats.json").read_text(encoding="utf-8"))


def scrapy(args: list[str], out: Path, db: Path, *, replay: Path | None = None) -> CrawlResult:
    """Run ``scrapy <args>`` from the project folder, items to out/<spider>.jsonl."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "scrapy", *args,
           "-O", str(out / "%(name)s.jsonl"),
           "-s", f"WIRETRACE_DB={db}",
           "-s", f"WIRETRACE_STATS_FILE={out / '%(name)s.stats.json'}",
           "-s", f"DOWNLOAD_HANDLERS={NO_NETWORK}",
           "-s", "LOG_LEVEL=INFO"]  # fmt: skip
    if replay is not None:
        cmd += ["-s", f"REPLAY_FROM={replay}"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return CrawlResult(done.returncode, done.stderr, out)
