"""``scrapy provenance``: what the stored articles were copied from, one line per article.

Reads the database ``WIRETRACE_DB`` names (``-s WIRETRACE_DB=...`` to pick another) and
prints, for each article's latest version::

    cvn        Xinhua → VNA → Le Courrier du Vietnam  (credit_line)  https://...
               photo: AFP → VNA → Le Courrier du Vietnam
    lagazette  La Gazette  (own)  https://...
               cited: KCNA

``--prov-json FILE`` writes the same selection as W3C PROV-JSON instead (``-`` for stdout).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.common import fail, open_command_store
from crawler.provenance.prov import prov_json
from crawler.registry import Registry, load_registry
from crawler.storage import DATABASE_ERRORS, Store

ARROW = " → "
SAME_HOP = " + "


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # reads the database; nothing is crawled

    def syntax(self) -> str:
        return "[--outlet ID] [--agency ID] [--url URL] [--prov-json FILE]"

    def short_desc(self) -> str:
        return "Show where each stored article's copy came from"

    def long_desc(self) -> str:
        return (
            "Print one line per stored article (its latest version): outlet, the copy's chain "
            "from origin to publisher, what the chain rests on, and the URL; cited sources "
            "and photo credits follow, indented. Filters combine. The database is the "
            "WIRETRACE_DB setting (-s WIRETRACE_DB=path). --prov-json FILE writes the "
            "selection as W3C PROV-JSON instead ('-' writes it to stdout)."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group(title="Selection and output")
        group.add_argument("--outlet", metavar="ID", help="only articles of this outlet")
        group.add_argument(
            "--agency",
            metavar="ID",
            help="only articles whose chain, citations or photo credits name this registry id",
        )
        group.add_argument("--url", metavar="URL", help="only the article at this URL")
        group.add_argument(
            "--prov-json",
            metavar="FILE",
            dest="prov_json",
            help="write the selection as PROV-JSON to FILE ('-' for stdout) instead of lines",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument(s): {' '.join(args)}; use --url URL")
        assert self.settings is not None
        target = self.settings.get("WIRETRACE_DB")
        store = open_command_store(self.settings, "provenance", self)
        if store is None:
            return
        try:
            records = list(store.provenance(outlet=opts.outlet, agency=opts.agency, url=opts.url))
            if opts.prov_json:
                self._write_prov(store, records, opts.prov_json, opts)
            elif not records:
                print(_no_match(opts))
            else:
                print("\n".join(format_records(records, load_registry())))
        except DATABASE_ERRORS as exc:
            self._fail(f"cannot read the wiretrace database {target}: {exc}")
        finally:
            store.close()

    def _write_prov(
        self,
        store: Store,
        records: list[dict[str, Any]],
        destination: str,
        opts: argparse.Namespace,
    ) -> None:
        """Each record with its versions (so revisions are exported too), as one document."""
        for record in records:
            record["versions"] = [
                {key: v[key] for key in ("id", "text_sha256", "first_seen")}
                for v in store.versions(record["url"])
            ]
        text = prov_json(records)
        report = sys.stderr if destination == "-" else sys.stdout
        if not records:
            print(_no_match(opts), file=report)
        if destination == "-":
            sys.stdout.write(text + "\n")
        else:
            path = Path(destination)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                self._fail(f"cannot write {destination}: {exc}")
                return
        count = len(records)
        print(
            f"wrote PROV-JSON of {count} article{'s' if count != 1 else ''} to {destination}",
            file=report,
        )

    def _fail(self, message: str) -> None:
        fail(self, "provenance", message)


def format_records(records: Sequence[Mapping[str, Any]], registry: Registry) -> list[str]:
    """The printed lines: outlets padded to one width, details indented under the chain."""
    width = max(len(str(r.get("outlet") or "")) for r in records)
    indent = " " * (width + 2)
    lines = []
    for record in records:
        chain = chain_text(record.get("chain") or (), registry) or "(no chain)"
        basis = record.get("basis") or "unknown"
        lines.append(f"{record.get('outlet') or '':<{width}}  {chain}  ({basis})  {record['url']}")
        cited = [display_name(str(c), registry) for c in record.get("cited") or ()]
        if cited:
            lines.append(f"{indent}cited: {', '.join(dict.fromkeys(cited))}")
        for media in record.get("media") or ():
            if not isinstance(media, Mapping):
                continue
            photo = chain_text(media.get("chain") or (), registry)
            if not photo:
                photo = f'"{media.get("credit") or ""}" (no agency identified)'
            lines.append(f"{indent}photo: {photo}")
    return lines


def chain_text(chain: Iterable[Iterable[Any]], registry: Registry) -> str:
    """``Xinhua → VNA → Le Courrier du Vietnam``; sources of one hop joined with `` + ``."""
    hops = [SAME_HOP.join(display_name(str(i), registry) for i in hop) for hop in chain]
    return ARROW.join(hop for hop in hops if hop)


def display_name(agency_id: str, registry: Registry) -> str:
    """The registry's name; ids it does not hold (a site's domain, ``unknown:...``) as they are."""
    return registry.get(agency_id).name if agency_id in registry else agency_id


def _no_match(opts: argparse.Namespace) -> str:
    filters = [
        f"--{name.replace('_', '-')} {value}"
        for name in ("outlet", "agency", "url")
        if (value := getattr(opts, name, None))
    ]
    if filters:
        return f"no stored articles match {' '.join(filters)}"
    return "no stored articles match: the database holds no articles yet"
