"""The page's class and id words read in one walk (``Marks``) say of every element what
asking it alone (``has_word`` on its lower-cased class and id) says."""

from __future__ import annotations

from crawler.extract import parse_html
from crawler.provenance.captions import CREDIT_WORDS, Marks, has_word, marks_of

PAGE = (
    "<html><body class='Page'><div id='Photo-Credit'>a</div><figure><img src='a.jpg'>"
    "<figcaption>Hafen</figcaption></figure><span class='img-info legend'>Foto: dpa</span>"
    "<p class=''>x</p><p id='main'>y</p><div class='story-source'>Quelle</div>"
    "<div class='caption'><span class='credit'>AP</span></div></body></html>"
)


def test_marks_find_the_elements_each_test_finds_alone() -> None:
    marks = Marks(parse_html(PAGE))
    for words in (CREDIT_WORDS, ("source", "quelle"), ("page", "main", "nothing")):
        alone = {i for i, e in enumerate(marks.elements) if has_word(marks_of(e), words)}
        assert marks.having(words) == alone


def test_marks_hold_image_elements_without_a_class_in_document_order() -> None:
    tags = [element.tag for element in Marks(parse_html(PAGE)).elements]
    assert tags[:4] == ["body", "div", "figure", "img"]
    assert "figcaption" in tags


def test_a_word_is_found_in_every_element_that_holds_it_in_any_case() -> None:
    marks = Marks(parse_html(PAGE))
    found = [marks_of(marks.elements[i]) for i in sorted(marks.having(("credit",)))]
    assert found == [" photo-credit", "credit "]
    ids = [marks.elements[i].get("id") for i in sorted(marks.having(("photo",)))]
    assert ids == ["Photo-Credit"]
