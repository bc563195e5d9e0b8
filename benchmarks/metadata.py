"""Title, publication date and language of real pages against the gold of
``../shared/external``, each field's accuracy on a development half and a held-out half.

Gold: titles from trafilatura-eval (``evaldata-subset.json``), publication dates from
htmldate-eval (both gold files) and trafilatura-eval, languages from the provenance-pages
labels (``lang``, one per page). Pages are decoded as the crawl decodes them (Scrapy's
response, charset from headers or markup) and read by ``crawler.extract.extract_article``
with the generic profile. A title counts when it equals the gold after case and spacing are
evened out; a date when its day is the gold day; a language when its ISO 639-1 code is the
gold one. Beside each figure, the profile's selectors alone (what the generic spider read
before trafilatura's and htmldate's readings were added) on the same pages.

The gold gives days, not times, so the time of publication is measured against the page
itself: on every page that states a publication time with its UTC offset in its markup
(``article:published_time`` and similar meta tags, JSON-LD ``datePublished``, ``<time
datetime>``; read here with a regular expression over the raw HTML, independently of the
code measured), how often ``published`` is that moment, to the second, with an offset
(``time_offset``),
and how often it has an offset at all where the page states none (``offset_unstated``).

Half the pages, chosen by a hash of the file name, are held out: they were not looked at
while the metadata code was written. Skipped with a message when ``../shared`` is absent.

    python benchmarks/metadata.py

Last line, one JSON object: per field, ``{"dev": accuracy, "held_out": accuracy, "pages":
{"dev": n, "held_out": n}, "selectors_only": {...}}``; ``time_offset`` and
``offset_unstated`` have the same shape.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapy.http import HtmlResponse  # noqa: E402

from crawler.dates import parse_published  # noqa: E402
from crawler.extract import PageQuery, _first, _title, extract_article  # noqa: E402
from crawler.profile import load_profile  # noqa: E402
from crawler.spiders.base import page_tree  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
FIELDS = ("title", "published", "language")
_WS = re.compile(r"\s+")
#: An ISO 8601 time with its UTC offset, as pages state it in markup.
_ISO_STAMP = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})"
#: Where a page states its publication time: a meta tag named for it (either attribute
#: order), JSON-LD ``datePublished``, a ``<time datetime>``.
_STATED = (
    re.compile(
        r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|og:published_time"
        r"|datePublished|pubdate|publishdate|publish-date|publication_date|dc\.date\.issued"
        r"|parsely-pub-date|sailthru\.date)[\"'][^>]*?content=[\"'](" + _ISO_STAMP + r")",
        re.I,
    ),
    re.compile(
        r"<meta[^>]+content=[\"'](" + _ISO_STAMP + r")[\"'][^>]*?(?:property|name|itemprop)="
        r"[\"'](?:article:published_time|og:published_time|datePublished|pubdate)[\"']",
        re.I,
    ),
    re.compile(r'"datePublished"\s*:\s*"(' + _ISO_STAMP + r")", re.I),
    re.compile(r"<time[^>]+datetime=[\"'](" + _ISO_STAMP + r")", re.I),
)


def held_out(path: Path) -> bool:
    """Half the pages, by a hash of the file name: stable across runs and machines."""
    return hashlib.sha256(path.name.encode()).digest()[0] % 2 == 1


def gold_pages() -> Iterator[tuple[str, Path, str, str]]:
    """(field, page file, URL, gold value) for every gold value the sets give."""
    traf = EXTERNAL / "trafilatura-eval"
    for url, entry in json.loads((traf / "evaldata-subset.json").read_text()).items():
        path = traf / "html" / f"{entry['file']}.gz"
        for field, key in (("title", "title"), ("published", "date")):
            if entry.get(key):
                yield field, path, url, entry[key]
    dates = EXTERNAL / "htmldate-eval"
    for gold_file in sorted(dates.glob("eval_*-subset.json")):
        for url, entry in json.loads(gold_file.read_text()).items():
            yield "published", dates / "html" / f"{entry['file']}.gz", url, entry["date"]
    labels = EXTERNAL / "provenance-pages" / "labels-dev.tsv"
    seen: set[str] = set()
    with labels.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            if row["path"] not in seen and row["lang"]:
                seen.add(row["path"])
                yield "language", EXTERNAL / row["path"], f"https://{row['outlet']}/", row["lang"]


def same(field: str, found: str | None, gold: str) -> bool:
    if not found:
        return False
    if field == "title":
        return _WS.sub(" ", found).strip().casefold() == _WS.sub(" ", gold).strip().casefold()
    if field == "published":
        return found[:10] == gold[:10]
    return found.lower() == gold.lower()[:2]


def stated_times(html: str) -> set[datetime]:
    """The publication times with a UTC offset the page's markup states."""
    found = set()
    for pattern in _STATED:
        for match in pattern.finditer(html):
            text = match.group(1).replace("Z", "+00:00").replace(" ", "T")
            try:
                found.add(datetime.fromisoformat(text).replace(microsecond=0))
            except ValueError:
                continue
    return found


