"""What each piece of an article page shows, as plain values for the templates.

Every string stays a string (the templates escape it); the one exception is ``marked``,
which builds the marked-up text itself and escapes every piece of it with ``markupsafe``.
Views are namespaces, not dicts: Jinja looks ``a.title`` up as an attribute first and only
then as a key, and on a dict that first try fails, about seventy times per page.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace as View
from typing import Any

from markupsafe import Markup, escape

from crawler.report import highlight
from crawler.report.dataset import Article
from crawler.storage import paragraphs

_CLASS = re.compile(r"[^a-z0-9_-]")


def title_of(article: Article) -> str:
    return str(article.record.get("title") or article.item.get("title") or article.url)


_MARK = Markup('<mark class="ev {0}" data-kinds="{0}" title="{1}">{2}</mark>')


def marked(segments: Iterable[highlight.Segment]) -> Markup:
    """The text with its evidence marked; ``Markup.format`` and ``escape`` escape every
    piece of it (built here rather than in the template: a template loop over thousands of
    segments was most of an article page's time)."""
    parts = []
    for segment in segments:
        if segment.kinds:
            kinds = " ".join(css_class(k) for k in segment.kinds)
            parts.append(_MARK.format(kinds, "; ".join(segment.notes), segment.text))
        else:
            parts.append(escape(segment.text))
    return Markup("").join(parts)


def lead(text: str, limit: int = 280) -> str:
    first = next(iter(paragraphs(text)), "")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def flow_caption(edges: int, limit: int) -> str:
    """What the flow graph leaves out: ``80 of 312 edges shown, the busiest.`` (the page's
    script writes the same for the filtered selection)."""
    if edges > limit:
        return f"{limit} of {edges} edges shown, the busiest."
    return f"All {edges} edge{'' if edges == 1 else 's'} shown."


def css_class(kind: str) -> str:
    return _CLASS.sub("_", kind.lower())


def evidence_view(entry: Mapping[str, Any], note: str | None = None) -> View:
    """One piece of evidence; ``note`` for one listed apart from the text (its tooltip)."""
    confidence = entry.get("confidence")
    kind = str(entry.get("kind") or "evidence")
    return View(
        kind=kind,
        kind_class=css_class(kind),
        text=str(entry.get("text") or ""),
        where=str(entry.get("where") or ""),
        agency=entry.get("agency"),
        reason=entry.get("reason"),
        confidence=None if confidence is None else float(confidence),
        note=note,
    )


def pair_view(pair: Mapping[str, Any], article: Article, by_url: Mapping[str, Article]) -> View:
    here, there = ("a", "b") if pair.get("a") == article.url else ("b", "a")
    other = by_url.get(str(pair.get(there)))
    earlier = pair.get("earlier")
    return View(
        page=f"{other.key}.html" if other is not None else None,
        title=pair.get(f"{there}_title") or pair.get(there),
        outlet=pair.get(f"{there}_outlet"),
        share_here=percent(round(100 * float(pair.get(f"share_{here}") or 0)), 100),
        share_there=percent(round(100 * float(pair.get(f"share_{there}") or 0)), 100),
        earlier="this one" if earlier == article.url else ("the other" if earlier else "unclear"),
        passages=len(pair.get("passages") or ()),
    )


def version_view(version: Mapping[str, Any]) -> View:
    lines = []
    for line in str(version.get("diff") or "").splitlines():
        if line.startswith(("+++", "---")):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        elif line.startswith("@@"):
            kind = "hunk"
        else:
            kind = "same"
        lines.append((kind, line))
    return View(
        first_seen=version.get("first_seen"),
        sha=str(version.get("text_sha256") or "")[:12],
        paragraphs=len(paragraphs(str(version.get("text") or ""))),
        title=version.get("title") or "",
        diff_lines=lines,
    )


#: Where WARC files are unless told otherwise: ``WIRETRACE_WARC_DIR``'s default, from the
#: project folder.
WARC_DIR = "data/warc"


def fetch_view(fetch: Any, warc_dir: str | None = WARC_DIR) -> View:
    """The archived record, and the command that reads its bytes back: from ``warc_dir``
    for a record a live crawl archived, by its file name alone (with a note saying where)
    for one replayed from an archive given to ``REPLAY_FROM``, or when archiving is off
    (``warc_dir`` None), since the folder is not known then."""
    fetch = fetch if isinstance(fetch, Mapping) else {}
    replayed = bool(fetch.get("replayed"))
    folder = None if replayed else warc_dir
    path = str(Path(folder) / str(fetch.get("warc"))) if folder else str(fetch.get("warc"))
    if replayed:
        note = "(in the folder of the archive the crawl replayed: its REPLAY_FROM)"
    elif folder is None:
        note = "(in the folder of WARC files: WIRETRACE_WARC_DIR is empty in the settings)"
    else:
        note = ""
    offset = str(fetch.get("offset"))
    return View(
        command=f"warcio extract --payload {shlex.quote(path)} {shlex.quote(offset)}",
        note=note,
        fetched_at=fetch.get("fetched_at"),
        status=fetch.get("status"),
        sha256=fetch.get("sha256"),
        replayed=replayed,
        warc=fetch.get("warc"),
        offset=fetch.get("offset"),
        record_id=fetch.get("record_id"),
        redirects=[str(r) for r in fetch.get("redirects") or ()],
    )
