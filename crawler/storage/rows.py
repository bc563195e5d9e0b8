"""Items to rows and rows to records: what the stores write and read, checked in Python.

An item is checked and flattened into a ``_Record`` before any SQL runs, so a malformed
item never opens a write and never leaves half a record; the records both stores return
are built here too, so SQLite and PostgreSQL give back the same dicts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itemadapter import ItemAdapter

from crawler.items import EXPORT_FIELDS
from crawler.plain import plain

#: Provenance bases that text reuse never overrides: the page itself says where its copy
#: came from, which is better evidence than matching texts.
STATED_BASES = frozenset({"credit_line"})

#: The basis and evidence kind of a chain inferred from text shared with another article.
TEXT_REUSE = "text_reuse"

#: One edge row without its version: (relation, hop, media_index, agency, basis, evidence).
EdgeRow = tuple[str, int | None, int | None, str, str | None, str | None]


#: Item fields the ``articles`` row keeps in columns of its own. With the text (kept in
#: ``versions.text``) they are left out of ``item_json`` and put back when an article is
#: read, so each is stored once: the text alone was 92% of a store that also kept it there.
COLUMN_FIELDS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "outlet",
    "title",
    "published",
    "authors",
    "language",
)

#: The columns an ``articles`` query selects so that ``rebuilt_item`` can put them back.
ARTICLE_COLUMNS = ", ".join(f"a.{name}" for name in COLUMN_FIELDS)


@dataclass(frozen=True, slots=True)
class _Record:
    """An item checked and flattened before any SQL runs, so a bad item never opens a write."""

    columns: dict[str, Any]  # named parameters shared by the fetch and article statements
    exported: dict[str, Any]  # the whole item, as exported (plain JSON-ready values)
    text: str
    text_sha256: str
    evidence: tuple[tuple[str, str, str, str | None, float | None], ...]
    edges: tuple[EdgeRow, ...]

    @property
    def url(self) -> str:
        return str(self.columns["url"])

    @property
    def fetched_at(self) -> str:
        return str(self.columns["fetched_at"])

    def item_json(self, version_text: str | None) -> str:
        """The ``item_json`` to store when the article's latest version holds
        ``version_text``: the item without what the row and that version already hold."""
        stored = stored_item(self.exported, version_text, self.columns)
        return json.dumps(stored, ensure_ascii=False)


def stored_item(
    item: Mapping[str, Any], version_text: str | None, columns: Mapping[str, Any]
) -> dict[str, Any]:
    """The item as ``item_json`` keeps it: without each field whose value is already stored.

    A field is left out only when what is stored elsewhere reads back exactly as the item
    has it: the text when the latest version's text is the same string (a re-crawl whose
    text differs only in whitespace is the same version, so it keeps its own text here),
    a column when it holds the same value (``authors`` as its JSON list).
    """
    stored = dict(item)
    text = stored.get("text")
    if isinstance(text, str) and text == version_text:
        del stored["text"]
    for name in COLUMN_FIELDS:
        if name in stored and name in columns and stored[name] == _column_value(name, columns):
            del stored[name]
    return stored


def rebuilt_item(stored_json: str, version_text: str | None, row: Any) -> dict[str, Any]:
    """The whole item back from ``item_json``, the latest version's text and the row's
    columns, its fields in the item's own order (``EXPORT_FIELDS``).

    An item saved without one of the column fields (a dict item) reads back with it, as the
    column holds it (None, or ``[]`` for authors): every stored article has every field.
    """
    stored = json.loads(stored_json)
    item: dict[str, Any] = {}
    for name in EXPORT_FIELDS:
        if name in stored:
            item[name] = stored.pop(name)
        elif name == "text":
            item[name] = version_text
        elif name in COLUMN_FIELDS:
            item[name] = _column_value(name, row)
    item.update(stored)  # anything else an item carried, after its known fields
    return item


def _column_value(name: str, columns: Any) -> Any:
    """A column's value as the item field it stores (``authors`` is a JSON list there)."""
    value = columns[name]
    if name == "authors":
        return json.loads(value) if value is not None else []
    return value


