"""The report's pages, written as a folder of static files.

Every string from the store (titles, credits, captions, URLs, evidence) reaches a page
through Jinja2 with autoescaping on, so a headline holding ``<script>`` shows those
characters and runs nothing; the one JSON block the filters read is escaped for a
``<script>`` element (``<``, ``>``, ``&`` and the JavaScript line separators as ``\\uXXXX``),
and the page's script puts its strings in as text only. Each page also carries a
Content-Security-Policy that allows exactly its own inline style and script (by hash) and
no request at all: no image, font, frame or fetch can leave the page, whatever got in.

The style and script are inlined in each page (rather than files beside them) because a
policy's ``'self'`` does not cover other ``file://`` URLs in every browser, and a report is
opened from disk as often as from a server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from crawler import __version__
from crawler.commands.provenance import chain_text, display_name
from crawler.commands.stories import date_range
from crawler.progress import progress
from crawler.report import highlight, model, views
from crawler.report.dataset import Article, ReportData, summary

#: A file the report folder holds so that a rebuild knows it may replace the folder.
MARKER = ".wiretrace-report"
#: Rows the article list renders before the script takes over (the script shows as many).
LIST_ROWS = 500
#: Edges the flow graph draws (the script's FLOW_EDGES); the table lists them all.
FLOW_LIMIT = 80
NAV = (
    ("index.html", "Overview"),
    ("flow.html", "Flow"),
    ("articles.html", "Articles"),
    ("stories.html", "Stories"),
)
FILTERED_PAGES = ("index.html", "flow.html", "articles.html")
_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


class ReportError(Exception):
    """The report cannot be written where asked (the message says why)."""


def script_json(value: Any) -> Markup:
    """JSON that is safe inside ``<script type="application/json">``: no ``</script>``,
    ``<!--`` or line separator can come out of it, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _JS_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