def with_offset(value: str | None) -> datetime | None:
    """``published`` as a moment, if it has a time and a UTC offset."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    if moment.tzinfo is None or len(value or "") <= 10:
        return None
    return moment.replace(microsecond=0)  # to the second: htmldate does not keep fractions


def main() -> None:
    if not EXTERNAL.is_dir():
        print(f"skipped: no external pages at {EXTERNAL} (../shared is absent)")
        return
    logging.disable(logging.WARNING)  # trafilatura and htmldate talk about every odd page
    profile = load_profile("generic")
    selectors = profile.selectors
    only_selectors: dict[str, Callable[[PageQuery], str | None]] = {
        "title": lambda page: _title(page, profile),
        "published": lambda page: parse_published(
            _first(page, selectors.published), selectors.published_format
        ),
        "language": lambda page: (page.tree.get("lang") or "")[:2].lower() or None,
    }
    tally: dict[str, dict[str, list[int]]] = {
        f: {"dev": [0, 0, 0], "held_out": [0, 0, 0]} for f in FIELDS
    }
    #: Per half: pages stating a time, of those read as that time with its offset; pages
    #: stating none, of those given an offset all the same.
    times = {"dev": [0, 0, 0, 0], "held_out": [0, 0, 0, 0]}
    misses: list[str] = []
    cache: dict[Path, tuple[dict[str, str | None], PageQuery]] = {}
    for field, path, url, gold in gold_pages():
        if path not in cache:
            raw = gzip.decompress(path.read_bytes())
            response = HtmlResponse(url=url, body=raw)
            page = PageQuery(page_tree(response))
            found = extract_article(page, url, profile)
            values = {"title": found.title, "published": found.published}
            values["language"] = found.language
            cache[path] = (values, page)
            stated, ours = stated_times(response.text), with_offset(found.published)
            counts = times["held_out" if held_out(path) else "dev"]
            if stated:
                counts[0] += 1
                counts[1] += ours in stated
            else:
                counts[2] += 1
                counts[3] += ours is not None
        values, page = cache[path]
        half = "held_out" if held_out(path) else "dev"
        counts = tally[field][half]
        counts[0] += 1
        counts[1] += same(field, values[field], gold)
        counts[2] += same(field, only_selectors[field](page), gold)
        if half == "dev" and not same(field, values[field], gold):
            misses.append(f"  {field:9s} {path.name[:50]:50s} got {values[field]!r}, gold {gold!r}")

    print("metadata on real pages (generic profile); accuracy, with the selectors alone beside")
    figures: dict[str, dict[str, object]] = {}
    for field in FIELDS:
        row: dict[str, object] = {"pages": {}, "selectors_only": {}}
        for half in ("dev", "held_out"):
            n, right, plain = tally[field][half]
            row[half] = round(right / n, 3) if n else None
            row["pages"][half] = n  # type: ignore[index]
            row["selectors_only"][half] = round(plain / n, 3) if n else None  # type: ignore[index]
            print(
                f"{field:10s} {half:8s} {right:3d}/{n:3d} = {right / max(n, 1):.3f}"
                f"   (selectors alone {plain / max(n, 1):.3f})"
            )
        figures[field] = row
    for name, (total, right) in (("time_offset", (0, 1)), ("offset_unstated", (2, 3))):
        row = {"pages": {}}
        for half in ("dev", "held_out"):
            n, hit = times[half][total], times[half][right]
            row[half] = round(hit / n, 3) if n else None
            row["pages"][half] = n  # type: ignore[index]
            print(f"{name:15s} {half:8s} {hit:3d}/{n:3d} = {hit / max(n, 1):.3f}")
        figures[name] = row
    print(f"development-half misses ({len(misses)}):")
    print("\n".join(misses))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
