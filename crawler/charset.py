"""Charset checks: is the page's declared charset the one its bytes are in?

Outlets mislabel pages (a CMS template says utf-8 over cp1252 bytes, or names a charset that
does not exist). Rather than lose the article or store mojibake, the crawler finds the
encoding the bytes decode in, says so in the log and counts it.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\"';\s]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([^\"'\s/>;]+)", re.I)


def declared_labels(content_type: str, body: bytes) -> list[str]:
    """Charset names the page declares, in the order browsers honour them (header, meta)."""
    labels = [m.group(1) for m in _HEADER_CHARSET.finditer(content_type)]
    labels += [m.group(1).decode("ascii", "replace") for m in _META_CHARSET.finditer(body[:4096])]
    return labels


def is_known(label: str) -> bool:
    try:
        codecs.lookup(label)
    except LookupError:
        return False
    return True


def decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


#: BOMs that name a page's encoding outright (browsers honour them over any declaration).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_encoding(body: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``body`` names, if any."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def is_wide(encoding: str) -> bool:
    """UTF-16 and UTF-32 text is full of NUL bytes and holds no ASCII tag bytes."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("utf-16", "utf-32"))


def mostly_utf8(body: bytes) -> int:
    """How many bytes of ``body`` are invalid UTF-8 when the rest of it plainly is UTF-8;
    0 when the body is not UTF-8 with a few bad bytes (valid, or something else entirely).

    A page in a single-byte charset labelled UTF-8 has no valid multi-byte sequences, while
    a UTF-8 page with a few bad bytes (a truncated copy-paste, a stray Latin-1 byte) has
    at least twice as many valid ones as bad ones: then the page says the truth, and only the bad
    bytes are replaced.
    """
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    if not bad:
        return 0
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return bad if good >= 2 * bad else 0


def repair_encoding(body: bytes, declared: str) -> str | None:
    """The encoding to read ``body`` with when ``declared`` is wrong; None when it is right.

    UTF-8 first (a strict decode of UTF-8 almost never succeeds by accident), then what
    charset-normalizer infers from the bytes. Among its equally clean guesses, windows-1252
    wins: it is what mislabelled Western pages are in (browsers assume it too), and for
    French text cp1250 or cp1257 decode just as cleanly but turn ``à`` into ``ŕ``.
    """
    if decodes(body, declared):
        return None
    if decodes(body, "utf-8"):
        return "utf-8"
    matches = [m for m in from_bytes(body) if decodes(body, m.encoding)]
    if not matches:
        return "cp1252" if decodes(body, "cp1252") else None
    cleanest = min(m.chaos for m in matches)
    ties = [str(m.encoding) for m in matches if m.chaos <= cleanest + 0.01]
    return "cp1252" if "cp1252" in ties else ties[0]
