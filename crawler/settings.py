"""Scrapy settings for wiretrace: only what differs from Scrapy's defaults.

Live versus replay is decided by ``crawler.addons.ModeAddon`` from ``REPLAY_FROM``, so the
same settings serve both and no setting here has to be flipped by hand.
"""

from __future__ import annotations

from crawler.items import EXPORT_FIELDS
from crawler.paths import in_project

BOT_NAME = "wiretrace"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Identify ourselves: outlets should know who is reading them and why.
USER_AGENT = "wiretrace/0.1 (news provenance research crawler; operators: put a contact URL here)"
ROBOTSTXT_OBEY = True

ADDONS = {
    "crawler.addons.ModeAddon": 0,
    # file:// and data: URLs at local speed: no delay, no robots.txt, no retries
    "crawler.addons.LocalInputAddon": 10,
    # WIRETRACE_REDIS_URL set: N workers share one crawl (crawler/distributed.py)
    "crawler.distributed.DistributedAddon": 20,
}

# INFO: what a crawl did and why it skipped what it skipped; DEBUG logs every request and
# every item (hundreds of lines for five articles, a 50 MB page logged whole).
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    # Runs after retries and redirects are settled, on the response the spider would see.
    "crawler.middlewares.guard.ResponseGuard": 540,
    # Scrapy's decompression, with a body that inflates past DOWNLOAD_MAXSIZE counted.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.compression.CountedDecompression": 590,
    # Next to the downloader, so it archives each response as it came off the wire: before
    # decompression (590), redirects (600) and retries (550) make anything of it.
    "crawler.middlewares.archive.WarcCapture": 960,
    # Scrapy's cookies with tldextract's bundled suffix list: its own fetches it online.
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.middlewares.cookies.OfflineCookiesMiddleware": 700,
}

SPIDER_MIDDLEWARES = {
    # Logs and counts what page_tree repaired (control characters, too deep a page).
    "crawler.middlewares.repairs.PageRepairs": 940,
    # Scheduled crawls: due revisits after the start requests, known articles not fetched
    # again until due. Next to the spider, so its requests pass every other middleware.
    "crawler.middlewares.revisits.RevisitsMiddleware": 950,
}

# A page bigger than this once decompressed is skipped (and counted) before a tree is built:
# extraction needs some 40 times a page's size in memory. Scrapy stops downloading, or
# decompressing (a gzip bomb), anything past DOWNLOAD_MAXSIZE, a little above it.
WIRETRACE_MAX_PAGE_BYTES = 10 * 1024 * 1024
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# A body cut short by the server reaches the archive (kept with WARC-Truncated: disconnect)
# and the guard, which skips it as truncated, instead of vanishing in the download handler.
DOWNLOAD_FAIL_ON_DATALOSS = False

ITEM_PIPELINES = {
    "crawler.pipelines.validate.ValidatePipeline": 100,
    "crawler.pipelines.extract.ExtractPipeline": 200,
    "crawler.pipelines.provenance.ProvenancePipeline": 300,
    "crawler.pipelines.store.StorePipeline": 900,
}

EXTENSIONS = {
    # Before the feed exporter: decides whether the job failed, which the feed storage and
    # the crawl commands (exit code) read.
    "crawler.extensions.outcome.JobOutcome": -10,
    # A robots.txt download error in one line, without Twisted's traceback.
    "crawler.extensions.quietlog.QuietDownloadErrors": 0,
    # Scrapy's per-page DEBUG lines not built at all below DEBUG.
    "crawler.extensions.pagelogs.PageLogLevel": 0,
    # Before the stats file, which is written when the spider closes: the frozen-object count
    # is taken then too.
    "crawler.extensions.gcfreeze.GcFreeze": 490,
    "crawler.extensions.statsfile.StatsFile": 500,
}
# Freeze what the crawl built before it starts and collect young objects every 10,000
# allocations instead of 700 (see crawler/extensions/gcfreeze.py).
WIRETRACE_GC_FREEZE = True
WIRETRACE_GC_THRESHOLD = 10_000

