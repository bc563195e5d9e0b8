"""``scrapy packwarc [FIXTURES_DIR] OUTPUT.warc.gz``: every saved response of a fixtures
folder as one WARC file, so replay from the archive and replay from the folder can be
shown to give the same items (and archive tools can read the fixtures).

The fixture pages are reconstructions, not captures; the file's ``warcinfo`` says so, and
every record is dated when the file was packed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler import __version__
from crawler.archive.records import HttpExchange
from crawler.archive.writer import WarcFile, warcinfo
from crawler.commands.common import fail
from crawler.progress import progress
from crawler.replay import FixtureSource, SavedResponse


def exchange_of(saved: SavedResponse) -> HttpExchange:
    """A saved response as the exchange that would have produced it: a bare GET, and the
    response's headers encoded as replay from the folder encodes them (UTF-8)."""
    return HttpExchange(
        url=saved.url,
        status=saved.status,
        response_headers=[(k.encode(), v.encode()) for k, v in saved.headers.items()],
        body=saved.body(),
    )


def pack(fixtures: Path, output: Path) -> int:
    """Write the WARC (atomically: a reader never sees half a file); records written."""
    source = FixtureSource(fixtures)
    info = warcinfo(
        software=f"wiretrace/{__version__} packwarc (Scrapy {scrapy.__version__})",
        robots="ignore",
        description=(
            f"Saved responses of {fixtures.name}/ packed by `scrapy packwarc`, in the order of "
            "their folders. Fixture pages are reconstructions, not captures; record dates are "
            "when the file was packed."
        ),
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    partial.unlink(missing_ok=True)
    file = WarcFile(partial, info=info, name=output.name, gzip=output.name.endswith(".gz"))
    try:
        for saved in progress(source, "packing", total=len(source), unit="response"):
            file.write_exchange(exchange_of(saved))
    finally:
        file.close()
    partial.replace(output)
    return file.records


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[FIXTURES_DIR] OUTPUT.warc.gz"

    def short_desc(self) -> str:
        return "Pack every saved response of a fixtures folder into one WARC file"

    def long_desc(self) -> str:
        return (
            "Write a request and a response record for every response.json below "
            "FIXTURES_DIR (default: fixtures), in the order of their folders, to OUTPUT "
            "(.warc.gz, or .warc uncompressed). -s REPLAY_FROM=OUTPUT then replays the "
            "same pages as -s REPLAY_FROM=FIXTURES_DIR."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1:
            fixtures, output = Path("fixtures"), Path(args[0])
        elif len(args) == 2:
            fixtures, output = Path(args[0]), Path(args[1])
        else:
            raise UsageError("give OUTPUT.warc.gz, or FIXTURES_DIR and OUTPUT.warc.gz")
        if not output.name.endswith((".warc.gz", ".warc")):
            raise UsageError(f"{output}: the output's name must end in .warc.gz or .warc")
        if not fixtures.is_dir():
            raise UsageError(f"{fixtures}: no such fixtures folder")
        try:
            records = pack(fixtures, output)
        except OSError as error:
            fail(self, "packwarc", f"cannot write {output}: {error.strerror or error}")
            return
        responses = (records - 1) // 2
        print(
            f"packwarc: wrote {records} records ({responses} responses, their requests and a "
            f"warcinfo) from {fixtures} to {output}"
        )
