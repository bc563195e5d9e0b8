from __future__ import annotations

from crawler.charset import declared_labels, is_known, repair_encoding

FRENCH = "Le président a évoqué la coopération spatiale à Vostotchny, près de l'Extrême-Orient."


def test_utf8_declared_over_cp1252_bytes_is_read_as_cp1252_family() -> None:
    body = f"<html><body><p>{FRENCH}</p></body></html>".encode("cp1252")
    better = repair_encoding(body, "utf-8")
    assert better is not None
    assert FRENCH in body.decode(better)


def test_right_declaration_needs_no_repair() -> None:
    body = FRENCH.encode("utf-8")
    assert repair_encoding(body, "utf-8") is None


def test_cp1252_declared_over_utf8_bytes_prefers_utf8() -> None:
    # cp1252 decodes nearly anything, so a wrong cp1252 label is only caught by an
    # undefined byte; utf-8 is tried first when the label fails.
    body = "\u2014 « Vostotchny » ".encode() + b"\x81"
    assert repair_encoding(body, "ascii") is not None


def test_declared_labels_from_header_then_meta() -> None:
    body = b'<html><head><meta charset="utf-8x"></head></html>'
    assert declared_labels("text/html; charset=UTF-8", body) == ["UTF-8", "utf-8x"]
    assert not is_known("utf-8x")
    assert is_known("UTF-8")


def test_cyrillic_mislabelled_as_utf8_is_read_as_cp1251() -> None:
    text = "Президент России встретился с лидером КНДР на космодроме Восточный."
    body = f"<html><body><p>{text}</p></body></html>".encode("cp1251")
    better = repair_encoding(body, "utf-8")
    assert better is not None
    assert text in body.decode(better)
