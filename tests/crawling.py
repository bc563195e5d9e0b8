"""Runs real ``scrapy`` commands in a child process, as a user or cron would."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
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


def run_at_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run a command with its stderr on a pseudo-terminal, as a person's shell would."""
    leader, follower = pty.openpty()
    # A terminal of 24 rows and 100 columns (a new pseudo-terminal has no size at all).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "WIRETRACE_PROGRESS"}
    done = subprocess.Popen(
        args, cwd=cwd, stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    done.wait(timeout=300)
    if done.stdout:
        done.stdout.close()
    return done.returncode, b"".join(chunks).decode("utf-8", "replace")
