"""A page's JSON-LD is parsed once (``PageWalk.jsonld``) and every reader gets what its own
parse of ``script[type='application/ld+json']::text`` gave: the same documents, in the same
order, broken ones left out."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from lxml import etree

from crawler.extract import PageQuery, parse_html
from crawler.extract import _jsonld_names as jsonld_names
from crawler.jsonld import parse_scripts
from crawler.pagewalk import PageWalk
from crawler.provenance.marks import Marks
from crawler.provenance.metadata import read_metadata
from tests.crawling import FIXTURES, SHARED

ZYTE = SHARED / "external" / "zyte-article-benchmark" / "html"

_SCRIPTS = [
    '{"@type": "NewsArticle", "author": {"name": "Jane Roe"}, "inLanguage": "fr"}',
    '[{"@graph": [{"author": ["AFP", {"name": " Reuters "}]}]}, 3]',
    '{"author": "broken", ',  # not JSON: left out
    "null",
    '{"mainEntity": {"author": "AP", "datePublished": "2024-05-01T10:00:00+02:00"}}',
]


def _page(scripts: list[str], kind: str = "application/ld+json") -> str:
    tags = "".join(f"<script type='{kind}'>{s}</script>" for s in scripts)
    return (
        f"<html><head>{tags}<script>var a = 1;</script>"
        '<script type=\'Application/LD+JSON\'>{"author": "case"}</script></head>'
        f'<body><p>x</p><script type=\'{kind}\'>{{"author": "Body"}}</script></body></html>'
    )


def _slow(tree: Any) -> list[Any]:
    """Each text of the selector parsed on its own, as every reader did before."""
    texts = PageQuery(tree).select("script[type='application/ld+json']::text")
    documents = []
    for text in texts:
        try:
            documents.append(json.loads(text))
        except ValueError:
            continue
    return documents


@pytest.mark.parametrize(
    "scripts", [_SCRIPTS, [], _SCRIPTS[2:3], _SCRIPTS[::-1], ["  {} ", '"just a string"']]
)
def test_the_one_parse_gives_what_each_reader_parsed_for_itself(scripts: list[str]) -> None:
    tree = parse_html(_page(scripts))
    walk = PageWalk(tree)
    assert walk.jsonld() == _slow(tree)
    assert parse_scripts(tree.iter("script")) == _slow(tree)


def test_the_type_is_matched_exactly_as_the_selector_does() -> None:
    tree = parse_html(_page(_SCRIPTS, kind="application/json"))
    assert PageWalk(tree).jsonld() == _slow(tree) == []


def test_a_page_is_parsed_once_for_extraction_and_provenance() -> None:
    tree = parse_html(_page(_SCRIPTS))
    page = PageQuery(tree)
    assert jsonld_names(page, "author") == ["Jane Roe", "AFP", "Reuters", "AP", "Body"]
    documents = page.walk().jsonld()
    assert Marks(tree, page.walk()).walk.jsonld() is documents
    assert {e.text for e in read_metadata(tree, Marks(tree, page.walk()))} >= {"Jane Roe", "AP"}


def test_same_documents_as_the_selector_on_every_fixture_page() -> None:
    pages = sorted(FIXTURES.rglob("*.html"))
    assert pages
    for path in pages:
        tree = parse_html(path.read_bytes())
        assert PageWalk(tree).jsonld() == _slow(tree), path


@pytest.mark.skipif(not ZYTE.is_dir(), reason="../shared/external is absent")
def test_same_documents_as_the_selector_on_real_publisher_pages() -> None:
    pages = sorted(ZYTE.glob("*.gz"))
    assert len(pages) > 100
    with_jsonld = 0
    for path in pages:
        tree = parse_html(gzip.decompress(path.read_bytes()))
        found = PageWalk(tree).jsonld()
        assert found == _slow(tree), path
        with_jsonld += bool(found)
    assert with_jsonld > len(pages) // 4


def test_a_walk_of_part_of_a_page_reads_the_scripts_of_that_part() -> None:
    tree = parse_html(_page(_SCRIPTS))
    body = next(tree.iter("body"))
    assert PageWalk(body).jsonld() == [{"author": "Body"}]
    assert etree.tostring(body)  # the tree is untouched
