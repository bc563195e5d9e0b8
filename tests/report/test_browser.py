"""The report in a real browser (headless Chromium): what a reader sees and what never runs.

The fixture report is served on 127.0.0.1 and opened page by page: the charts and the flow
graph must carry the counts the store holds, the filters must narrow them, an article page
must mark its credit line, and a store full of markup and script must open with no dialog,
no script of its own running and no request leaving 127.0.0.1. Every page opened is saved as
a screenshot under the test's temporary folder (and, with ``WIRETRACE_SCREENSHOTS=DIR``, the
overview and an article page into DIR, which is how docs/img/ is made).
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from crawler.registry import load_registry
from crawler.report.model import page_key
from crawler.storage import open_store
from tests.crawling import scrapy
from tests.report.reporting import (
    HOSTILE_CAPTION,
    HOSTILE_CREDIT,
    HOSTILE_TITLE,
    Watched,
)

pytestmark = pytest.mark.slow  # a real browser over a crawled store

CVN_001 = (
    "https://lecourrier.vn/vladimir-poutine-et-kim-jong-un-se-rencontrent-au-cosmodrome-"
    "vostotchny/1205536.html"
)
LAGAZETTE_002 = "https://lagazetteaz.fr/news/linfodeaaz/15211.html"


def expected_origins(db: Path) -> dict[str, Counter[str]]:
    """Origins counted straight from the stored chains: the first hop before the publisher,
    state-owned in the registry or not; own reporting when nothing precedes the publisher."""
    registry = load_registry()
    counts: dict[str, Counter[str]] = {}
    store = open_store(db, create=False)
    try:
        for record in store.provenance():
            outlet, chain = record["outlet"], record["chain"]
            before = chain[:-1] if chain and outlet in chain[-1] else chain
            if not before:
                origin = "own"
            elif any(i in registry and registry.get(i).state_owned for i in before[0]):
                origin = "state"
            else:
                origin = "agency"
            counts.setdefault(outlet, Counter())[origin] += 1
    finally:
        store.close()
    return counts


def expected_edges(db: Path) -> Counter[tuple[str, str]]:
    edges: Counter[tuple[str, str]] = Counter()
    store = open_store(db, create=False)
    try:
        for record in store.provenance():
            chain = record["chain"]
            pairs = {(a, b) for x, y in pairwise(chain) for a in x for b in y if a != b}
            edges.update(pairs)
    finally:
        store.close()
    return edges


def attribute_counts(page: Any, selector: str, *keys: str) -> dict[tuple[str, ...], int]:
    found = page.eval_on_selector_all(
        selector,
        "(nodes, keys) => nodes.map(n => keys.map(k => n.getAttribute(k)))",
        [*keys, "data-count"],
    )
    return {tuple(row[:-1]): int(row[-1]) for row in found}


def open_page(page: Watched, url: str, shot: Path) -> None:
    page.open(url)
    page.shot(shot)
    assert not page.errors, page.errors


def keep_screenshot(source: Path, name: str) -> None:
    target = os.environ.get("WIRETRACE_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, Path(target) / name)


# -- the fixtures' report ------------------------------------------------------------------------


def test_the_overview_charts_each_outlets_articles_by_origin(
    fixture_db: Path, fixture_report: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    served = serve(fixture_report)
    open_page(page, served.base + "index.html", tmp_path / "overview.png")
    keep_screenshot(tmp_path / "overview.png", "overview.png")
    expected = expected_origins(fixture_db)
    drawn = attribute_counts(page.page, "#origin-chart rect.seg", "data-outlet", "data-origin")
    assert drawn == {
        (outlet, origin): counts[origin]
        for outlet, counts in expected.items()
        for origin in ("state", "agency", "own")
    }
    # The acceptance examples of DESIGN.md, as the chart shows them.
    assert drawn[("cvn", "state")] == 2  # Xinhua → VNA → CVN and TASS → VNA → CVN
    assert drawn[("lagazette", "own")] == 1 and drawn[("leplacentin", "own")] == 1
    assert drawn[("vietnam.vn", "state")] == 1  # RT + Sputnik
    # Bars are as long as their counts: CVN's two articles make the longest.
    widths = page.page.eval_on_selector_all(
        "#origin-chart g.bar",
        "bars => bars.map(b => [b.dataset.outlet, b.getBBox().width])",
    )
    assert max(widths, key=lambda w: w[1])[0] == "cvn"
    total = sum(sum(c.values()) for c in expected.values())
    assert page.page.inner_text("#kept") == f"{total} articles of {total} match the filters"


def test_the_overview_charts_each_outlets_weekly_share_of_agency_copy(
    fixture_report: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    served = serve(fixture_report)
    open_page(page, served.base + "index.html", tmp_path / "overview.png")
    points = page.page.eval_on_selector_all(
        "#weekly-chart circle.point",
        "nodes => nodes.map(n => ({...n.dataset}))",
    )
    by_outlet = {p["outlet"]: p for p in points}
    # Every fixture article is dated in the week of Monday 2023-09-11.
    assert {p["week"] for p in points} == {"2023-09-11"}
    assert by_outlet["cvn"]["agency"] == "2" and by_outlet["cvn"]["total"] == "2"
    assert by_outlet["cvn"]["share"] == "1.0000"
    assert by_outlet["lagazette"]["agency"] == "0" and by_outlet["lagazette"]["share"] == "0.0000"
    assert page.page.get_attribute("#weekly-chart", "data-weeks") == "1"


def test_filters_narrow_the_charts_in_the_page(
    fixture_report: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    served = serve(fixture_report)
    open_page(page, served.base + "index.html", tmp_path / "overview.png")
    page.page.select_option("select[name=outlet]", "cvn")
    assert page.page.get_attribute("#kept", "data-kept") == "2"
    assert attribute_counts(page.page, "#origin-chart rect.seg", "data-outlet", "data-origin") == {
        ("cvn", "state"): 2,
        ("cvn", "agency"): 0,
        ("cvn", "own"): 0,
    }
    page.page.select_option("select[name=agency]", "tass")
    assert page.page.get_attribute("#kept", "data-kept") == "1"
    page.shot(tmp_path / "overview-filtered.png")
    # The selection is in the address, and the other pages open with it.
    assert "outlet=cvn" in page.page.url and "agency=tass" in page.page.url
    href = page.page.get_attribute("header nav a[href^='flow.html']", "href")
    assert href == "flow.html#outlet=cvn&agency=tass"
    page.page.click("header nav a[href^='flow.html']")
    page.page.wait_for_selector("#flow-graph path.edge", state="attached")
    assert attribute_counts(page.page, "#flow-graph path.edge", "data-from", "data-to") == {
        ("tass", "vna"): 1,
        ("vna", "cvn"): 1,
    }
    page.page.click("button[type=reset]")
    page.page.select_option("select[name=basis]", "text_reuse")
    assert page.page.get_attribute("#kept", "data-kept") == "2"
    page.page.select_option("select[name=basis]", "")
    page.page.fill("input[name=from]", "2023-09-14")
    # Published on the 14th (as the pages state it): the two reprints, the English summary,
    # one of the quoting pages and La Gazette's article.
    assert page.page.get_attribute("#kept", "data-kept") == "5"


def test_the_flow_graph_draws_each_hop_with_its_article_count_and_links_them(
    fixture_db: Path, fixture_report: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    served = serve(fixture_report)
    open_page(page, served.base + "flow.html", tmp_path / "flow.png")
    drawn = attribute_counts(page.page, "#flow-graph path.edge", "data-from", "data-to")
    assert drawn == dict(expected_edges(fixture_db))
    assert drawn[("xinhua", "vna")] == 3  # CVN's article and the two reprints of it
    assert drawn[("vna", "cvn")] == 4
    nodes = page.page.eval_on_selector_all("#flow-graph g.node", "n => n.map(x => x.dataset.id)")
    assert {"xinhua", "tass", "vna", "cvn", "rt", "sputnik"} <= set(nodes)
    # Wider edges for more articles.
    widths = dict(
        page.page.eval_on_selector_all(
            "#flow-graph path.edge",
            "p => p.map(x => [x.dataset.from + '>' + x.dataset.to,"
            " +x.getAttribute('stroke-width')])",
        )
    )
    assert widths["vna>cvn"] > widths["xinhua>vna"] > widths["tass>vna"]
    # Each edge links to the page of its articles.
    page.page.click("#flow-graph a:has(path.edge[data-from=xinhua][data-to=vna])")
    page.page.wait_for_selector("#edge-articles")
    page.shot(tmp_path / "edge.png")
    assert page.page.eval_on_selector_all("#edge-articles tbody tr", "r => r.length") == 3
    assert page.page.inner_text("h1") == "Xinhua → VNA"


def test_the_flow_page_says_how_many_edges_it_draws_and_links_to_them_all(
    many_edges_db: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    done = scrapy(
        ["report", "-o", str(out), "--no-stories"], tmp_path / "run", many_edges_db, stats=False
    )
    assert done.returncode == 0, done.log
    served = serve(out)
    open_page(page, served.base + "flow.html#basis=credit_line", tmp_path / "many.png")
    assert page.page.eval_on_selector_all("#flow-graph path.edge", "p => p.length") == 80
    assert page.page.inner_text("#flow-shown-text") == "80 of 90 edges shown, the busiest."
    assert page.page.get_attribute("#flow-graph", "data-edges") == "80"
    assert page.page.eval_on_selector_all("#flow-rows tr", "r => r.length") == 90
    # The three busiest are drawn; the link scrolls to the whole list and keeps the filters.
    drawn = attribute_counts(page.page, "#flow-graph path.edge", "data-from", "data-to")
    assert all(drawn[(f"agency-{n:03d}", "cvn")] == 3 for n in range(3))
    page.page.click("#flow-shown a")
    page.page.wait_for_function(
        "() => document.getElementById('edge-list').getBoundingClientRect().top < innerHeight"
    )
    assert page.page.evaluate("() => location.hash") == "#basis=credit_line"
    # Filtered down to fewer edges than the graph holds, it says all are drawn.
    page.page.select_option("select[name=agency]", "agency-001")
    page.page.wait_for_function("() => document.getElementById('flow-shown').dataset.edges === '1'")
    assert page.page.inner_text("#flow-shown-text") == "All 1 edge shown."


def test_an_article_page_marks_its_credit_line_and_cited_mentions(
    fixture_report: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    served = serve(fixture_report)
    open_page(page, served.base + f"articles/{page_key(CVN_001)}.html", tmp_path / "article.png")
    keep_screenshot(tmp_path / "article.png", "article.png")
    credit = page.page.locator("#page-evidence mark.credit_line")
    assert credit.inner_text() == "Xinhua/VNA/CVN"
    background = credit.evaluate("m => getComputedStyle(m).backgroundColor")
    plain = page.page.eval_on_selector("#chain", "c => getComputedStyle(c).backgroundColor")
    assert background != plain  # highlighted, not just wrapped
    assert page.page.inner_text("#chain") == "Xinhua → VNA → Le Courrier du Vietnam"
    assert page.page.inner_text("#basis") == "credit_line"
    assert page.page.inner_text("#confidence") == "confidence 0.95"
    assert page.page.locator("#media mark.photo_credit").inner_text() == "Photo : AFP/VNA/CVN"
    # The bytes came from the packed WARC: the page names the record.
    assert page.page.inner_text("#warc-file").endswith(".warc.gz")
    # Its text was reprinted: the shared passages are marked.
    assert page.page.locator("#text mark.reuse").count() >= 1
    reprints = page.page.locator("#reuse a").all_inner_texts()
    assert "Vladimir Poutine et Kim Jong Un se rencontrent au cosmodrome Vostotchny" in reprints
    open_page(page, served.base + f"articles/{page_key(LAGAZETTE_002)}.html", tmp_path / "a2.png")
    cited = page.page.locator("#text mark.in_text").all_inner_texts()
    assert "KCNA indique" in cited


def test_every_page_of_the_fixture_report_opens_cleanly_and_offline(
    fixture_report: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    served = serve(fixture_report)
    pages = sorted(p.relative_to(fixture_report).as_posix() for p in fixture_report.rglob("*.html"))
    assert {"index.html", "flow.html", "articles.html", "stories.html", "stories/1.html"} <= set(
        pages
    )
    for name in pages:
        open_page(page, served.base + name, tmp_path / "pages" / (name.replace("/", "_") + ".png"))
    assert not page.dialogs
    assert all(url.startswith(served.base) for url in page.requests), page.requests
    assert len(page.requests) == len(pages)  # one request per page: nothing else to fetch
    assert not [m for m in page.console if "Content Security Policy" in m], page.console


# -- a hostile store --------------------------------------------------------------------------


def test_a_store_full_of_markup_opens_as_text_with_nothing_run_or_fetched(
    hostile_db: Path, serve: Any, page: Watched, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    done = scrapy(["report", "-o", str(out)], tmp_path / "run", hostile_db, stats=False)
    assert done.returncode == 0, done.log
    served = serve(out)
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    for name in names:
        open_page(page, served.base + name, tmp_path / "pages" / (name.replace("/", "_") + ".png"))
        page.page.hover("body")
        # Nothing from the store became an element or a handler.
        assert page.page.evaluate("() => window.__pwned") is None
        planted = "[onerror], [onload], [onmouseover], iframe, img, object, embed, body style"
        assert page.page.eval_on_selector_all(planted, "n => n.length") == 0, name
        scripts = page.page.eval_on_selector_all("script", "s => s.length")
        assert scripts in (0, 2), name  # the data block and the report's own script, or none
        links = page.page.eval_on_selector_all(
            "a[href]", "a => a.map(x => x.getAttribute('href').trim())"
        )
        assert not [href for href in links if href.lower().startswith("javascript:")], name
    assert not page.dialogs, page.dialogs
    assert all(url.startswith(served.base) for url in page.requests), page.requests
    # And the strings show literally, as text.
    article = [n for n in names if n.startswith("articles/")]
    shown: list[str] = []
    for name in article:
        page.open(served.base + name)
        shown.append(page.page.inner_text("h1"))
    assert any("<script>window.__pwned" in title for title in shown), shown
    first = [n for n in article if n.endswith(f"{page_key(hostile_url())}.html")]
    page.open(served.base + first[0])
    assert page.page.inner_text("#page-evidence mark.credit_line") == HOSTILE_CREDIT
    assert HOSTILE_CAPTION in page.page.inner_text("#media")
    page.open(served.base + "articles.html")
    titles = page.page.eval_on_selector_all("#article-rows a", "a => a.map(x => x.textContent)")
    assert HOSTILE_TITLE in titles
    assert not page.dialogs and not page.errors


def hostile_url() -> str:
    return "https://evil.example/news/1?q=<script>alert(7)</script>"
