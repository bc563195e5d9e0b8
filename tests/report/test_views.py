"""What an article page says of its archived record: the command that reads the bytes back."""

from __future__ import annotations

import pytest

from crawler.report.views import WARC_DIR, fetch_view

LIVE = {"warc": "wiretrace-20230914.warc.gz", "offset": 4096, "replayed": False}


@pytest.mark.parametrize(
    ("folder", "command"),
    [
        (WARC_DIR, "warcio extract --payload data/warc/wiretrace-20230914.warc.gz 4096"),
        (
            "/srv/wiretrace/warc",
            "warcio extract --payload /srv/wiretrace/warc/wiretrace-20230914.warc.gz 4096",
        ),
        ("out/my warc", "warcio extract --payload 'out/my warc/wiretrace-20230914.warc.gz' 4096"),
    ],
)
def test_a_live_record_is_read_from_the_configured_warc_folder(folder: str, command: str) -> None:
    view = fetch_view(LIVE, folder)
    assert view.command == command
    assert view.note == ""


def test_with_archiving_off_the_file_is_named_and_the_folder_left_to_the_reader() -> None:
    view = fetch_view(LIVE, None)
    assert view.command == "warcio extract --payload wiretrace-20230914.warc.gz 4096"
    assert "WIRETRACE_WARC_DIR is empty" in view.note


def test_a_replayed_record_is_in_the_replayed_archive_not_the_warc_folder() -> None:
    view = fetch_view({**LIVE, "warc": "fixtures.warc.gz", "replayed": True}, "/srv/warc")
    assert view.command == "warcio extract --payload fixtures.warc.gz 4096"
    assert "REPLAY_FROM" in view.note


def test_a_file_name_from_the_store_cannot_add_to_the_command() -> None:
    view = fetch_view({**LIVE, "warc": "x.warc.gz; rm -rf ~", "offset": "1 && id"}, "data/warc")
    assert view.command == "warcio extract --payload 'data/warc/x.warc.gz; rm -rf ~' '1 && id'"
