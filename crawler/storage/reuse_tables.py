"""The text-reuse part of the store: the texts detection reads, the pairs it found, and
the chains it inferred written into the articles' provenance."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from crawler.storage.rows import (
    STATED_BASES,
    TEXT_REUSE,
    EdgeRow,
    _chain,
    _edge_rows,
    _evidence_row,
    _iso,
    _mapping,
    _reuse_input,
    _reuse_record,
)
from crawler.storage.sql import INSERT_REUSE, SELECT_REUSE, UPSERT_EVIDENCE

#: An inferred chain: the article's URL, the chain, its basis and the ``text_reuse`` evidence.
Inference = tuple[str, Sequence[Sequence[str]], str, Mapping[str, Any]]
#: Inferred chains written per transaction by ``apply_inferred_many``.
INFERRED_BATCH = 500


class _ReuseTables:
    """Mixed into ``SQLiteStore`` (and so ``PostgresStore``): the ``reuse_*`` methods of
    the ``Store`` interface and ``apply_inferred``."""

    _conn: Any  # sqlite3.Connection, or PostgreSQL's look-alike

    if TYPE_CHECKING:

        def commit(self) -> None: ...

        def _article_ids(self, urls: set[str]) -> dict[str, tuple[int, int | None]]: ...

        def _sync_edges(self, version_id: int, edges: tuple[EdgeRow, ...]) -> None: ...

    def reuse_docs(self) -> Iterator[dict[str, Any]]:
        """What reuse detection and story clustering read: each article's latest text.

        One dict per article, in the order they were first stored: ``url``, ``outlet``,
        ``published``, ``language``, ``title``, ``text`` and the ``version_id`` the text is
        from (the passages a detection run finds point into that text).
        """
        cursor = self._conn.execute(
            "SELECT a.url, a.outlet, a.published, a.language, a.title,"
            " v.id AS version_id, v.text"
            " FROM articles AS a JOIN versions AS v ON v.id = a.latest_version_id"
            " ORDER BY a.id"
        )
        try:  # closed even if the caller stops early, as in articles()
            for row in cursor:
                yield dict(row)
        finally:
            cursor.close()

    def save_reuse(
        self, pairs: Sequence[Mapping[str, Any]], *, computed_at: datetime | None = None
    ) -> None:
        """Replace the stored reuse pairs with these, in one transaction.

        Each pair names two stored articles by URL (``a``, ``b``) and gives ``share_a``,
        ``share_b`` (0..1), ``passages`` (``a_start``, ``a_end``, ``b_start``, ``b_end``,
        ``words``) and ``earlier`` (``a``'s or ``b``'s URL, or None). The whole table is
        replaced, not merged, because a detection run compares every stored text with every
        other: what it did not find (an edited text, a deleted article) must not linger.
        The passages point into each article's latest version, whose id is kept with them
        (``a_version_id``/``b_version_id`` in a pair override that). A pair naming an
        article the store does not hold is refused before anything changes.
        """
        wanted = [_reuse_input(pair) for pair in pairs]
        seen: set[frozenset[str]] = set()
        for pair in wanted:
            key = frozenset((pair["a"], pair["b"]))
            if key in seen:
                raise ValueError(f"reuse pair given twice: {pair['a']} and {pair['b']}")
            seen.add(key)
        stamp = _iso(computed_at if computed_at is not None else datetime.now(UTC))
        self.commit()  # a batch of saves still open is not part of this transaction
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            stored = self._article_ids({p[end] for p in wanted for end in ("a", "b")})
            missing = sorted({p[end] for p in wanted for end in ("a", "b")} - set(stored))
            if missing:
                raise ValueError(f"reuse pairs name articles that are not stored: {missing}")
            rows = []
            for pair in wanted:
                a_id, a_version = stored[pair["a"]]
                b_id, b_version = stored[pair["b"]]
                earlier = pair["earlier"]
                rows.append(
                    (
                        a_id,
                        b_id,
                        pair["a_version_id"] or a_version,
                        pair["b_version_id"] or b_version,
                        pair["share_a"],
                        pair["share_b"],
                        json.dumps(pair["passages"]),
                        None if earlier is None else stored[earlier][0],
                        stamp,
                    )
                )
            self._conn.execute("DELETE FROM reuse")
            self._conn.executemany(INSERT_REUSE, rows)

    def reuse_pairs(self, url: str | None = None) -> list[dict[str, Any]]:
        """The stored reuse pairs, in the order they were saved; ``url`` keeps its pairs.

        Each holds ``a``, ``b`` (URLs), their ``*_outlet``, ``*_published``, ``*_title`` and
        ``*_version_id``, ``share_a``, ``share_b``, ``passages`` (a list of dicts),
        ``earlier`` (a URL or None) and ``computed_at``. ``url`` matches the requested or
        the canonical URL of either article.
        """
        sql = SELECT_REUSE
        params: tuple[str, ...] = ()
        if url is not None:
            sql += " WHERE a.url = ? OR a.canonical_url = ? OR b.url = ? OR b.canonical_url = ?"
            params = (url, url, url, url)
        rows = self._conn.execute(sql + " ORDER BY r.id", params).fetchall()
        return [_reuse_record(row) for row in rows]

    def apply_inferred(
        self, url: str, chain: Sequence[Sequence[str]], basis: str, evidence: Mapping[str, Any]
    ) -> bool:
        """Give an article the chain inferred from text it shares with an earlier one.

        Rewrites the provenance of its latest item (``chain``, ``basis``, and the
        ``text_reuse`` evidence, which replaces any earlier one so that re-running adds
        nothing), and that version's evidence rows and copy edges, in one transaction.
        An empty ``chain`` adds the evidence and keeps the chain (the texts match but which
        came first is unclear). Returns False, changing nothing, for an unknown URL and for
        an article whose provenance rests on a credit line: what the page states about its
        own copy outranks a match between texts.
        """
        return self.apply_inferred_many([(url, chain, basis, evidence)])[0]

    def apply_inferred_many(
        self, inferences: Iterable[Inference], *, batch: int = INFERRED_BATCH
    ) -> list[bool]:
        """``apply_inferred`` for each inference, in order, ``batch`` of them a transaction.

        A run infers thousands of chains, and a commit each cost more than the writes. Each
        batch is atomic: its entries are all checked before any is written, and a failure
        takes back the whole batch (the batches before it stay applied).
        """
        applied: list[bool] = []
        pending = iter(inferences)
        while chunk := list(islice(pending, max(1, batch))):
            checked = [_checked(*inference) for inference in chunk]
            self.commit()  # as in save_reuse
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                applied.extend(self._apply_one(*entry) for entry in checked)
        return applied

    def _apply_one(
        self, url: str, wanted_chain: list[list[str]], basis: str, entry: dict[str, Any]
    ) -> bool:
        """One checked inference written inside the caller's transaction."""
        evidence_row = _evidence_row(entry)
        row = self._conn.execute(
            "SELECT id, latest_version_id, item_json FROM articles WHERE url = ?", (url,)
        ).fetchone()
        if row is None or row["latest_version_id"] is None:
            return False
        item = json.loads(row["item_json"])
        provenance = dict(item.get("provenance") or {})
        if provenance.get("basis") in STATED_BASES:
            return False
        if wanted_chain:
            provenance["chain"] = wanted_chain
            provenance["basis"] = basis
        kept = [
            e
            for e in provenance.get("evidence") or ()
            if not (isinstance(e, Mapping) and e.get("kind") == entry["kind"])
        ]
        provenance["evidence"] = [*kept, entry]
        edges = _edge_rows(provenance)
        item["provenance"] = provenance
        version_id = int(row["latest_version_id"])
        updated = json.dumps(item, ensure_ascii=False)
        if updated != row["item_json"]:
            self._conn.execute(
                "UPDATE articles SET item_json = ? WHERE id = ?", (updated, row["id"])
            )
        # Evidence of the same kind from an earlier run goes, the current one stays put.
        self._conn.execute(
            "DELETE FROM evidence WHERE version_id = ? AND kind = ?"
            " AND NOT (text = ? AND location = ?)",
            (version_id, evidence_row[0], evidence_row[1], evidence_row[2]),
        )
        self._conn.execute(UPSERT_EVIDENCE, (version_id, *evidence_row))
        self._sync_edges(version_id, edges)
        return True


def _checked(
    url: str, chain: Sequence[Sequence[str]], basis: str, evidence: Mapping[str, Any]
) -> tuple[str, list[list[str]], str, dict[str, Any]]:
    """An inference as ``_apply_one`` takes it; a malformed evidence entry or chain refused."""
    entry = dict(_mapping(evidence, "text_reuse evidence"))
    entry.setdefault("kind", TEXT_REUSE)
    _evidence_row(entry)
    return url, _chain(list(chain), "inferred chain"), basis, entry
