"""The markup conventions file: class and id words the page readers match."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from crawler.provenance import markup

TABLES = tomllib.loads(
    (resources.files("crawler") / "data" / "markup.toml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("table", sorted(TABLES["words"]))
def test_class_words_are_lower_case_and_each_once(table: str) -> None:
    """Class and id names are lower-cased before matching: an upper-case word never matches."""
    found = markup.words(table)
    assert found, f"{table} is empty"
    assert all(word == word.lower() and word.strip() == word and word for word in found)
    assert len(set(found)) == len(found)


def test_chrome_tags_are_html_element_names() -> None:
    assert markup.tags("chrome") >= {"nav", "aside", "footer"}
    assert all(tag.isalpha() and tag == tag.lower() for tag in markup.tags("chrome"))


def test_an_unknown_table_is_an_error_not_an_empty_match() -> None:
    with pytest.raises(KeyError):
        markup.words("no-such-table")
