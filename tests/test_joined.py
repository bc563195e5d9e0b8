"""Which of many strings hold a needle, from one scan of them joined."""

from __future__ import annotations

from crawler.joined import Joined


def test_each_value_holding_the_needle_is_given_once_in_order() -> None:
    values = ["nav main", "photo-credit credit", "", "credit", "share"]
    assert list(Joined(values).holding("credit")) == [1, 3]
    assert list(Joined(values).holding("nav")) == [0]


def test_a_match_never_spans_two_values() -> None:
    assert list(Joined(["pho", "to"]).holding("photo")) == []


def test_no_values_hold_nothing() -> None:
    assert list(Joined([]).holding("x")) == []


def test_folded_values_keep_their_places_when_a_letter_lengthens() -> None:
    # Lower-casing "İ" gives two characters: the values are then folded one by one.
    values = ["İSTANBUL news", "Byline", "CREDIT"]
    joined = Joined(values, fold=str.lower)
    assert list(joined.holding("credit")) == [2]
    assert list(joined.holding("byline")) == [1]
    assert list(joined.holding("news")) == [0]
