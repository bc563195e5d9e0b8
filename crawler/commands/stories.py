"""``scrapy stories``: the stored articles grouped by the event they report, chains side by side.

One event is covered by many outlets, some relaying the same agency copy and some reporting
on their own; seeing them together, each with where its copy came from, is what the
provenance is for. Articles are grouped by ``crawler.reuse.stories.cluster_stories`` (the
names and numbers they mention, within a time window). Reads the database ``WIRETRACE_DB``
names::

    story 1 (3 articles, 2023-09-13 – 2023-09-14)
      leplacentin  2023-09-13  Le Placentin                           Russie: fin des discussions…
      cvn          2023-09-13  Xinhua → VNA → Le Courrier du Vietnam  Vladimir Poutine et Kim Jong…
      b.example    2023-09-14  Xinhua → VNA → Le Courrier du Vietnam → b.example  (text reuse)  Vla…

Stories come in the order of their first article, and articles by publication time. Dates
are as the pages state them (their own time zone). ``--json`` prints the stories as JSON.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.common import fail, open_command_store
from crawler.commands.formatting import chain_text, printable, published_date
from crawler.registry import Registry, load_registry
from crawler.storage import DATABASE_ERRORS, Store

#: Characters of a headline shown in the text output (the JSON has it whole).
TITLE_WIDTH = 70


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # reads the database; nothing is crawled

    def syntax(self) -> str:
        return "[--window-hours H] [--threshold T] [--min-articles N] [--json]"

    def short_desc(self) -> str:
        return "Group the stored articles by story, with each one's provenance chain"

    def long_desc(self) -> str:
        return (
            "Cluster the stored articles (latest texts) into stories: articles published "
            "within --window-hours of each other that mention enough of the same names "
            "and numbers (--threshold). Prints each story with its articles one per line: outlet, "
            "publication date, provenance chain and headline. Stories with fewer than "
            "--min-articles articles are left out. The database is the WIRETRACE_DB "
            "setting (-s WIRETRACE_DB=path). --json prints the stories as JSON instead."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group(title="Clustering and output")
        group.add_argument(
            "--window-hours",
            metavar="H",
            type=float,
            default=72.0,
            dest="window_hours",
            help="articles further apart in time are never one story (default 72)",
        )
        group.add_argument(
            "--threshold",
            metavar="T",
            type=float,
            default=0.15,
            help="similarity of two articles' names needed to join one story (default 0.15)",
        )
        group.add_argument(
            "--min-articles",
            metavar="N",
            type=int,
            default=2,
            dest="min_articles",
            help="leave out stories with fewer articles (default 2: a story has at least two)",
        )
        group.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="print the stories as a JSON array",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument(s): {' '.join(args)}")
        if opts.window_hours <= 0:
            raise UsageError(f"--window-hours must be above 0, got {opts.window_hours}")
        if not 0 <= opts.threshold <= 1:
            raise UsageError(f"--threshold must be from 0 to 1, got {opts.threshold}")
        if opts.min_articles < 2:
            raise UsageError(f"--min-articles must be at least 2, got {opts.min_articles}")
        assert self.settings is not None
        store = open_command_store(self.settings, "stories", self)
        if store is None:
            return
        try:
            stories, total = find_stories(
                store, window_hours=opts.window_hours, threshold=opts.threshold
            )
        except DATABASE_ERRORS as exc:
            fail(self, "stories", f"cannot read the wiretrace database: {exc}")
            return
        finally:
            store.close()
        stories = [s for s in stories if len(s) >= opts.min_articles]
        if opts.as_json:
            print(json.dumps(stories_json(stories), ensure_ascii=False, indent=2))
        elif not total:
            print("no stories: the database holds no articles")
        else:
            lines = format_stories(stories, load_registry())
            alone = total - sum(len(story) for story in stories)
            if lines and alone:
                lines.append("")
            if alone:
                noun = "article is" if alone == 1 else "articles are"
                lines.append(f"{alone} {noun} in no story" + _filtered(opts))
            print("\n".join(lines))


def _filtered(opts: argparse.Namespace) -> str:
    return f" of {opts.min_articles} or more" if opts.min_articles > 2 else ""


def find_stories(
    store: Store, *, window_hours: float, threshold: float
) -> tuple[list[list[dict[str, Any]]], int]:
    """The stories, each a list of article records (provenance plus language), in order,
    and how many articles were clustered.

    Articles come by publication time (undated ones last) and stories by their first
    article, so the output reads as a timeline. An article like no other is in no story
    (``cluster_stories`` gives groups of two or more).
    """
    # Imported here, not at the top: Scrapy imports every command on each start.
    from crawler.reuse.detect import Doc
    from crawler.reuse.stories import cluster_stories

    languages: dict[str, Any] = {}

    def docs() -> Iterator[Doc]:
        """The stored texts one at a time: clustering keeps their names, not the texts."""
        for row in store.reuse_docs():
            languages[str(row["url"])] = row.get("language")
            yield Doc(
                key=str(row["url"]),
                text=str(row["text"] or ""),
                outlet=str(row["outlet"]),
                published=row.get("published"),
                language=row.get("language"),
            )

    clusters = cluster_stories(docs(), window_hours=window_hours, threshold=threshold)
    wanted = {key for keys in clusters for key in keys}
    records = {str(r["url"]): r for r in store.provenance() if str(r["url"]) in wanted}
    stories = []
    for keys in clusters:
        articles = [
            {**records[key], "language": languages.get(key)} for key in keys if key in records
        ]
        if articles:
            stories.append(sorted(articles, key=_when))
    return sorted(stories, key=lambda story: _when(story[0])), len(languages)


def _when(record: Mapping[str, Any]) -> tuple[int, datetime, str]:
    """Sort key: dated articles by their UTC time, then undated ones, then by URL."""
    moment = _moment(record.get("published"))
    if moment is None:
        return (1, datetime.max.replace(tzinfo=UTC), str(record.get("url")))
    return (0, moment, str(record.get("url")))


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def date_range(story: Sequence[Mapping[str, Any]]) -> str:
    """``2023-09-13 – 2023-09-14`` from the first and last dated articles (stated dates)."""
    dated = [r for r in story if _moment(r.get("published")) is not None]
    if not dated:
        return "no dates"
    first, last = published_date(dated[0]["published"]), published_date(dated[-1]["published"])
    return first if first == last else f"{first} – {last}"


def chain_shown(record: Mapping[str, Any], registry: Registry) -> str:
    """The chain with display names; one inferred from shared text says so."""
    chain = chain_text(record.get("chain") or (), registry) or "(no chain)"
    return f"{chain}  (text reuse)" if record.get("basis") == "text_reuse" else chain


def format_stories(stories: Sequence[Sequence[Mapping[str, Any]]], registry: Registry) -> list[str]:
    """Each story's header, then its articles in aligned columns (one width for all)."""
    rows = [r for story in stories for r in story]
    if not rows:
        return []
    outlet_width = max(len(str(r.get("outlet") or "")) for r in rows)
    chain_width = max(len(chain_shown(r, registry)) for r in rows)
    lines: list[str] = []
    for number, story in enumerate(stories, start=1):
        if lines:
            lines.append("")
        count = len(story)
        lines.append(
            f"story {number} ({count} article{'s' if count != 1 else ''}, {date_range(story)})"
        )
        for record in story:
            lines.append(
                f"  {record.get('outlet') or ''!s:<{outlet_width}}"
                f"  {published_date(record.get('published')):<10}"
                f"  {chain_shown(record, registry):<{chain_width}}"
                f"  {_title(record.get('title'))}"
            )
    return lines


def _title(value: Any) -> str:
    title = printable(" ".join(str(value or "(no title)").split()))
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1].rstrip() + "…"


def stories_json(stories: Sequence[Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """What ``--json`` prints: each story numbered, its span and its articles."""
    keys = ("url", "outlet", "published", "language", "title", "chain", "basis")
    result = []
    for number, story in enumerate(stories, start=1):
        dated = [r["published"] for r in story if _moment(r.get("published")) is not None]
        result.append(
            {
                "story": number,
                "first": dated[0] if dated else None,
                "last": dated[-1] if dated else None,
                "articles": [{key: record.get(key) for key in keys} for record in story],
            }
        )
    return result
