"""Live or replay: one switch, ``REPLAY_FROM``, sets everything that differs between them."""

from __future__ import annotations

from scrapy.settings import Settings

from crawler.middlewares.local import LOCAL_SLOT, LocalInputMiddleware
from crawler.middlewares.replay import ReplayMiddleware


class ModeAddon:
    """Replay serves saved pages, so politeness delays only slow it down; live crawls get
    AutoThrottle. Settings given on the command line still win (they have a higher priority)."""

    def update_settings(self, settings: Settings) -> None:
        replay = bool(settings.get("REPLAY_FROM"))
        settings.set("AUTOTHROTTLE_ENABLED", not replay, priority="addon")
        # Scheduled live crawls skip known articles that are not due for a revisit; a replay
        # gives back everything it holds.
        settings.set("WIRETRACE_INCREMENTAL", not replay, priority="addon")
        if replay:
            settings.set("DOWNLOAD_DELAY", 0, priority="addon")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="addon")
            # Saved responses need no session, and Scrapy's cookie middleware would fetch
            # the public suffix list from the network (tldextract) on the first Set-Cookie.
            settings.set("COOKIES_ENABLED", False, priority="addon")
            # Last before the downloader: every other middleware sees replayed responses.
            settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", ReplayMiddleware, 950)


class LocalInputAddon:
    """``file://`` and ``data:`` requests at local speed, live or replay: their own download
    slot without delay (AutoThrottle's start delay and ``DOWNLOAD_DELAY`` are for remote
    sites), no robots.txt, no retries (see crawler/middlewares/local.py)."""

    def update_settings(self, settings: Settings) -> None:
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        concurrency = settings.getint("CONCURRENT_REQUESTS")
        slots.setdefault(LOCAL_SLOT, {"concurrency": concurrency, "delay": 0, "jitter": 0})
        settings.set("DOWNLOAD_SLOTS", slots, priority="addon")
        # First of all: robots.txt (100) and retries (550) must see the request marked local.
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", LocalInputMiddleware, 50)
