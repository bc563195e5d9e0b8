from __future__ import annotations

import pytest

from crawler.profile import Profile, available_profiles, load_profile


def test_every_outlet_and_the_generic_profile_ship_with_the_package() -> None:
    assert {"cvn", "lagazette", "leplacentin", "generic"} <= set(available_profiles())


@pytest.mark.parametrize("name", ["cvn", "lagazette", "leplacentin"])
def test_outlet_profiles_say_what_an_article_looks_like(name: str) -> None:
    profile = load_profile(name)
    assert profile.id == name
    assert profile.domains, "a spider must know which hosts it stays on"
    assert profile.article_urls and profile.listing_urls
    assert profile.selectors.article and profile.selectors.title and profile.selectors.published
    assert profile.language == "fr"


def test_unverified_table_is_merged_over_the_verified_facts() -> None:
    profile = Profile.from_mapping(
        {
            "id": "x",
            "urls": {"article": [r"/a/\d+$"]},
            "selectors": {"title": "h1"},
            "unverified": {"selectors": {"title": "h2.headline"}, "urls": {"listing": [r"/s/"]}},
        }
    )
    assert profile.selectors.title == ("h2.headline",)
    assert profile.is_article_url("https://x.test/a/12")
    assert profile.is_listing_url("https://x.test/s/")


def test_unknown_selector_keys_are_an_error_not_silently_ignored() -> None:
    with pytest.raises(ValueError, match="unknown selector keys"):
        Profile.from_mapping({"id": "x", "selectors": {"titel": "h1"}})


def test_deny_wins_over_article_patterns() -> None:
    profile = Profile.from_mapping(
        {"id": "x", "urls": {"article": [r"/\d+\.html$"], "deny": [r"/video/"]}}
    )
    assert profile.is_article_url("https://x.test/news/1.html")
    assert not profile.is_article_url("https://x.test/video/1.html")


def test_unknown_profile_names_list_the_known_ones() -> None:
    with pytest.raises(KeyError, match="cvn"):
        load_profile("nope")


def test_a_profile_says_which_fields_may_be_absent_and_where_each_selector_is_set() -> None:
    profile = load_profile("cvn")
    assert "authors" in profile.optional
    assert profile.selectors_table("credit_line") == "[unverified.selectors]"
    generic = load_profile("generic")
    assert generic.selectors_table("title") == "[selectors]"


def test_an_unknown_optional_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown optional fields"):
        Profile.from_mapping({"id": "x", "optional": ["headline"]})
