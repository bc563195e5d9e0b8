"""The lagazette spider: all it knows of the outlet is in profiles/lagazette.toml."""

from __future__ import annotations

from crawler.spiders.base import OutletSpider


class LagazetteSpider(OutletSpider):
    name = "lagazette"
    profile_name = "lagazette"
