"""The repairs a page's text needs before libxml2 can read it (``crawler.htmlrepair``)."""

from __future__ import annotations

import random

from crawler.htmlrepair import strip_control_chars, utf8_has_control_chars

PAGE = "<html><body><p>Déjà « vu » – 東京 \t\r\n 😀</p></body></html>"

#: Control bytes, ASCII, UTF-8 lead and continuation bytes, and bytes UTF-8 never uses.
_BYTES = b"\x00\x0b\x1f a\x80\xbe\xbf\xc3\xe2\xef\xff"


def bodies() -> list[bytes]:
    """UTF-8 pages with each character below U+0020 and the non-characters, pages with bytes
    that are no UTF-8 (a lone lead byte before a control byte among them), and random bytes."""
    found = [PAGE.encode(), b"", b"\xef\xbb\xbf" + PAGE.encode()]
    for code in [*range(0x20), 0x7F, 0x85, 0xFFFD, 0xFFFE, 0xFFFF, 0xFEFF, 0x1FFFE]:
        found.append(PAGE.replace("vu", f"v{chr(code)}u").encode())
    found += [b"\xe2\x0b", b"\xef\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xef\xbf\xbd"]
    found += [b"\xed\xa0\x80 surrogate", b"\xc0\x8b overlong", b"\xff\xfe\x0b\x00"]
    rng = random.Random(9)
    for _ in range(400):
        size = rng.randrange(1, 12)
        found.append(bytes(rng.choice(_BYTES) for _ in range(size)))
    return found


def test_the_bytes_tell_whether_the_utf8_text_holds_control_characters() -> None:
    for body in bodies():
        text = body.decode("utf-8", "replace")
        _, removed = strip_control_chars(text)
        assert utf8_has_control_chars(body, text) == (removed > 0), body


def test_only_those_characters_are_removed_and_counted() -> None:
    assert strip_control_chars("a\x00b\x0bc\td\ne\rf\x1f\ufffe\uffff\ufffd") == (
        "abc\td\ne\rf\ufffd",
        5,
    )
    assert strip_control_chars(PAGE) == (PAGE, 0)
