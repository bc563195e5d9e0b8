"""``scrapy report``: the store as a static web site to browse, mail or put on any server.

``dataset`` reads the store, ``model`` counts (origins, weeks, the flow's edges),
``highlight`` places the evidence in an article's text, and ``site`` writes the pages
(Jinja2 templates under ``templates/``, one stylesheet and one script under ``static/``,
inlined in the pages so the folder needs nothing else: no server, no network).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from crawler.registry import Registry, load_registry
from crawler.storage import Store

__all__ = ["build_report"]


def build_report(
    store: Store,
    out: Path,
    *,
    registry: Registry | None = None,
    database: str = "",
    generated: datetime | None = None,
    with_stories: bool = True,
    warc_dir: str | None = "data/warc",
) -> int:
    """Write the report of everything ``store`` holds into the folder ``out``; pages written.

    ``out`` is replaced whole when it holds an earlier report, and refused when it holds
    anything else (``site.ReportError``). ``warc_dir`` is the folder of WARC files the
    article pages' ``warcio extract`` commands read (None: archiving is off).
    """
    from crawler.report.dataset import collect
    from crawler.report.site import SiteWriter

    registry = registry or load_registry()
    data = collect(store, registry, with_stories=with_stories)
    writer = SiteWriter(data, database=database, generated=generated, warc_dir=warc_dir)
    return writer.write(Path(out))
