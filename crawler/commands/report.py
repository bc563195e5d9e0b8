"""``scrapy report -o report/``: the store as a static site, to open in a browser.

Reads the database ``WIRETRACE_DB`` names and writes an overview (articles per outlet by
origin, each outlet's share of agency copy per week), the flow of copy from agencies through
their relays to the outlets, one page per article (its chain, the evidence marked where it
was found, photo credits, versions and diffs, the WARC record) and one per story. The folder
needs no server and makes no request: open ``report/index.html``. See ``docs/report.md``.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.common import fail, open_command_store
from crawler.paths import project_root


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # reads the database; nothing is crawled
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "-o FOLDER [--no-stories]"

    def short_desc(self) -> str:
        return "Write a static web report of the stored articles and their provenance"

    def long_desc(self) -> str:
        return (
            "Write a self-contained static site into FOLDER (replaced if it holds an "
            "earlier report; refused if it holds anything else): the overview, the flow "
            "graph from agencies to outlets, one page per article with its evidence marked "
            "in the text, and one per story. No server or network is needed to view it: "
            "open FOLDER/index.html. The database is the WIRETRACE_DB setting "
            "(-s WIRETRACE_DB=path). --no-stories skips grouping articles into stories."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group(title="Report")
        group.add_argument(
            "-o",
            "--output",
            metavar="FOLDER",
            dest="output",
            help="folder to write the report into (e.g. report/)",
        )
        group.add_argument(
            "--no-stories",
            action="store_false",
            dest="stories",
            help="leave out the story pages (clustering a large store takes a while)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument(s): {' '.join(args)}")
        if not opts.output:
            raise UsageError("give the folder to write with -o FOLDER")
        from crawler.report import build_report
        from crawler.report.site import ReportError

        assert self.settings is not None
        store = open_command_store(self.settings, "report", self)
        if store is None:
            return
        out = Path(opts.output)
        started = time.monotonic()
        try:
            pages = build_report(
                store,
                out,
                database=Path(str(self.settings.get("WIRETRACE_DB"))).name,
                with_stories=opts.stories,
                warc_dir=warc_folder(self.settings.get("WIRETRACE_WARC_DIR")),
            )
        except ReportError as exc:
            fail(self, "report", str(exc))
            return
        except sqlite3.Error as exc:
            fail(self, "report", f"cannot read the wiretrace database: {exc}")
            return
        except OSError as exc:
            fail(self, "report", f"cannot write {out}: {exc}")
            return
        finally:
            store.close()
        seconds = time.monotonic() - started
        print(f"report: wrote {pages} pages to {out} in {seconds:.1f} s; open {out / 'index.html'}")


def warc_folder(setting: object) -> str | None:
    """``WIRETRACE_WARC_DIR`` as the article pages' ``warcio extract`` commands name it:
    from the project folder when it is inside it (the default shows as ``data/warc``),
    else as set; None when archiving is off (empty)."""
    if not setting:
        return None
    folder = Path(str(setting))
    try:
        return str(folder.resolve().relative_to(project_root().resolve()))
    except ValueError:
        return str(folder)
