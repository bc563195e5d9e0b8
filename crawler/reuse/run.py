"""One run of text-reuse detection over the store: compare the stored texts, save the pairs,
infer and apply the chains that follow. What ``scrapy reuse`` does, as a function.

numpy and datasketch are imported when a run starts, not with this module: Scrapy imports
every command module on each start, and no ``scrapy crawl`` should wait for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.storage import Store

if TYPE_CHECKING:
    from crawler.reuse.detect import ReusePair
    from crawler.reuse.infer import Inferred

__all__ = ["Report", "detect_and_apply", "pair_record", "report_json"]


class Report:
    """What one run did: the texts compared, the pairs stored, the chains inferred."""

    def __init__(
        self,
        articles: int,
        min_share: float,
        pairs: list[dict[str, Any]],
        texts: dict[str, str],
        inferred: list[tuple[Inferred, bool]],
        basis: dict[str, str | None],
    ) -> None:
        self.articles = articles
        self.min_share = min_share
        self.pairs = pairs  # as reuse_pairs() gives them back
        self.texts = texts  # url -> the text the passages point into (articles of a pair)
        self.inferred = inferred  # each inference and whether the store took it
        self.basis = basis  # url -> the basis it had before this run (articles of a pair)


def detect_and_apply(store: Store, *, min_share: float, most: float) -> Report:
    """Run detection over the store, save the pairs, infer and apply the chains.

    The pairs are saved before any chain is applied, so the stored pairs always match the
    texts compared even if applying stops half-way.
    """
    from crawler.memory import release_freed
    from crawler.reuse.detect import Doc, find_reuse
    from crawler.reuse.infer import infer_provenance

    # Rows become Docs as they are read: a store's rows as dicts would take a tenth more
    # memory than their texts, and detection's peak is reached with every text in memory.
    docs = [
        Doc(
            key=str(row["url"]),
            text=str(row["text"] or ""),
            outlet=str(row["outlet"]),
            published=row.get("published"),
            language=row.get("language"),
        )
        for row in store.reuse_docs()
    ]
    pairs = find_reuse(docs, min_share=min_share)
    # Only the articles of a pair are looked at from here on: the other texts are let go
    # before the provenance of the store is read.
    members = {pair.a for pair in pairs} | {pair.b for pair in pairs}
    texts = {doc.key: doc.text for doc in docs if doc.key in members}
    compared = len(docs)
    del docs
    release_freed()
    store.save_reuse([pair_record(pair) for pair in pairs])
    articles: dict[str, dict[str, Any]] = {}
    basis: dict[str, str | None] = {}
    for r in store.provenance():
        url = str(r["url"])
        if url in members:
            articles[url] = {
                "outlet": r.get("outlet"),
                "published": r.get("published"),
                "provenance": {"chain": r.get("chain") or [], "basis": r.get("basis")},
            }
            basis[url] = r.get("basis")
    inferred = infer_provenance(pairs, articles, most=most)
    applied = store.apply_inferred_many(
        (found.url, found.chain, found.basis, found.evidence) for found in inferred
    )
    outcomes = list(zip(inferred, applied, strict=True))
    return Report(
        articles=compared,
        min_share=min_share,
        pairs=store.reuse_pairs(),
        texts=texts,
        inferred=outcomes,
        basis=basis,
    )


def pair_record(pair: ReusePair) -> dict[str, Any]:
    """A detected pair as ``Store.save_reuse`` takes it (URLs, shares, passages)."""
    return {
        "a": _key(pair.a),
        "b": _key(pair.b),
        "share_a": float(pair.share_a),
        "share_b": float(pair.share_b),
        "passages": [
            {
                "a_start": p.a_start,
                "a_end": p.a_end,
                "b_start": p.b_start,
                "b_end": p.b_end,
                "words": p.words,
            }
            for p in pair.passages
        ],
        "earlier": None if pair.earlier is None else _key(pair.earlier),
    }


def _key(value: Any) -> str:
    """A pair names its articles by ``Doc`` or by key; the store knows them by URL (key)."""
    return str(getattr(value, "key", value))


def report_json(report: Report) -> dict[str, Any]:
    """What ``--json`` prints: the stored pairs and every inference with its outcome."""
    return {
        "articles": report.articles,
        "min_share": report.min_share,
        "pairs": report.pairs,
        "inferred": [
            {
                "url": found.url,
                "chain": found.chain,
                "basis": found.basis,
                "evidence": found.evidence,
                "applied": applied,
                "basis_before": report.basis.get(found.url),
            }
            for found, applied in report.inferred
        ],
    }
