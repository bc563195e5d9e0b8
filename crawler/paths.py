"""Default paths belong to the project, not to wherever a command was typed.

Scrapy finds its project by looking for ``scrapy.cfg`` in the working folder and its
parents; a default such as ``data/wiretrace.sqlite`` is anchored at that same folder, so a
crawl started from ``crawler/`` or ``tests/`` uses the project's database instead of
quietly starting a second one. Paths given on the command line keep their usual meaning
(relative to the working folder).
"""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.conf import closest_scrapy_cfg


def project_root() -> Path:
    """The folder of the nearest ``scrapy.cfg`` (the working folder when there is none, as
    under scrapyd, which runs the project from its egg)."""
    cfg = closest_scrapy_cfg()
    return Path(cfg).parent if cfg else Path.cwd()


def in_project(relative: str) -> str:
    return str(project_root() / relative)
