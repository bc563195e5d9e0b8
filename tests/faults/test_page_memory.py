"""A page's peak memory is trafilatura's copies of its tree: they are made while the page
holds little else, and given back before the evidence and provenance are read, so what is
built after them does not stack on top (``benchmarks/faults.py`` measures the figures)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import trafilatura

from crawler import extract, memory
from crawler.extract import PageQuery, extract_article, parse_html
from crawler.pageindex import PageIndex
from crawler.profile import load_profile
from tests.faults.hostile import article_html, many_captions


def test_trafilatura_reads_the_page_first_and_its_copies_are_given_back_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    extract_text = trafilatura.extract
    read_evidence = extract.read_evidence

    def traced_extract(*args: Any, **kwargs: Any) -> str | None:
        calls.append("trafilatura")
        return extract_text(*args, **kwargs)

    def traced_evidence(*args: Any, **kwargs: Any) -> Any:
        calls.append("evidence")
        return read_evidence(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "extract", traced_extract)
    monkeypatch.setattr(extract, "read_evidence", traced_evidence)
    monkeypatch.setattr(extract, "release_freed", lambda: calls.append("released"))
    page = many_captions(300)
    found = extract_article(parse_html(page.body), page.url, load_profile("generic"))
    assert calls == ["trafilatura", "released", "evidence"]
    assert page.keeps is not None and page.keeps in found.text


def test_the_page_index_holds_each_class_string_once() -> None:
    """20,000 captions of one class cost one string, not one each."""
    tree = parse_html(article_html("Légendes", '<p class="caption">x</p>' * 500))
    index = PageIndex(tree)
    assert len(index._classed) == len(index._classes) == 501  # and the byline's
    assert len({id(value) for value in index._classes}) == 2
    matched = PageQuery(tree).select(".caption")
    assert len(matched) == 500 and all(e.get("class") == "caption" for e in matched)


def test_the_heap_is_trimmed_once_it_holds_many_more_free_bytes_than_after_the_last_trim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    free = [0]
    trims: list[int] = []
    info = lambda: SimpleNamespace(fordblks=free[0])  # noqa: E731
    monkeypatch.setattr(memory, "_glibc", lambda: (info, trims.append))
    monkeypatch.setattr(memory, "_trimmed", [0])
    steps = [1, memory.FREE_KEPT + 1, memory.FREE_KEPT + 2, 3, memory.FREE_KEPT + 4]
    done = []
    for value in steps:
        free[0] = value
        memory.release_freed()
        done.append(len(trims))
    # trimmed at 16 MB + 1; not again for 1 byte more; the chunks then used again (3) and
    # freed once more (16 MB + 4): trimmed again
    assert done == [0, 1, 1, 1, 2]