# Scrapy's HTTP/1.1 handler, plus WIRETRACE_HOST_MAP: point an outlet's host at another server
# (a local test server, a mirror) while every URL the crawl sees stays the outlet's own; see
# crawler/hostmap.py. With the map empty (the default) it is exactly Scrapy's handler.
DOWNLOAD_HANDLERS = {
    "http": "crawler.hostmap.HostMapDownloadHandler",
    "https": "crawler.hostmap.HostMapDownloadHandler",
}
# {"lecourrier.vn": "http://127.0.0.1:8080", ...}; keys are exact host names (map www. too).
WIRETRACE_HOST_MAP: dict[str, str] = {}
# True: a request for a host not in the map is refused instead of going to the network.
WIRETRACE_HOST_MAP_STRICT = False

# Where stored articles go (SQLite file beside scrapy.cfg, created on first run; or postgresql://user@host/db
# for a store shared by several workers, see docs/deployment.md).
WIRETRACE_DB = in_project("data/wiretrace.sqlite")

# Shared crawl (docs/deployment.md): empty runs alone; redis://host:6379/0 makes every worker
# given the same URL (and crawl id) take requests from one queue with one duplicate filter.
WIRETRACE_REDIS_URL = ""
WIRETRACE_CRAWL_ID = ""  # names the shared queue and filter; empty: "crawl"
WIRETRACE_REDIS_HEARTBEAT = 0.5  # seconds between a worker's "still here" in Redis
WIRETRACE_REDIS_WORKER_TIMEOUT = 15.0  # a worker silent this long is gone (killed)
# Articles are committed this many at a time, and at least every this many seconds (each
# save stays atomic; a crash loses at most what came after the last commit).
WIRETRACE_DB_COMMIT_EVERY = 100
WIRETRACE_DB_COMMIT_SECONDS = 1.0
# Another crawl may hold the write lock while it reads a slow page: each attempt waits 30 s
# (SQLite's busy timeout), and a save keeps trying, saying so, for up to this many seconds.
WIRETRACE_DB_LOCK_WAIT = 600

# Where replay remembers what each saved file holds (by size and mtime), so a restart over a
# large REPLAY_FROM folder reads only what changed (empty: read everything every time).
WIRETRACE_REPLAY_INDEX_DIR = in_project("data/replay-index")

# Every live response, byte for byte, as gzip WARC files (empty: no archive; replay never
# writes one). A new file starts once the current one reaches WIRETRACE_WARC_MAX_BYTES.
WIRETRACE_WARC_DIR = in_project("data/warc")
WIRETRACE_WARC_MAX_BYTES = 100 * 1024 * 1024

# Scrapy's in-memory stats without its per-attribute deprecation hook (crawler/stats.py).
STATS_CLASS = "crawler.stats.MemoryStats"

FEED_EXPORT_ENCODING = "utf-8"
# -O to a file replaces the previous feed only once the job has succeeded (crawler/feeds.py).
FEED_STORAGES = {
    "": "crawler.feeds.SafeFileFeedStorage",
    "file": "crawler.feeds.SafeFileFeedStorage",
}
FEED_EXPORT_FIELDS = list(EXPORT_FIELDS)  # the contract fields; never the parsed page
# JSON lines from our dataclass items without ItemAdapter's detour, byte for byte what
# Scrapy's own exporter writes (crawler/exporters.py).
FEED_EXPORTERS = {
    name: "crawler.exporters.PlainJsonLinesExporter" for name in ("jsonlines", "jsonl", "jl")
}

# Our pipelines are synchronous and CPU-bound, so processing a response's output in
# parallel gains nothing, while Scrapy starts one asyncio task per slot for every response
# (100 by default), a cost with nothing to show for it.
CONCURRENT_ITEMS = 4

# Scrapy checks each response's callback for a generator that returns a value (a mistake:
# the value is lost); its cache keeps bound methods only while one is alive, so it read and
# parsed the callback's source again for every page (0.25 ms a page). The same check runs
# once over every spider's callbacks in tests/spiders/test_callbacks.py.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Scheduled crawls (live only; see crawler/schedule.py): a known article is revisited 1 h
# after it was first seen, then at doubling intervals while its text does not change, at most
# a week apart, and no more once it is 30 days old. At most this many revisits per run.
WIRETRACE_REVISIT_FIRST_AFTER = 3600
WIRETRACE_REVISIT_FACTOR = 2.0
WIRETRACE_REVISIT_MAX_INTERVAL = 7 * 24 * 3600
WIRETRACE_REVISIT_STOP_AFTER = 30 * 24 * 3600
WIRETRACE_REVISIT_LIMIT = 500
