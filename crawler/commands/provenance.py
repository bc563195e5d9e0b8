"""``scrapy provenance``: what the stored articles were copied from, one line per article.

Reads the database ``WIRETRACE_DB`` names (``-s WIRETRACE_DB=...`` to pick another) and
prints, for each article's latest version::

    cvn        Xinhua → VNA → Le Courrier du Vietnam  (credit_line)  https://...
               photo: AFP → VNA → Le Courrier du Vietnam
    lagazette  La Gazette  (own)  https://...
               cited: KCNA

``--prov-json FILE`` writes the same selection as W3C PROV-JSON instead (``-`` for stdout).
``--unresolved`` lists instead the source names the evidence gives that no registry entry
matched, most common first, so that one alias in ``crawler/data/agencies.toml`` resolves
every article that names it (docs/registry.md)::

    articles  name               found in     example
           3  Agence XYZ         credit_line  https://...
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.common import fail, open_command_store
from crawler.commands.formatting import chain_text, display_name
from crawler.provenance.prov import prov_json
from crawler.registry import Registry, load_registry
from crawler.storage import DATABASE_ERRORS, Store


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # reads the database; nothing is crawled

    def syntax(self) -> str:
        return (
            "[--outlet ID] [--agency ID] [--url URL] [--prov-json FILE]"
            " | --unresolved [--outlet ID] [--limit N]"
        )

    def short_desc(self) -> str:
        return "Show where each stored article's copy came from"

    def long_desc(self) -> str:
        return (
            "Print one line per stored article (its latest version): outlet, the copy's chain "
            "from origin to publisher, what the chain rests on, and the URL; cited sources "
            "and photo credits follow, indented. Filters combine. The database is the "
            "WIRETRACE_DB setting (-s WIRETRACE_DB=path). --prov-json FILE writes the "
            "selection as W3C PROV-JSON instead ('-' writes it to stdout). --unresolved lists "
            "the source names the stored evidence gives that no registry entry matched, most "
            "common first, with how many articles name each and an example URL: add one as "
            "an alias in crawler/data/agencies.toml and every such article resolves."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group(title="Selection and output")
        group.add_argument("--outlet", metavar="ID", help="only articles of this outlet")
        group.add_argument(
            "--agency",
            metavar="ID",
            help="only articles whose chain, citations or photo credits name this agency "
            "(its registry id, name or an alias: xinhua, Xinhua, Chine nouvelle)",
        )
        group.add_argument("--url", metavar="URL", help="only the article at this URL")
        group.add_argument(
            "--prov-json",
            metavar="FILE",
            dest="prov_json",
            help="write the selection as PROV-JSON to FILE ('-' for stdout) instead of lines",
        )
        group.add_argument(
            "--unresolved",
            action="store_true",
            help="list the source names no registry entry matched, most common first",
        )
        group.add_argument(
            "--limit",
            metavar="N",
            type=int,
            default=50,
            help="with --unresolved: at most N names (default 50; 0 for all)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument(s): {' '.join(args)}; use --url URL")
        if opts.unresolved and (opts.agency or opts.url or opts.prov_json):
            raise UsageError(
                "--unresolved lists names, not articles: combine it with --outlet only"
            )
        if opts.limit < 0:
            raise UsageError(f"--limit must be 0 or more, got {opts.limit}")
        assert self.settings is not None
        target = self.settings.get("WIRETRACE_DB")
        store = open_command_store(self.settings, "provenance", self)
        if store is None:
            return
        try:
            if opts.unresolved:
                rows = store.unresolved(outlet=opts.outlet, limit=opts.limit or None)
                print("\n".join(format_unresolved(rows, opts.outlet)))
                return
            agency = resolve_agency(opts.agency, load_registry()) if opts.agency else None
            records = list(store.provenance(outlet=opts.outlet, agency=agency, url=opts.url))
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


def format_unresolved(rows: Sequence[Mapping[str, Any]], outlet: str | None = None) -> list[str]:
    """The ``--unresolved`` table: articles, name, evidence kinds, an example URL; then how
    to resolve one. A name is quoted when spaces at its ends would otherwise be lost."""
    if not rows:
        where = f" of outlet {outlet}" if outlet else ""
        return [f"no unresolved source names: every source the stored articles{where} name is "
                "in the registry"]  # fmt: skip
    names = [_shown(str(r["name"])) for r in rows]
    kinds = [",".join(r.get("kinds") or ()) or "-" for r in rows]
    name_width = max(len("name"), *(len(n) for n in names))
    kind_width = max(len("found in"), *(len(k) for k in kinds))
    lines = [f"articles  {'name':<{name_width}}  {'found in':<{kind_width}}  example"]
    for row, name, kind in zip(rows, names, kinds, strict=True):
        lines.append(
            f"{row['articles']:>8}  {name:<{name_width}}  {kind:<{kind_width}}  {row['example']}"
        )
    lines.append(
        "to resolve a name, add it to the aliases of its entry in crawler/data/agencies.toml "
        "(or add the agency; see docs/registry.md), then re-run the crawl or replay"
    )
    return lines


def _shown(name: str) -> str:
    return name if name == name.strip() and name else repr(name)


def resolve_agency(given: str, registry: Registry) -> str:
    """The registry id ``--agency`` means: an id as given, else the agency a name or alias
    names (``Xinhua``, ``Chine nouvelle`` → ``xinhua``); unknown words are kept (no match)."""
    if given in registry:
        return given
    if given.lower() in registry:
        return given.lower()
    return registry.resolve(given) or given


def _no_match(opts: argparse.Namespace) -> str:
    filters = [
        f"--{name.replace('_', '-')} {value}"
        for name in ("outlet", "agency", "url")
        if (value := getattr(opts, name, None))
    ]
    if filters:
        return f"no stored articles match {' '.join(filters)}"
    return "no stored articles match: the database holds no articles yet"
