"""A crawler killed mid-write loses at most the record it was writing.

A child process writes exchanges as fast as it can and reports each one once
``write_exchange`` has returned; it is SIGKILLed part of the way through writing the next.
Every reported record must read back whole, and the only damage allowed is a cut-short
last gzip member, which replay's reader leaves out.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.reader import iter_responses
from crawler.replay import WarcSource
from tests.crawling import ROOT

pytestmark = pytest.mark.slow  # a child process killed while writing

BODY = 512 * 1024

CHILD = f"""
import random, sys
from pathlib import Path
from crawler.archive.writer import WarcFile, warcinfo
from tests.archive.helpers import exchange

file = WarcFile(Path(sys.argv[1]), info=warcinfo(software="crash-test", robots="obey"))
rng = random.Random(0)
n = 0
while True:
    # Random bytes do not compress, so each record takes a while (~10 ms) to write.
    location = file.write_exchange(exchange(n, body=rng.randbytes({BODY})))
    print(n, location.offset, location.record_id, flush=True)
    n += 1
"""

REPORTED = 12


def gzip_members(data: bytes) -> tuple[int, bool]:
    """(complete gzip members, whether an incomplete one follows them)."""
    complete, position = 0, 0
    while position < len(data):
        member = zlib.decompressobj(zlib.MAX_WBITS | 16)
        member.decompress(data[position:])
        if not member.eof:
            return complete, True
        complete += 1
        position = len(data) - len(member.unused_data)
    return complete, False


def write_then_kill(path: Path, fraction: float) -> list[tuple[int, str]]:
    """Run the child until it reported REPORTED exchanges, then kill it ``fraction`` of
    the way (in time) through the next one; what it reported, as (offset, record id)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    reported, times = [], []
    try:
        for line in child.stdout:
            _, offset, record_id = line.split()
            reported.append((int(offset), record_id))
            times.append(time.monotonic())
            if len(reported) == REPORTED:
                time.sleep((times[-1] - times[1]) / (REPORTED - 2) * fraction)
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert len(reported) == REPORTED, "the child died before writing its records"
    return reported


def readable_records(path: Path, cut_short: bool) -> dict[str, tuple[int, int]]:
    """Record id -> (offset, body length) for every record warcio reads."""
    found = {}
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                body = record.content_stream().read()
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                found[record_id] = (records.get_record_offset(), len(body))
        except Exception:
            assert cut_short, "only a cut-short tail may stop warcio"
    return found


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_records_written_before_a_kill_all_read_back(tmp_path: Path) -> None:
    cut_short_seen = 0
    for attempt, fraction in enumerate([0.5, 0.3, 0.7, 0.4, 0.6]):
        path = tmp_path / f"crash-{attempt}.warc.gz"
        reported = write_then_kill(path, fraction)

        # warcinfo, then a response and a request per reported exchange, all whole; at most
        # one incomplete member after them.
        complete, cut_short = gzip_members(path.read_bytes())
        assert complete >= 1 + 2 * REPORTED
        cut_short_seen += cut_short

        found = readable_records(path, cut_short)
        for offset, record_id in reported:
            assert found[record_id] == (offset, BODY), "whole, where it was reported"

        # Replay's reader leaves the cut-short record out (warcio alone would serve it cut).
        listed = [e.record_id for e in iter_responses(path)]
        assert listed[:REPORTED] == [record_id for _, record_id in reported]
        assert len(listed) <= REPORTED + 1
        if cut_short and complete % 2 == 1:  # the damaged member is a response record
            assert len(listed) == REPORTED
        assert len(WarcSource(path)) == len(listed)
        if cut_short_seen >= 2:
            break
    assert cut_short_seen, "no kill landed in the middle of a record; the test proved little"