def _provenance_record(row: sqlite3.Row) -> dict[str, Any]:
    """One ``provenance()`` result: the article's identity and its latest provenance.

    ``row`` holds ``item_json`` and the ``ARTICLE_COLUMNS``: an older item kept these
    fields in its JSON too, and where the two differ the JSON is what was scraped.
    """
    item = json.loads(row["item_json"])
    provenance = item.get("provenance") or {}
    return {
        "url": item.get("url", row["url"]),
        "outlet": item.get("outlet", row["outlet"]),
        "title": item.get("title", row["title"]),
        "published": item.get("published", row["published"]),
        "chain": provenance.get("chain") or [],
        "basis": provenance.get("basis"),
        "cited": provenance.get("cited") or [],
        "media": provenance.get("media") or [],
        "evidence": provenance.get("evidence") or [],
        "version_id": row["latest_version_id"],
        "text_sha256": row["text_sha256"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
    }


# -- items to rows ---------------------------------------------------------------------------


def _record_from_item(item: Any) -> _Record:
    """Check and flatten an item (dataclass, dict or any ItemAdapter type) before writing."""
    # Our own dataclass items take the plain converter (crawler.plain); any other item type
    # (dicts, attrs, scrapy.Item) goes through ItemAdapter as usual.
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        exported = {
            name: plain(getattr(item, name)) for name in EXPORT_FIELDS if hasattr(item, name)
        }
    else:
        data = ItemAdapter(item).asdict()
        exported = {name: data[name] for name in EXPORT_FIELDS if name in data}
    return _record_from_exported(exported)


def _record_from_exported(exported: dict[str, Any]) -> _Record:
    """The record of an item already reduced to its exported fields (and plain values)."""
    url = _required_str(exported, "url", "item")
    outlet = _required_str(exported, "outlet", "item")
    fetch = _mapping(exported.get("fetch"), "fetch")
    text = exported.get("text") or ""
    columns: dict[str, Any] = {
        "url": url,
        "outlet": outlet,
        "canonical_url": exported.get("canonical_url"),
        "title": exported.get("title"),
        "published": exported.get("published"),
        "authors": json.dumps(list(exported.get("authors") or []), ensure_ascii=False),
        "language": exported.get("language"),
        **_fetch_columns(fetch),
    }
    provenance = _mapping(exported.get("provenance") or {}, "provenance")
    return _Record(
        columns=columns,
        exported=exported,
        text=text,
        text_sha256=text_digest(text),
        evidence=tuple(_evidence_row(e) for e in provenance.get("evidence") or ()),
        edges=_edge_rows(provenance),
    )


def _fetch_columns(fetch: Mapping[str, Any]) -> dict[str, Any]:
    """The ``fetches`` columns, with the fetch time normalised so text order is time order."""
    if fetch.get("status") is None:
        raise ValueError("item fetch has no 'status'")
    return {
        "fetched_at": utc_timestamp(_required_str(fetch, "fetched_at", "fetch")),
        "status": int(fetch["status"]),
        "sha256": _required_str(fetch, "sha256", "fetch"),
        "replayed": int(bool(fetch.get("replayed", False))),
        "warc": fetch.get("warc"),
        "warc_offset": fetch.get("offset"),
        "record_id": fetch.get("record_id"),
    }


def _evidence_row(evidence: Any) -> tuple[str, str, str, str | None, float | None]:
    """One evidence row; ``where`` may be a CSS path or a char offset, so it is kept as text."""
    entry = _mapping(evidence, "provenance.evidence entry")
    where = entry.get("where")
    confidence = entry.get("confidence")
    return (
        _required_str(entry, "kind", "provenance.evidence entry"),
        _required_str(entry, "text", "provenance.evidence entry"),
        "" if where is None else str(where),  # '' not NULL: NULLs never collide in UNIQUE
        entry.get("agency"),
        None if confidence is None else float(confidence),
    )


def _edge_rows(provenance: Mapping[str, Any]) -> tuple[EdgeRow, ...]:
    """The provenance's edges, one per agency and position, deduplicated and in item order.

    A copy edge rests on the item's ``basis`` and the text of the first evidence of that
    kind; a cited edge on the first ``in_text`` evidence naming that agency; a media edge
    on the image credit itself (basis ``photo_credit``).
    """
    evidence = [_mapping(e, "provenance.evidence entry") for e in provenance.get("evidence") or ()]
    stated = provenance.get("basis")
    basis = stated if isinstance(stated, str) and stated else None
    rests_on = next((_text(e) for e in evidence if basis and e.get("kind") == basis), None)
    rows: dict[tuple[str, int | None, int | None, str], EdgeRow] = {}

    def add(row: EdgeRow) -> None:
        rows.setdefault(_edge_key(row), row)  # an id repeated at one position is one edge

    for hop, agencies in enumerate(_chain(provenance.get("chain"), "provenance.chain")):
        for agency in agencies:
            add(("copy", hop, None, agency, basis, rests_on))
    for agency in _ids(provenance.get("cited"), "provenance.cited"):
        quoted = next(
            (
                _text(e)
                for e in evidence
                if e.get("kind") == "in_text" and e.get("agency") == agency
            ),
            None,
        )
        add(("cited", None, None, agency, "in_text", quoted))
    for index, media in enumerate(provenance.get("media") or ()):
        entry = _mapping(media, "provenance.media entry")
        credit = None if entry.get("credit") is None else str(entry["credit"])
        for hop, agencies in enumerate(_chain(entry.get("chain"), "provenance.media chain")):
            for agency in agencies:
                add(("media", hop, index, agency, "photo_credit", credit))
    return tuple(rows.values())


def _reuse_input(pair: Mapping[str, Any]) -> dict[str, Any]:
    """One pair for ``save_reuse``, checked before any SQL runs."""
    entry = _mapping(pair, "reuse pair")
    a = _required_str(entry, "a", "reuse pair")
    b = _required_str(entry, "b", "reuse pair")
    if a == b:
        raise ValueError(f"a reuse pair needs two articles, got {a} twice")
    shares = {}
    for key in ("share_a", "share_b"):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"reuse pair {key} must be a number from 0 to 1, got {value!r}")
        shares[key] = float(value)
    passages = []
    for passage in entry.get("passages") or ():
        span = _mapping(passage, "reuse passage")
        fields = ("a_start", "a_end", "b_start", "b_end", "words")
        if not all(isinstance(span.get(f), int) and span[f] >= 0 for f in fields):
            raise ValueError(f"a reuse passage needs whole numbers {fields}, got {dict(span)!r}")
        passages.append({f: int(span[f]) for f in fields})
    earlier = entry.get("earlier")
    if earlier is not None and earlier not in (a, b):
        raise ValueError(f"reuse pair earlier must be {a!r}, {b!r} or None, got {earlier!r}")
    return {
        "a": a,
        "b": b,
        **shares,
        "passages": passages,
        "earlier": earlier,
        "a_version_id": entry.get("a_version_id"),
        "b_version_id": entry.get("b_version_id"),
    }


