"""Evidence read from the page tree: image credits, structured metadata, byline boxes and
stand-alone credit elements, and one credit seen in two places kept once. Each page is a
few elements written for the test."""

from __future__ import annotations

import json

from crawler.extract import parse_html
from crawler.items import Evidence
from crawler.provenance.boxes import read_boxes
from crawler.provenance.captions import read_image_credits
from crawler.provenance.evidence import locate
from crawler.provenance.image_neighbours import read_image_neighbours
from crawler.provenance.metadata import read_metadata
from crawler.provenance.page import page_provenance
from crawler.registry import load_registry

REG = load_registry()


def page(body: str, head: str = "") -> object:
    return parse_html(f"<html><head>{head}</head><body>{body}</body></html>")


def texts(found: list[Evidence], kind: str | None = None) -> list[str]:
    return [e.text for e in found if kind is None or e.kind == kind]


# -- image credits ----------------------------------------------------------------------------


def test_a_caption_and_its_credit_span_are_both_read() -> None:
    tree = page(
        "<figure><img src='a.jpg'><figcaption>Der Hafen am Morgen."
        "<span class='credit'>Foto: dpa</span></figcaption></figure>"
    )
    found = read_image_credits(tree)
    assert "Foto: dpa" in texts(found)
    assert any("Der Hafen am Morgen." in t for t in texts(found))


def test_image_attributes_carry_credits() -> None:
    tree = page("<img src='a.jpg' alt='Rathaus' data-credit='REUTERS/Jane Roe'>")
    found = read_image_credits(tree)
    assert texts(found) == ["REUTERS/Jane Roe", "Rathaus"]
    assert found[0].where.endswith("@data-credit")


def test_a_source_class_is_an_image_credit_only_beside_an_image_of_the_article() -> None:
    tree = page(
        "<div class='story'><p>Le texte.</p></div>"
        "<div class='story-source'>Xinhua/VNA/CVN</div>"
        "<div class='source-box'><img class='source-box__avatar' alt='author'>"
        "<div class='source-box__facts'><h5>La Rédaction</h5></div></div>"
        "<div class='photo'><img src='a.jpg'><span class='img-source'>Quelle: dpa</span></div>"
    )
    found = texts(read_image_credits(tree))
    assert "Quelle: dpa" in found
    assert "Xinhua/VNA/CVN" not in found and "La Rédaction" not in found


def test_teaser_and_footer_images_are_chrome() -> None:
    tree = page(
        "<aside><figure><figcaption>Foto: AFP</figcaption></figure></aside>"
        "<div class='related-articles'><span class='credit'>Photo: AP</span></div>"
        "<footer><span class='copyright'>© Reuters</span></footer>"
    )
    assert read_image_credits(tree) == []


def test_the_page_body_is_never_chrome_whatever_its_class() -> None:
    """``<body class="nav-trigger">`` is a script's hook: the article's images stay read."""
    tree = parse_html(
        "<html><body class='nav-trigger'><figure><img src='a.jpg'>"
        "<figcaption>Der Hafen. <span class='credit'>© AFP</span></figcaption></figure>"
        "</body></html>"
    )
    assert "© AFP" in texts(read_image_credits(tree))


def test_an_attribution_span_beside_an_image_is_its_credit() -> None:
    tree = page(
        "<div class='sub'><img src='a.jpg'>"
        "<span class='sub__attribution'>Jane Roe / Reuters</span></div>"
    )
    assert "Jane Roe / Reuters" in texts(read_image_credits(tree))


def test_a_link_to_the_images_own_page_is_no_teaser_and_a_long_alt_is_read_whole() -> None:
    """An image linked to its own page (``/image/harbour_8397-2c5jpg/``) is the article's;
    its ``alt`` runs to several sentences with the credit last."""
    caption = "Boats leave the harbour at dawn. " * 12 + "(AP Photo/Jane Roe)"
    tree = page(
        f"<figure><a href='/multimedia/image/harbour_8397-2c5jpg/'>"
        f"<img src='a.jpg' alt='{caption}'></a></figure>"
        "<div class='list'><a href='/politics/another-story/'>"
        "<img src='b.jpg' alt='Another story. (AP Photo/John Doe)'></a></div>"
    )
    found = texts(read_image_credits(tree))
    assert caption.strip() in found
    assert not any("John Doe" in t for t in found)


