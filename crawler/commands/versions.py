"""``scrapy versions URL``: how one stored article's text changed, version by version.

Reads the database ``WIRETRACE_DB`` names (``-s WIRETRACE_DB=...`` to pick another) and
prints each distinct text the article has had, oldest first, with the diff of its
paragraphs against the text it replaced::

    https://lecourrier.vn/...  2 versions, last seen 2025-05-03T10:00:00+00:00

    version 1  2025-05-01T08:00:00+00:00  sha256 71ec2967c9fd  2 paragraphs  Un titre

    version 2  2025-05-03T10:00:00+00:00  sha256 8f376b6384a5  3 paragraphs  Un titre
        --- 2025-05-01T08:00:00+00:00
        +++ 2025-05-03T10:00:00+00:00
        @@ -1,2 +1,3 @@
         ...
        +Une correction a été ajoutée.

``--json`` prints the versions as a JSON array instead (each with its full text).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.common import fail, open_command_store
from crawler.commands.formatting import printable
from crawler.storage import DATABASE_ERRORS, Store, paragraphs

#: Hex digits of the text digest shown per version: enough to tell an article's versions
#: apart at a glance (the full digest is in --json).
SHORT_HASH = 12
DIFF_INDENT = "    "


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # reads the database; nothing is crawled

    def syntax(self) -> str:
        return "URL [--json]"

    def short_desc(self) -> str:
        return "Show how one stored article's text changed over time"

    def long_desc(self) -> str:
        return (
            "Print every distinct text stored for the article at URL (the URL as crawled, "
            "or the canonical URL its page stated), oldest first: when it was first seen, "
            "a short digest of its text, its paragraph count and title, then the unified "
            "diff of its paragraphs against the text it replaced. The database is the "
            "WIRETRACE_DB setting (-s WIRETRACE_DB=path). --json prints the versions as a "
            "JSON array instead."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group(title="Output")
        group.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="print the versions as a JSON array (full text and diff of each)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one article URL")
        url = args[0]
        assert self.settings is not None
        target = self.settings.get("WIRETRACE_DB")
        store = open_command_store(self.settings, "versions", self)
        if store is None:
            return
        try:
            stored_url, last_seen, versions = _history(store, url)
        except DATABASE_ERRORS as exc:
            self._fail(f"cannot read the wiretrace database {target}: {exc}")
            return
        finally:
            store.close()
        if opts.as_json:
            if not versions:  # stdout stays valid JSON; the note goes to stderr
                print(f"no stored versions of {url}", file=sys.stderr)
            print(json.dumps(versions_json(versions), ensure_ascii=False, indent=2))
        elif not versions:
            print(f"no stored versions of {url}")
        else:
            print("\n".join(format_history(stored_url, versions, last_seen)))

    def _fail(self, message: str) -> None:
        fail(self, "versions", message)


def _history(store: Store, url: str) -> tuple[str, str | None, list[dict[str, Any]]]:
    """The article's stored URL, last sighting and versions; a canonical URL finds it too.

    People paste the address their browser shows, which is often the canonical one rather
    than the link the crawl followed; it is used only when it names a single article.
    """
    records = list(store.provenance(url=url))
    exact = [r for r in records if r.get("url") == url]
    if exact:
        record = exact[0]
    elif len(records) == 1:
        record = records[0]
    else:
        return url, None, []
    stored_url = str(record["url"])
    return stored_url, record.get("last_seen"), store.versions(stored_url)


def format_history(
    url: str, versions: Sequence[Mapping[str, Any]], last_seen: str | None = None
) -> list[str]:
    """The printed lines: a header, then each version's summary line and its indented diff."""
    count = len(versions)
    header = f"{printable(url)}  {count} version{'s' if count != 1 else ''}"
    if last_seen:
        header += f", last seen {last_seen}"
    lines = [header]
    width = len(str(count))
    for number, version in enumerate(versions, start=1):
        n = len(paragraphs(str(version.get("text") or "")))
        title = printable(str(version.get("title") or "(no title)"))
        lines += [
            "",
            f"version {number:>{width}}  {version.get('first_seen')}  "
            f"sha256 {str(version.get('text_sha256') or '')[:SHORT_HASH]}  "
            f"{n} paragraph{'s' if n != 1 else ''}  {title}",
        ]
        diff = version.get("diff")
        if diff:
            lines += [f"{DIFF_INDENT}{printable(line)}" for line in str(diff).split("\n")]
        elif number > 1:  # only a version saved before diffs were kept can lack one
            lines.append(f"{DIFF_INDENT}(no diff stored)")
    return lines


def versions_json(versions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What ``--json`` prints: each version numbered from 1, with its paragraph count."""
    return [
        {
            "version": number,
            "id": version.get("id"),
            "first_seen": version.get("first_seen"),
            "text_sha256": version.get("text_sha256"),
            "title": version.get("title"),
            "paragraphs": len(paragraphs(str(version.get("text") or ""))),
            "diff": version.get("diff"),
            "text": version.get("text"),
        }
        for number, version in enumerate(versions, start=1)
    ]
