"""How evidence becomes a chain: credit line over dateline over byline; the publisher last;
a source named only in the text is cited, never the origin."""

from __future__ import annotations

from crawler.provenance.chain import Located, build_provenance, with_publisher
from crawler.provenance.readers import Finding


def found(
    kind: str, *hops: tuple[str, ...], text: str = "x", cited: tuple[str, ...] = ()
) -> Located:
    agencies = tuple(a for hop in hops for a in hop) or cited
    return Located(Finding(kind, text, agencies, tuple(hops), 0, 0.9), "text:0")


def test_credit_line_is_the_chain_and_the_publisher_is_not_repeated() -> None:
    result = build_provenance([found("credit_line", ("xinhua",), ("vna",), ("cvn",))], "cvn")
    assert result.chain == [["xinhua"], ["vna"], ["cvn"]]
    assert result.basis == "credit_line"


def test_the_publisher_is_appended_when_the_credit_stops_short() -> None:
    assert with_publisher([("afp",)], "lemonde.fr") == [["afp"], ["lemonde.fr"]]


def test_several_sources_in_one_hop() -> None:
    result = build_provenance([found("byline", ("rt", "sputnik"))], "vietnam.vn")
    assert result.chain == [["rt", "sputnik"], ["vietnam.vn"]]
    assert result.basis == "byline"


def test_credit_line_outranks_dateline_which_outranks_byline() -> None:
    evidence = [
        found("byline", ("reuters",)),
        found("dateline", ("ap",)),
        found("credit_line", ("afp",)),
    ]
    assert build_provenance(evidence, "x").chain == [["afp"], ["x"]]
    assert build_provenance(evidence[:2], "x").chain == [["ap"], ["x"]]
    assert build_provenance(evidence[:1], "x").basis == "byline"


def test_an_in_text_attribution_alone_never_makes_an_origin() -> None:
    result = build_provenance([found("in_text", cited=("tass",))], "leplacentin")
    assert result.chain == [["leplacentin"]]
    assert result.basis == "own"
    assert result.cited == ["tass"]


def test_cited_leaves_out_sources_already_in_the_chain_and_the_publisher() -> None:
    evidence = [
        found("byline", ("rt", "sputnik")),
        found("in_text", cited=("sputnik",)),
        found("in_text", cited=("vietnam.vn", "kcna", "kcna")),
    ]
    assert build_provenance(evidence, "vietnam.vn").cited == ["kcna"]


def test_a_credit_naming_only_the_publisher_is_own_reporting() -> None:
    result = build_provenance([found("credit_line", ("leplacentin",))], "leplacentin")
    assert result.chain == [["leplacentin"]]
    assert result.basis == "own"


def test_unknown_hops_are_kept() -> None:
    result = build_provenance([found("credit_line", ("unknown:FMW",), ("bloomberg",))], "x.de")
    assert result.chain == [["unknown:FMW"], ["bloomberg"], ["x.de"]]


def test_each_photo_credit_is_its_own_media_chain() -> None:
    evidence = [
        found("credit_line", ("xinhua",), ("vna",), ("cvn",)),
        found("photo_credit", ("afp",), ("vna",), ("cvn",), text="Photo : AFP/VNA/CVN"),
        found("photo_credit", ("sputnik",), text="Source : Sputnik"),
    ]
    result = build_provenance(evidence, "cvn")
    assert result.media == [
        {"credit": "Photo : AFP/VNA/CVN", "chain": [["afp"], ["vna"], ["cvn"]]},
        {"credit": "Source : Sputnik", "chain": [["sputnik"], ["cvn"]]},
    ]
    assert result.chain == [["xinhua"], ["vna"], ["cvn"]], (
        "an image credit never sets the copy chain"
    )


def test_authors_never_name_an_agency() -> None:
    from crawler.provenance.evidence import people_only

    assert people_only(["Reuters", "The Associated Press", "Minh Duc"]) == ["Minh Duc"]
    assert people_only(["Meg Kinnard and Errin Haines, Associated Press"]) == [
        "Meg Kinnard and Errin Haines"
    ]
    assert people_only(["AFP/The Local"]) == ["The Local"]


def test_the_publishers_own_desk_stays_an_author() -> None:
    from crawler.provenance.evidence import people_only

    assert people_only(["Le Placentin"], publisher="leplacentin") == ["Le Placentin"]
    assert people_only(["BBC News"], publisher="bbc.co.uk") == ["BBC News"]