def _reuse_record(row: sqlite3.Row) -> dict[str, Any]:
    """One ``reuse_pairs()`` result."""
    return {
        "a": row["a_url"],
        "b": row["b_url"],
        "a_outlet": row["a_outlet"],
        "b_outlet": row["b_outlet"],
        "a_published": row["a_published"],
        "b_published": row["b_published"],
        "a_title": row["a_title"],
        "b_title": row["b_title"],
        "a_version_id": row["a_version_id"],
        "b_version_id": row["b_version_id"],
        "share_a": row["share_a"],
        "share_b": row["share_b"],
        "passages": json.loads(row["passages"]),
        "earlier": row["earlier"],
        "computed_at": row["computed_at"],
    }


def _text(evidence: Mapping[str, Any]) -> str | None:
    text = evidence.get("text")
    return None if text is None else str(text)


def _edge_key(row: EdgeRow) -> tuple[str, int | None, int | None, str]:
    return row[0], row[1], row[2], row[3]


def _chain(value: Any, what: str) -> list[list[str]]:
    """A chain is a list of hops, each a list of registry ids; anything else is refused."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ValueError(f"item {what} must be a list of hops, got {type(value).__name__}")
    return [_ids(hop, f"{what} hop") for hop in value]


def _ids(value: Any, what: str) -> list[str]:
    """A list of non-empty registry ids (``None`` counts as empty)."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ValueError(f"item {what} must be a list of ids, got {type(value).__name__}")
    if not all(isinstance(i, str) and i for i in value):
        raise ValueError(f"item {what} must hold non-empty id strings, got {value!r}")
    return list(value)


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    """Nested parts arrive as dicts after ``asdict``; anything else is a malformed item."""
    if not isinstance(value, Mapping):
        raise ValueError(f"item {what} must be an object, got {type(value).__name__}")
    return value


def _required_str(data: Mapping[str, Any], key: str, what: str) -> str:
    """Refuse an item missing a key field rather than store a row nobody can find again."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} has no {key!r} (a non-empty string is required)")
    return value


def _parse(stamp: str) -> datetime:
    """A stored time back as an aware datetime (stored times are UTC with an offset)."""
    return _aware(datetime.fromisoformat(stamp))


def _aware(moment: datetime) -> datetime:
    """Naive datetimes are UTC here, as fetch times are in the item contract."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _iso(moment: datetime) -> str:
    """The stored form of a time: UTC ISO 8601 with ``+00:00``, so text order is time order."""
    return _aware(moment).astimezone(UTC).isoformat()


def text_digest(text: str) -> str:
    """SHA-256 of the text with whitespace runs collapsed: re-wrapping is not a new version."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def utc_timestamp(value: str) -> str:
    """Rewrite an ISO 8601 time as UTC with a ``+00:00`` suffix, so min()/max() on text work.

    ``Z`` and ``+00:00`` (and other offsets) would otherwise sort wrongly as strings; a time
    without an offset is taken to be UTC, as the item contract says fetch times are.
    """
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"fetch fetched_at is not an ISO 8601 time: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
