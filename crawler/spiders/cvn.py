"""The cvn spider: all it knows of the outlet is in profiles/cvn.toml."""

from __future__ import annotations

from crawler.spiders.base import OutletSpider


class CvnSpider(OutletSpider):
    name = "cvn"
    profile_name = "cvn"
