"""The pages as files: escaping, the embedded JSON, the security policy, the output folder."""

from __future__ import annotations

import html as markup
import json
import re
from pathlib import Path

import pytest

from crawler.registry import load_registry
from crawler.report import build_report
from crawler.report.site import ReportError, content_policy, csp_hash, script_json, web_link
from crawler.report.views import flow_caption
from crawler.storage import open_store
from tests.report.reporting import HOSTILE_AGENCY, HOSTILE_TITLE, hostile_items

SCRIPT_JSON = re.compile(
    r'<script type="application/json" id="wiretrace-data">(.*?)</script>', re.DOTALL
)


def test_embedded_json_cannot_close_its_script_element() -> None:
    value = {"t": "</script><script>alert(1)</script><!-- \u2028 & >"}
    text = str(script_json(value))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == value


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://lecourrier.vn/a.html", "https://lecourrier.vn/a.html"),
        ("http://x.example/?q=<b>", "http://x.example/?q=<b>"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("https:///nohost", None),
        (None, None),
    ],
)
def test_only_web_urls_become_links(url: str | None, link: str | None) -> None:
    assert web_link(url) == link


def test_the_policy_allows_the_pages_own_style_and_script_and_no_request() -> None:
    policy = content_policy("body{}", "var a;")
    assert "default-src 'none'" in policy
    assert f"style-src {csp_hash('body{}')}" in policy
    assert f"script-src {csp_hash('var a;')}" in policy
    assert "connect-src 'none'" in policy and "img-src 'none'" in policy
    assert "script-src 'none'" in content_policy("body{}", None)


@pytest.fixture
def hostile_report(tmp_path: Path) -> Path:
    store = open_store(tmp_path / "wiretrace.sqlite")
    for item in hostile_items():
        store.save_article(item)
    out = tmp_path / "report"
    build_report(store, out, registry=load_registry())
    store.close()
    return out


def test_no_stored_string_reaches_a_page_as_markup(hostile_report: Path) -> None:
    for page in hostile_report.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        body = SCRIPT_JSON.sub("", html)
        assert "<script>alert" not in body and "<script>window" not in body, page
        assert "<img" not in body and "<iframe" not in body and "<svg onload" not in body, page
        assert 'href="javascript:' not in body.lower(), page
        assert 'onerror="' not in body and 'onmouseover="' not in body, page
        # The pages that script their filters embed the data escaped; the others none.
        blocks = SCRIPT_JSON.findall(html)
        for block in blocks:
            assert "<" not in block
            assert HOSTILE_AGENCY in json.dumps(json.loads(block))
    article = next((hostile_report / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "&lt;script&gt;" in article


def test_the_script_and_style_inlined_are_those_the_policy_allows(hostile_report: Path) -> None:
    html = (hostile_report / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 1
    allowed = markup.unescape(policy.group(1))
    assert csp_hash(style) in allowed and csp_hash(scripts[0]) in allowed
    article = next((hostile_report / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "<script" not in article and "script-src 'none'" in markup.unescape(article)
    assert HOSTILE_TITLE not in article  # only escaped


def test_a_rebuild_replaces_the_earlier_report_whole(hostile_report: Path, tmp_path: Path) -> None:
    stale = hostile_report / "articles" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    store = open_store(tmp_path / "wiretrace.sqlite", create=False)
    build_report(store, hostile_report)
    store.close()
    assert not stale.exists()
    assert (hostile_report / "index.html").exists()
    assert not list(tmp_path.glob("report.*"))  # no .partial or .old left behind


def test_a_folder_holding_anything_else_is_refused_and_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    store = open_store(tmp_path / "wiretrace.sqlite")
    with pytest.raises(ReportError, match="is not a wiretrace report"):
        build_report(store, mine)
    store.close()
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not list(tmp_path.glob("mine.*"))


def test_an_empty_store_gives_a_report_that_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path / "wiretrace.sqlite")
    pages = build_report(store, tmp_path / "report")
    store.close()
    assert pages == 4  # overview, flow, articles, stories
    stories = (tmp_path / "report" / "stories.html").read_text(encoding="utf-8")
    assert "No stories" in stories


def test_an_article_page_shows_each_version_with_its_diff(tmp_path: Path) -> None:
    (first, _) = hostile_items()
    plain = {
        **first,
        "title": "Poutine et Kim",
        "outlet": "cvn",
        "text": "Les deux dirigeants se sont rencontrés.\nIls ont déjeuné ensemble.",
        "provenance": {
            "chain": [["cvn"]],
            "basis": "own",
            "cited": [],
            "media": [],
            "evidence": [],
        },
    }
    edited = {
        **plain,
        "text": "Les deux dirigeants se sont rencontrés.\nIls ont dîné ensemble.",
        "fetch": {**plain["fetch"], "sha256": "2" * 64, "fetched_at": "2023-09-14T11:00:00+00:00"},
    }
    store = open_store(tmp_path / "wiretrace.sqlite")
    store.save_article(plain)
    store.save_article(edited)
    build_report(store, tmp_path / "report")
    store.close()
    (page,) = (tmp_path / "report" / "articles").glob("*.html")
    html = page.read_text(encoding="utf-8")
    versions = html[html.index('<ol id="versions">') :]
    assert versions.count("<li>") == 2
    assert '<span class="del">-Ils ont déjeuné ensemble.</span>' in versions
    assert '<span class="add">+Ils ont dîné ensemble.</span>' in versions


def test_the_flow_page_says_how_many_edges_the_graph_leaves_out(
    many_edges_db: Path, tmp_path: Path
) -> None:
    store = open_store(many_edges_db, create=False)
    build_report(store, tmp_path / "report", with_stories=False)
    store.close()
    html = (tmp_path / "report" / "flow.html").read_text(encoding="utf-8")
    caption = re.search(r'<p id="flow-shown"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert caption is not None
    assert 'data-shown="80" data-edges="90"' in caption.group(0)
    assert "80 of 90 edges shown, the busiest." in caption.group(1)
    assert '<a href="#edge-list">' in caption.group(1)
    # The link leads to the table, which lists every edge with a link to its articles.
    table = html[html.index('<h2 id="edge-list">') :]
    assert table.count('<tr data-from="agency-') == 90
    assert table.count('<a href="edges/') == 90


@pytest.mark.parametrize(
    ("edges", "caption"),
    [
        (312, "80 of 312 edges shown, the busiest."),
        (81, "80 of 81 edges shown, the busiest."),
        (80, "All 80 edges shown."),
        (1, "All 1 edge shown."),
    ],
)
def test_the_flow_caption_counts_the_edges_drawn(edges: int, caption: str) -> None:
    assert flow_caption(edges, 80) == caption
