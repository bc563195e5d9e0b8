"""Every setting wiretrace adds to Scrapy's, with its default and meaning: the one list the
documentation's settings reference is rendered from (``docs/hooks/settings.py``).

A test scans ``crawler/`` for ``WIRETRACE_*`` names and fails when one is missing here, and
checks that the defaults ``crawler/settings.py`` sets are the ones written here, so the page
cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.paths import in_project

__all__ = ["SETTINGS", "Setting", "by_name", "markdown_table"]

#: Shown when a setting has no value at all by default (the feature is off until set).
UNSET = "(unset)"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    meaning: str
    #: The page (``docs/<page>``) that explains the setting in context.
    page: str
    #: How the default reads when its Python value would say less (a computed default).
    shown: str | None = None

    def default_text(self) -> str:
        if self.shown is not None:
            return self.shown
        if self.default is None:
            return UNSET
        if isinstance(self.default, str):
            return f'`"{self.default}"`'
        return f"`{self.default!r}`"


SETTINGS: tuple[Setting, ...] = (
    # -- what to crawl ---------------------------------------------------------------------
    Setting(
        "REPLAY_FROM",
        None,
        "Replay instead of fetching: a fixtures folder, a `.warc`/`.warc.gz` file or a folder "
        "of WARC files. Unset means a live crawl. Turns AutoThrottle, download delays and "
        "incremental crawling off.",
        "replay.md",
    ),
    Setting(
        "WIRETRACE_SEEDS_DIR",
        None,
        "Folder of the seed lists (`<spider>.txt`). Give an absolute path under scrapyd.",
        "spiders.md",
        shown="`seeds/` beside `scrapy.cfg`",
    ),
    Setting(
        "WIRETRACE_MIN_WORDS",
        30,
        "Words of prose (lines of five words or more that carry punctuation; two CJK "
        "characters count as a word) the main text needs for a page to be an article; "
        "a page with fewer is skipped as `not_article`. Must be 0 or more.",
        "extraction.md",
    ),
    Setting(
        "WIRETRACE_REPLAY_INDEX_DIR",
        in_project("data/replay-index"),
        "Where replay remembers what each saved file holds (by size and modification time), "
        "so a restart over a large `REPLAY_FROM` folder reads only what changed. Empty: read "
        "everything at every start.",
        "generic-spider.md",
        shown="`data/replay-index` beside `scrapy.cfg`",
    ),
    # -- live crawling ---------------------------------------------------------------------
    Setting(
        "WIRETRACE_HOST_MAP",
        {},
        "Exact host names mapped to a base URL to download their pages from instead "
        '(`{"lecourrier.vn": "http://127.0.0.1:8080"}`); the crawl keeps the outlet\'s URLs.',
        "live.md",
        shown="`{}`",
    ),
    Setting(
        "WIRETRACE_HOST_MAP_STRICT",
        False,
        "Refuse every request for a host that is not in `WIRETRACE_HOST_MAP` "
        "(stat `wiretrace/host_map/refused`) instead of letting it reach the network.",
        "live.md",
    ),
    Setting(
        "WIRETRACE_SKIP_TRUNCATED",
        True,
        "Skip pages with no closing `</body>`/`</html>` as `truncated`; `False` keeps them.",
        "replay.md",
    ),
    # -- storage ---------------------------------------------------------------------------
    Setting(
        "WIRETRACE_DB",
        in_project("data/wiretrace.sqlite"),
        "The database: a SQLite file, created on first run. Empty: articles go to feeds "
        "only (the store pipeline is off).",
        "storage.md",
        shown="`data/wiretrace.sqlite` beside `scrapy.cfg`",
    ),
    Setting(
        "WIRETRACE_DB_BUSY_TIMEOUT",
        None,
        "Seconds one SQLite write waits for another process's lock before it tries again "
        "(SQLite's busy timeout).",
        "storage.md",
        shown="`30`",
    ),
    Setting(
        "WIRETRACE_DB_LOCK_WAIT",
        600,
        "Seconds a save keeps retrying, saying so in the log, while another crawl holds the "
        "database's write lock; past that the crawl stops and exits non-zero.",
        "storage.md",
    ),
    Setting(
        "WIRETRACE_DB_COMMIT_EVERY",
        100,
        "Articles committed together (each save stays atomic). `1` commits each article on "
        "its own.",
        "storage.md",
    ),
    Setting(
        "WIRETRACE_DB_COMMIT_SECONDS",
        1.0,
        "Longest wait, in seconds, before saved articles are committed.",
        "storage.md",
    ),
    Setting(
        "WIRETRACE_REDIS_URL",
        "",
        "Shared crawl: `redis://host:6379/0` makes every worker given the same URL (and crawl "
        "id) take requests from one queue with one duplicate filter. Empty: the crawl runs "
        "alone.",
        "deployment.md",
    ),
    Setting(
        "WIRETRACE_CRAWL_ID",
        "",
        "Names the shared queue and duplicate filter in Redis, so two shared crawls do not "
        "mix. Empty: `crawl`.",
        "deployment.md",
    ),
    Setting(
        "WIRETRACE_REDIS_HEARTBEAT",
        0.5,
        'Seconds between a worker\'s "still here" in Redis, which keeps idle workers waiting '
        "while another is busy.",
        "deployment.md",
    ),
    Setting(
        "WIRETRACE_REDIS_WORKER_TIMEOUT",
        15.0,
        "Seconds of silence after which a worker counts as gone (killed); what it had taken "
        "is fetched by the next scheduled run.",
        "deployment.md",
    ),
    # -- archive ---------------------------------------------------------------------------
    Setting(
        "WIRETRACE_WARC_DIR",
        in_project("data/warc"),
        "Folder of the WARC files a live crawl writes. Empty turns archiving off; replay "
        "never writes one.",
        "archiving.md",
        shown="`data/warc` beside `scrapy.cfg`",
    ),
    Setting(
        "WIRETRACE_MAX_PAGE_BYTES",
        10 * 1024 * 1024,
        "Largest page (decompressed) read as an article; a larger one is skipped and counted "
        "(`too_large`) before any tree is built.",
        "guarantees.md",
    ),
    Setting(
        "WIRETRACE_WARC_MAX_BYTES",
        100 * 1024 * 1024,
        "A new WARC file starts once the current one reaches this size (a request/response "
        "pair is never split).",
        "archiving.md",
        shown="`104857600` (100 MB)",
    ),
    # -- scheduled crawls ------------------------------------------------------------------
    Setting(
        "WIRETRACE_INCREMENTAL",
        None,
        "Skip known articles that are not due for a revisit, and add the due ones to the "
        "start requests. `False` makes a live crawl fetch everything.",
        "storage.md",
        shown="`True` live, `False` in replay (set by `crawler.addons.ModeAddon`)",
    ),
    Setting(
        "WIRETRACE_REVISIT_LIMIT",
        500,
        "At most this many due revisits added per crawl, most overdue first (`0`: no limit).",
        "storage.md",
    ),
    Setting(
        "WIRETRACE_REVISIT_FIRST_AFTER",
        3600,
        "Seconds before the first revisit, and after any change of the text.",
        "storage.md",
    ),
    Setting(
        "WIRETRACE_REVISIT_FACTOR",
        2.0,
        "How much the wait grows with each visit that found no change.",
        "storage.md",
    ),
    Setting(
        "WIRETRACE_REVISIT_MAX_INTERVAL",
        7 * 24 * 3600,
        "Longest wait between two visits, in seconds.",
        "storage.md",
        shown="`604800` (7 days)",
    ),
    Setting(
        "WIRETRACE_REVISIT_STOP_AFTER",
        30 * 24 * 3600,
        "No revisit later than this many seconds after the article was first seen.",
        "storage.md",
        shown="`2592000` (30 days)",
    ),
    # -- operations ------------------------------------------------------------------------
    Setting(
        "WIRETRACE_STATS_FILE",
        None,
        "Write the crawl's stats as JSON here when it ends (`%(name)s` is the spider's name), "
        "for cron jobs and dashboards.",
        "scheduled.md",
    ),
    Setting(
        "WIRETRACE_GC_FREEZE",
        True,
        "Freeze the objects that exist when the engine starts, so the garbage collector "
        "never walks them again.",
        "benchmarks.md",
    ),
    Setting(
        "WIRETRACE_GC_THRESHOLD",
        10_000,
        "Collect young objects every this many allocations (Python's default is 700); `0` "
        "leaves the collector as it is.",
        "benchmarks.md",
    ),
    Setting(
        "WIRETRACE_PROGRESS",
        None,
        "An environment variable, not a Scrapy setting: `1` draws progress bars of long "
        "commands (`reuse`, `stories`, `report`, `packwarc`, a WARC index scan) even when "
        "stderr is not a terminal, `0` never draws them. Unset: only at a terminal.",
        "report.md",
    ),
)


def by_name() -> dict[str, Setting]:
    return {s.name: s for s in SETTINGS}


def markdown_table(link_prefix: str = "") -> str:
    """The reference as one Markdown table, in the order above."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        meaning = s.meaning + f" ([more]({link_prefix}{s.page}))"
        rows.append(f"| `{s.name}` | {s.default_text()} | {meaning} |")
    return "\n".join(rows)
