"""``scrapy reuse``: which stored articles share their text, and the chains that follow.

Wire copy is often republished with no credit line at all, so the page alone says "own
reporting". Comparing the stored texts finds it: an article whose text is mostly an earlier
article's takes that article's chain, with its own outlet as the last hop (basis
``text_reuse``). Reads and writes the database ``WIRETRACE_DB`` names, and prints one block
per pair of articles sharing text, the earlier one on the left (URLs shortened here)::

    97%  ←  100%  https://lecourrier.vn/… (cvn, 2023-09-13)  →  https://…/b (b.example, 2023-09-14)
        a[0:236] b[0:236]  41 words  "Au cosmodrome Vostotchny situé dans l'oblast de l'Amour, d…"

    inferred: https://…/b  Xinhua → VNA → Le Courrier du Vietnam → b.example  (text_reuse)

The first figure is how much of the left article's text is found in the right one, the
second how much of the right one's text comes from the left one. Each run replaces the
stored pairs (``reuse`` table) with what it finds in the current store; a chain stated by a
credit line is never replaced. ``--json`` prints the pairs and inferences as JSON instead.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.common import fail, open_command_store
from crawler.commands.formatting import chain_text, published_date, snippet
from crawler.registry import Registry, load_registry
from crawler.reuse.run import Report, detect_and_apply, report_json
from crawler.storage import DATABASE_ERRORS

if TYPE_CHECKING:
    from crawler.reuse.infer import Inferred

INDENT = "    "


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # reads and writes the database; nothing is crawled

    def syntax(self) -> str:
        return "[--min-share FRACTION] [--most FRACTION] [--json]"

    def short_desc(self) -> str:
        return "Find stored articles that reuse each other's text and infer their chains"

    def long_desc(self) -> str:
        return (
            "Compare the latest text of every stored article with every other, store the "
            "pairs that share at least --min-share of either text (replacing the pairs of "
            "the previous run), and give an article whose text comes mostly (--most) from "
            "an earlier one that article's chain with its own outlet as the last hop "
            "(basis text_reuse; a credit line is never overridden). Prints each pair with "
            "its shared passages, then the chains inferred. The database is the "
            "WIRETRACE_DB setting (-s WIRETRACE_DB=path). --json prints JSON instead."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group(title="Detection and output")
        group.add_argument(
            "--min-share",
            metavar="FRACTION",
            type=float,
            default=0.3,
            dest="min_share",
            help="keep pairs sharing at least this part of either text (default 0.3)",
        )
        group.add_argument(
            "--most",
            metavar="FRACTION",
            type=float,
            default=0.5,
            help="an article whose text is at least this much an earlier one's takes its "
            "chain (default 0.5)",
        )
        group.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="print the pairs and the inferred chains as one JSON object",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument(s): {' '.join(args)}")
        for name in ("min_share", "most"):
            value = getattr(opts, name)
            if not 0 < value <= 1:
                flag = "--" + name.replace("_", "-")
                raise UsageError(f"{flag} must be a fraction above 0 and at most 1, got {value}")
        assert self.settings is not None
        store = open_command_store(self.settings, "reuse", self)
        if store is None:
            return
        try:
            report = detect_and_apply(store, min_share=opts.min_share, most=opts.most)
        except DATABASE_ERRORS as exc:
            fail(self, "reuse", f"cannot use the wiretrace database: {exc}")
            return
        finally:
            store.close()
        if opts.as_json:
            print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
        else:
            print("\n".join(format_report(report, load_registry())))


def format_report(report: Report, registry: Registry) -> list[str]:
    """Header, one block per pair (earlier article on the left), then the inferred chains."""
    share = f"{report.min_share:.0%}"
    noun = "article" if report.articles == 1 else "articles"
    if not report.pairs:
        return [f"no text reuse among {report.articles} {noun} (min share {share})"]
    count = len(report.pairs)
    lines = [
        f"{count} pair{'s' if count != 1 else ''} of articles sharing text, "
        f"among {report.articles} {noun} (min share {share})"
    ]
    for pair in report.pairs:
        lines += ["", *format_pair(pair, report.texts)]
    lines.append("")
    if not report.inferred:
        lines.append("no chain inferred")
    for found, applied in report.inferred:
        lines.append(format_inferred(found, applied, report.basis.get(found.url), registry))
    return lines


def oriented(pair: Mapping[str, Any]) -> tuple[str, str, bool]:
    """("a"/"b" on the left, the other, whether the left one is known to be earlier)."""
    if pair.get("earlier") == pair["b"]:
        return "b", "a", True
    return "a", "b", pair.get("earlier") == pair["a"]


def format_pair(pair: Mapping[str, Any], texts: Mapping[str, str]) -> list[str]:
    """``87%  ←  92%  https://a (cvn, 2023-09-13)  →  https://b (...)`` and its passages."""
    left, right, directed = oriented(pair)
    arrow = "→" if directed else "↔"
    head = (
        f"{pair[f'share_{left}']:.0%}  ←  {pair[f'share_{right}']:.0%}  "
        f"{_described(pair, left)}  {arrow}  {_described(pair, right)}"
    )
    lines = [head]
    text = texts.get(pair[left], "")
    for passage in pair.get("passages") or ():
        start, end = passage[f"{left}_start"], passage[f"{left}_end"]
        other = f"{right}[{passage[f'{right}_start']}:{passage[f'{right}_end']}]"
        lines.append(
            f"{INDENT}{left}[{start}:{end}] {other}  {passage['words']} words  "
            f'"{snippet(text[start:end])}"'
        )
    return lines


def _described(pair: Mapping[str, Any], end: str) -> str:
    return (
        f"{pair[end]} ({pair.get(f'{end}_outlet')}, {published_date(pair.get(f'{end}_published'))})"
    )


def format_inferred(found: Inferred, applied: bool, before: str | None, registry: Registry) -> str:
    """One line per inference: the chain applied, evidence only, or a credit line kept."""
    source = found.evidence.get("source_url") if isinstance(found.evidence, Mapping) else None
    if not applied:
        why = "a credit line outranks text reuse" if before == "credit_line" else "not stored"
        return f"kept:     {found.url}  ({before or 'unknown'}: {why})"
    if not found.chain:
        # The direction is unclear, the source's origin unknown, or the page states its own.
        said = found.evidence.get("text") if isinstance(found.evidence, Mapping) else None
        what = str(said or (f"shares text with {source}" if source else "shares text"))
        return f"evidence: {found.url}  {what}; chain kept ({found.basis})"
    return f"inferred: {found.url}  {chain_text(found.chain, registry)}  ({found.basis})"