def csp_hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def content_policy(style: str, script: str | None) -> str:
    """Nothing but the page's own inline style (and script, if any): no request leaves."""
    scripts = csp_hash(script) if script is not None else "'none'"
    return (
        f"default-src 'none'; style-src {csp_hash(style)}; script-src {scripts}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def web_link(url: Any) -> str | None:
    """``url`` when it is an http(s) URL a reader may follow, else None (shown as text):
    a stored ``javascript:`` or ``data:`` URL never becomes a link."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def _asset(name: str) -> str:
    return resources.files("crawler.report").joinpath("static", name).read_text("utf-8")


class SiteWriter:
    """Renders every page of one report into a folder."""

    def __init__(
        self,
        data: ReportData,
        *,
        database: str = "",
        generated: datetime | None = None,
        warc_dir: str | None = views.WARC_DIR,
    ):
        self.data = data
        self.warc_dir = warc_dir
        self.registry = data.registry
        self.env = Environment(
            loader=PackageLoader("crawler.report", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # the templates are the package's: no stat() per page
        )
        self.templates: dict[str, Template] = {}
        self.css = _asset("report.css")
        self.script = _asset("report.js")
        if "</script" in self.script.lower():
            raise ReportError("report.js must not contain '</script'")
        stamp = generated or datetime.now(UTC)
        self.common = {
            "version": __version__,
            "total": len(data.articles),
            "generated": stamp.strftime("%Y-%m-%d %H:%M UTC"),
            "database": database,
        }
        #: Each kind of page's policy, and its frame (see ``_frame``), made once per build.
        self.policies = {
            scripted: content_policy(self.css, self.script if scripted else None)
            for scripted in (False, True)
        }
        self.frames: dict[tuple[str, str, bool], _Frame] = {}
        self.summaries = [summary(a, self.registry) for a in data.articles]
        self.edges = model.flow_edges({"url": a.url, "chain": a.chain} for a in data.articles)

    # -- writing ---------------------------------------------------------------------------

    def write(self, out: Path) -> int:
        """Write the report into ``out`` (built beside it, then swapped in, so a failed
        build never leaves half a report); the number of pages written."""
        out = Path(out)
        if out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())
        ):
            raise ReportError(
                f"{out} exists and is not a wiretrace report: give a new or empty folder"
            )
        partial = out.with_name(out.name + ".partial")
        if partial.exists():
            shutil.rmtree(partial)
        partial.mkdir(parents=True)
        try:
            pages = self._write_pages(partial)
            (partial / MARKER).write_text(
                f"written by wiretrace {__version__} scrapy report; this folder is replaced "
                "by the next build\n",
                encoding="utf-8",
            )
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        if out.exists():
            old = out.with_name(out.name + ".old")
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
            partial.rename(out)
            shutil.rmtree(old)
        else:
            partial.rename(out)
        return pages

    def _write_pages(self, root: Path) -> int:
        for folder in ("articles", "stories", "edges"):
            (root / folder).mkdir()
        writer = _Writer()
        for name, html in self._index_pages():
            writer.put(root / name, html)
        for article in progress(self.data.articles, "writing article pages", unit="page"):
            writer.put(root / "articles" / f"{article.key}.html", self.article_page(article))
        for number, story in enumerate(self.data.stories, start=1):
            writer.put(root / "stories" / f"{number}.html", self.story_page(number, story))
        for (source, target), urls in self.edges.items():
            writer.put(root / self._edge_page(source, target), self.edge_page(source, target, urls))
        return writer.written

    def _render(
        self, template: str, page: str, title: str, *, root: str, scripted: bool, **values: Any
    ) -> str:
        data_json = self._data_json() if scripted else None
        return self._template(template).render(
            **self.common,
            **values,
            page=page,
            page_title=title,
            root=root,
            frame=self._frame(page, root, scripted),
            data_json=data_json,
            script=Markup(self.script) if scripted else None,
        )

    def _template(self, name: str) -> Template:
        found = self.templates.get(name)
        if found is None:
            found = self.templates[name] = self.env.get_template(name)
        return found

    def _frame(self, page: str, root: str, scripted: bool) -> _Frame:
        """The head and the navigation bar of one kind of page: the same for all 10,000
        article pages, so rendered once rather than on each of them."""
        key = (page, root, scripted)
        found = self.frames.get(key)
        if found is None:
            macros: Any = self._template("frame.html").module  # its macros as attributes
            found = self.frames[key] = _Frame(
                top=macros.top(self.policies[scripted], __version__),
                bar=macros.bar(
                    Markup(self.css),
                    page,
                    root,
                    NAV,
                    FILTERED_PAGES,
                    self.common["total"],
                    self.common["generated"],
                ),
            )
        return found

    def _data_json(self) -> Markup:
        cached = getattr(self, "_cached_json", None)
        if cached is None:
            ids = {a["o"] for a in self.summaries}
            ids.update(i for a in self.summaries for i in a["a"])
            ids.update(i for pair in self.edges for i in pair)
            cached = self._cached_json = script_json(
                {
                    "articles": self.summaries,
                    "names": {i: display_name(i, self.registry) for i in sorted(ids)},
                    "labels": model.ORIGIN_LABELS,
                    "edges": {f"{s}\t{t}": self._edge_page(s, t) for s, t in self.edges},
                }
            )
        return cached

    # -- pages -----------------------------------------------------------------------------

    def _index_pages(self) -> Iterable[tuple[str, str]]:
        options = self._filter_options()
        counts = model.origin_counts(
            {"outlet": a.outlet, "origin": a.origin} for a in self.data.articles
        )
        ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        rows = [
            {
                "outlet": outlet,
                "label": display_name(outlet, self.registry),
                "counts": row,
                "total": sum(row.values()),
                "share": views.percent(row[model.STATE] + row[model.AGENCY], sum(row.values())),
            }
            for outlet, row in ranked
        ]
        copies = sum(1 for a in self.data.articles if a.origin != model.OWN)
        yield (
            "index.html",
            self._render(
                "overview.html",
                "index.html",
                "Overview",
                root="",
                scripted=True,
                options=options,
                origin_rows=rows,
                origin_labels=list(model.ORIGIN_LABELS.items()),
                outlet_count=len(counts),
                agency_share=views.percent(copies, len(self.data.articles)),
            ),
        )
        busiest = sorted(self.edges.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        edges = [
            {
                "source": s,
                "target": t,
                "source_label": display_name(s, self.registry),
                "target_label": display_name(t, self.registry),
                "count": len(urls),
                "page": self._edge_page(s, t),
            }
            for (s, t), urls in busiest
        ]
        yield (
            "flow.html",
            self._render(
                "flow.html",
                "flow.html",
                "Flow",
                root="",
                scripted=True,
                options=options,
                edges=edges,
                flow_limit=FLOW_LIMIT,
                flow_caption=views.flow_caption(len(edges), FLOW_LIMIT),
            ),
        )
        latest = sorted(self.summaries, key=lambda a: (a["d"] or "", a["t"]), reverse=True)
        shown = [
            {**a, "outlet_label": display_name(a["o"], self.registry)} for a in latest[:LIST_ROWS]
        ]
        note = (
            f"The {LIST_ROWS} latest of {len(latest)} articles shown: narrow the filters."
            if len(latest) > LIST_ROWS
            else ""
        )
        yield (
            "articles.html",
            self._render(
                "articles.html",
                "articles.html",
                "Articles",
                root="",
                scripted=True,
                options=options,
                rows=shown,
                rows_note=note,
            ),
        )
        stories = [
            {
                "number": number,
                "dates": date_range([a.record for a in story]),
                "size": len(story),
                "outlets": ", ".join(
                    dict.fromkeys(display_name(a.outlet, self.registry) for a in story)
                ),
                "headline": views.title_of(story[0]),
            }
            for number, story in enumerate(self.data.stories, start=1)
        ]
        yield (
            "stories.html",
            self._render(
                "stories.html", "stories.html", "Stories", root="", scripted=False, stories=stories
            ),
        )

    def _filter_options(self) -> dict[str, Any]:
        outlets = sorted({a["o"] for a in self.summaries})
        agencies = sorted({i for a in self.summaries for i in a["a"]})
        days = sorted(a["d"] for a in self.summaries if a["d"])
        label = lambda i: display_name(i, self.registry)  # noqa: E731
        return {
            "outlets": sorted(((i, label(i)) for i in outlets), key=lambda p: p[1].casefold()),
            "agencies": sorted(((i, label(i)) for i in agencies), key=lambda p: p[1].casefold()),
            "bases": sorted({str(a["b"]) for a in self.summaries}),
            "first": days[0] if days else "",
            "last": days[-1] if days else "",
        }

    def article_page(self, article: Article) -> str:
        record, item = article.record, article.item
        text = article.text
        evidence = [e for e in record.get("evidence") or () if isinstance(e, Mapping)]
        spans, elsewhere = highlight.evidence_spans(text, evidence)
        spans += highlight.reuse_spans(text, record.get("version_id"), article.pairs, article.url)
        segments = highlight.segments(text, spans)
        by_url = self._by_url()
        view = views.View(
            title=views.title_of(article),
            outlet_label=display_name(article.outlet, self.registry),
            published=record.get("published"),
            language=item.get("language"),
            authors=[str(a) for a in item.get("authors") or ()],
            chain_label=chain_text(article.chain, self.registry) or article.outlet,
            basis=record.get("basis") or "unknown",
            confidence=model.basis_confidence(evidence, record.get("basis")),
            origin_label=model.ORIGIN_LABELS[article.origin],
            cited=[display_name(str(c), self.registry) for c in record.get("cited") or ()],
            url=article.url,
            url_href=web_link(article.url),
            canonical_url=item.get("canonical_url"),
            first_seen=record.get("first_seen"),
            last_seen=record.get("last_seen"),
            stories=article.stories,
            evidence=[views.evidence_view(e) for e in evidence],
            elsewhere=[
                views.evidence_view(e, highlight.evidence_note(e))
                for e in elsewhere
                if e.get("kind") != "text_reuse"  # not on the page: its passages are marked
            ],
            kinds=sorted({views.css_class(k) for s in segments for k in s.kinds}),
            text_html=views.marked(segments),
            media=[
                views.View(
                    credit=str(m.get("credit") or ""),
                    chain=chain_text(m.get("chain") or (), self.registry),
                )
                for m in record.get("media") or ()
                if isinstance(m, Mapping)
            ],
            pairs=[views.pair_view(p, article, by_url) for p in article.pairs],
            versions=[views.version_view(v) for v in article.versions],
            fetch=views.fetch_view(item.get("fetch"), self.warc_dir),
        )
        return self._render(
            "article.html", "article", views.title_of(article), root="../", scripted=False, a=view
        )

    def story_page(self, number: int, story: list[Article]) -> str:
        members = [
            {
                "key": a.key,
                "published": a.record.get("published"),
                "outlet": a.outlet,
                "outlet_label": display_name(a.outlet, self.registry),
                "chain": chain_text(a.chain, self.registry) or a.outlet,
                "basis": a.record.get("basis") or "unknown",
                "title": views.title_of(a),
                "lead": views.lead(a.text),
            }
            for a in story
        ]
        view = {
            "number": number,
            "size": len(story),
            "dates": date_range([a.record for a in story]),
            "members": members,
        }
        return self._render(
            "story.html", "story", f"Story {number}", root="../", scripted=False, s=view
        )

    def edge_page(self, source: str, target: str, urls: list[str]) -> str:
        by_url = self._summary_by_url()
        members = [
            {**by_url[url], "outlet_label": display_name(by_url[url]["o"], self.registry)}
            for url in dict.fromkeys(urls)
            if url in by_url
        ]
        members.sort(key=lambda m: (m["d"] or "", m["t"]), reverse=True)
        view = {
            "source_label": display_name(source, self.registry),
            "target_label": display_name(target, self.registry),
            "count": len(members),
            "members": members,
        }
        title = f"{view['source_label']} → {view['target_label']}"
        return self._render("edge.html", "edge", title, root="../", scripted=False, e=view)

    @staticmethod
    def _edge_page(source: str, target: str) -> str:
        return f"edges/{model.page_key(source + chr(9) + target)}.html"

    def _summary_by_url(self) -> dict[str, Mapping[str, Any]]:
        cached = getattr(self, "_cached_summaries", None)
        if cached is None:
            pairs = zip(self.data.articles, self.summaries, strict=True)
            cached = self._cached_summaries = {a.url: s for a, s in pairs}
        return cached

    def _by_url(self) -> dict[str, Article]:
        cached = getattr(self, "_cached_by_url", None)
        if cached is None:
            cached = self._cached_by_url = self.data.by_url()
        return cached


@dataclass(frozen=True, slots=True)
class _Frame:
    top: Markup
    bar: Markup


class _Writer:
    """Creates each page's file with the three system calls it takes (open, write, close),
    on the thread that renders: a report is thousands of small files, where a text layer's
    extra calls per file add up, and writer threads only compete with the rendering for the
    same cores. ``O_EXCL``: the folder is new, so an existing file is a bug, not a page."""

    _FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)

    def __init__(self) -> None:
        self.written = 0

    def put(self, path: Path, html: str) -> None:
        data = memoryview(html.encode("utf-8"))
        fd = os.open(path, self._FLAGS, 0o644)
        try:
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)
        self.written += 1
