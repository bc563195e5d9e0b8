"""The leplacentin spider: all it knows of the outlet is in profiles/leplacentin.toml."""

from __future__ import annotations

from crawler.spiders.base import OutletSpider


class LeplacentinSpider(OutletSpider):
    name = "leplacentin"
    profile_name = "leplacentin"