def test_an_anchor_without_an_address_is_no_teaser() -> None:
    """``<a class="ratio">`` frames a carousel image and leads nowhere: its image's credit,
    here in a ``caption`` attribute, is the article's."""
    tree = page(
        "<div class='carousel'><a class='ratio'>"
        "<img src='a.jpg' caption='Police at the scene near the capital (Reuters)'></a></div>"
        "<div class='list'><a href='/photo/another-story/'>"
        "<img src='b.jpg' title='Leaders meet (KCNA)'></a></div>"
    )
    found = texts(read_image_credits(tree))
    assert "Police at the scene near the capital (Reuters)" in found
    assert "Leaders meet (KCNA)" not in found


def test_an_authors_portrait_is_no_image_of_the_article() -> None:
    tree = page(
        "<div class='byline-box'><img class='article-authorimage' src='p.png' alt='Reuters'>"
        "<span>Reuters</span></div>"
    )
    assert "Reuters" not in texts(read_image_credits(tree))


def test_caption_credits_reach_media_not_the_chain() -> None:
    tree = page("<figure><figcaption>Der Hafen. Foto: picture alliance/dpa</figcaption></figure>")
    prov = page_provenance([], "Der Hafen wird ausgebaut.", "example.de", REG, tree=tree)
    assert prov["chain"] == [["example.de"]]
    assert [m["chain"] for m in prov["media"]] == [[["dpa"], ["example.de"]]]


# -- structured metadata ----------------------------------------------------------------------


def jsonld(data: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def test_jsonld_fields_become_evidence_of_their_kind() -> None:
    tree = page(
        jsonld(
            {
                "@type": "NewsArticle",
                "author": {"@type": "Organization", "name": "Reuters"},
                "sourceOrganization": {"name": "Agence France-Presse"},
                "isBasedOn": "dpa",
                "publisher": {"name": "Example Zeitung"},
                "image": {"@type": "ImageObject", "creditText": "AP Photo/John Doe"},
            }
        )
    )
    found = {(e.kind, e.text, e.where) for e in read_metadata(tree)}
    assert ("byline", "Reuters", "jsonld:author") in found
    assert ("credit_line", "Agence France-Presse", "jsonld:sourceOrganization") in found
    assert ("credit_line", "dpa", "jsonld:isBasedOn") in found
    assert ("metadata", "Example Zeitung", "jsonld:publisher") in found
    assert ("caption", "AP Photo/John Doe", "jsonld:image.creditText") in found


def test_jsonld_in_a_graph_and_broken_jsonld() -> None:
    tree = page(
        "<script type='application/ld+json'>{not json</script>"
        + jsonld({"@graph": [{"@type": "Article", "creator": ["Jane Roe", "AFP"]}]})
    )
    assert texts(read_metadata(tree), "byline") == ["Jane Roe", "AFP"]


def test_meta_tags_become_evidence_of_their_kind() -> None:
    tree = page(
        "",
        head="<meta name='dc.source' content='ANSA'>"
        "<meta name='syndication-source' content='https://apnews.com/x'>"
        "<meta property='article:author' content='Associated Press'>"
        "<meta property='og:site_name' content='Example'>"
        "<meta name='description' content='Reuters says'>",
    )
    found = {(e.kind, e.text, e.where) for e in read_metadata(tree)}
    assert found == {
        ("credit_line", "ANSA", "meta:dc.source"),
        ("credit_line", "https://apnews.com/x", "meta:syndication-source"),
        ("byline", "Associated Press", "meta:article:author"),
        ("metadata", "Example", "meta:og:site_name"),
    }


def test_a_source_in_metadata_alone_gives_the_chain() -> None:
    tree = page("", head="<meta name='dcterms.source' content='Agence France-Presse'>")
    prov = page_provenance([], "Le conseil a voté mardi.", "example.fr", REG, tree=tree)
    assert prov["chain"] == [["afp"], ["example.fr"]]
    assert prov["basis"] == "credit_line"


def test_vendor_author_meta_names_are_bylines() -> None:
    head = (
        "<meta name='articleAuthor' content='Anadolu Ajansı'>"
        "<meta name='parsely-author' content='Reuters'>"
        "<meta name='description' content='Reuters'>"
    )
    found = read_metadata(page("", head=head))
    assert [(e.kind, e.where) for e in found] == [
        ("byline", "meta:articleauthor"),
        ("byline", "meta:parsely-author"),
    ]


def test_a_credit_in_metadata_and_in_the_text_is_one_piece_seen_twice() -> None:
    pieces = [Evidence(kind="credit_line", text="dpa", where="meta:dc.source")]
    found = locate(pieces, "Der Rat tagte am Montag.\n(dpa)", "example.de", REG)
    credits = [loc for loc in found if loc.finding.kind == "credit_line"]
    assert len(credits) == 1
    assert credits[0].where.startswith("text:") and "meta:dc.source" in credits[0].where


def test_different_credits_in_metadata_and_text_stay_two() -> None:
    pieces = [Evidence(kind="credit_line", text="Reuters", where="meta:dc.source")]
    found = locate(pieces, "Der Rat tagte am Montag.\n(dpa)", "example.de", REG)
    assert sorted(loc.finding.agencies for loc in found) == [("dpa",), ("reuters",)]


def test_microdata_author_and_source_are_read_like_json_ld() -> None:
    tree = page(
        "<div itemprop='author' itemscope itemtype='http://schema.org/Person'>"
        "<span itemprop='name'>Jane Doe</span><span itemprop='name'>John Roe, The Associated"
        " Press</span></div>"
        "<p itemprop='sourceOrganization'><span itemprop='name'>Reuters</span></p>"
        "<figure><figcaption itemprop='author'>Jens Hansen/Ritzau Scanpix</figcaption></figure>"
        "<div itemscope itemtype='http://schema.org/Comment'><b itemprop='author'>AFP</b></div>"
    )
    found = [(e.kind, e.text) for e in read_metadata(tree)]
    assert found == [
        ("byline", "Jane Doe"),
        ("byline", "John Roe, The Associated Press"),
        ("credit_line", "Reuters"),
        ("caption", "Jens Hansen/Ritzau Scanpix"),
    ]


# -- unmarked credits beside an image ---------------------------------------------------------


def test_a_short_credit_after_an_image_is_its_credit() -> None:
    tree = page(
        "<div><picture><source srcset='a.webp'><img src='a.jpg'></picture>"
        "<div class='sc-x1'>Fans hold a banner</div><div class='sc-x2'>REUTERS</div></div>"
        "<div><picture><source srcset='b.webp'><img src='b.jpg'></picture>"
        "<div><span>Fotó: </span><span>Kiss Anna</span> / <span>MTI</span></div></div>"
    )
    assert texts(read_image_neighbours(tree)) == ["REUTERS", "Fotó: Kiss Anna / MTI"]


def test_text_beside_logos_teasers_and_in_sentences_is_no_image_credit() -> None:
    tree = page(
        "<div><img class='site-logo' src='logo.png'><span>Reuters</span></div>"
        "<nav><a href='/x'><img src='t.jpg'><span>AFP</span></a></nav>"
        "<div><img src='c.jpg'><p>The council met on Monday, Reuters reported.</p></div>"
    )
    assert read_image_neighbours(tree) == []


# -- byline boxes and credit elements ---------------------------------------------------------


def test_byline_boxes_and_credit_elements_are_read_as_their_own_kinds() -> None:
    tree = page(
        "<div class='article-byline'>von APA</div>"
        "<p>Der Rat tagte.</p><p>apr/dpa</p><p>Quelle: Reuters</p>"
        "<p>Die Partei (SPD) tagte lange und entschied dann.</p>"
    )
    found = read_boxes(tree)
    assert texts(found, "box_byline") == ["von APA"]
    assert texts(found, "credit_line") == ["apr/dpa", "Quelle: Reuters"]


def test_a_credit_element_is_read_whole_and_a_div_only_when_it_holds_no_element() -> None:
    tree = page("<small>(<b>dpa</b>)</small><div><span>Der Rat</span> Quelle: AFP</div>")
    assert texts(read_boxes(tree), "credit_line") == ["(dpa)"]


def test_boxes_in_captions_and_chrome_are_left_out() -> None:
    tree = page(
        "<figure><span class='author'>REUTERS</span></figure>"
        "<nav><span class='byline'>Von dpa</span></nav>"
        "<p>© REUTERS / POOL</p>"
    )
    assert read_boxes(tree) == []


def test_a_byline_box_that_reads_as_an_agency_byline_gives_the_chain() -> None:
    tree = page("<div class='article-byline'>Von dpa</div>")
    prov = page_provenance([], "Der Rat tagte am Montag.", "example.de", REG, tree=tree)
    assert prov["chain"] == [["dpa"], ["example.de"]]
    assert prov["basis"] == "byline"


def test_a_contributors_line_is_a_byline_box() -> None:
    tree = page("<div class='c-article-contributors'>Von Maria Muster mit AP</div>")
    assert texts(read_boxes(tree), "byline") == ["Von Maria Muster mit AP"]


def test_a_byline_box_naming_no_agency_gives_no_chain() -> None:
    tree = page("<div class='article-byline'>Von Maria Muster</div>")
    prov = page_provenance([], "Der Rat tagte am Montag.", "example.de", REG, tree=tree)
    assert prov["chain"] == [["example.de"]]


def test_sources_in_recommendation_lists_slideshows_and_fact_boxes_give_no_chain() -> None:
    tree = page(
        "<ul class='post_recommend_list'><li><div class='post_source'>By Reuters</div></li></ul>"
        "<div class='slideshow' itemprop='associatedMedia'><img src='a.jpg'>"
        "<span class='source'>REUTERS</span></div>"
        "<div id='factbox-12'><p>Die Fakten.</p><p>(NTB)</p></div>"
    )
    found = read_boxes(tree)
    assert texts(found, "byline") == [] and texts(found, "credit_line") == []
    prov = page_provenance([], "Der Rat tagte am Montag.", "example.de", REG, tree=tree)
    assert prov["chain"] == [["example.de"]]


def test_a_source_line_in_a_news_timeline_beside_the_article_gives_no_chain() -> None:
    """A site's running news timeline lists other stories; each entry's ``Zdroj: ČTK`` is
    that entry's source, not the article's."""
    tree = page(
        "<div class='article'><p>Tým vyhrál páté utkání v řadě.</p></div>"
        "<div class='timeline'><div class='swift-box'><p>Radnice schválila rozpočet.</p>"
        "<span class='swift-box__author'>Zdroj: ČTK</span></div></div>"
    )
    found = read_boxes(tree)
    assert texts(found, "byline") == [] and texts(found, "credit_line") == []
    prov = page_provenance([], "Tým vyhrál páté utkání v řadě.", "example.cz", REG, tree=tree)
    assert prov["chain"] == [["example.cz"]]


def test_a_credit_element_after_the_body_gives_the_chain() -> None:
    tree = page("<div><p>Der Rat tagte am Montag.</p><div>apr/dpa</div></div>")
    prov = page_provenance([], "Der Rat tagte am Montag.", "example.de", REG, tree=tree)
    assert prov["chain"] == [["dpa"], ["example.de"]]
