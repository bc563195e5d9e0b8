"""Saved responses, looked up by URL: the fixtures folder layout (see fixtures/README.md).

Replay answers every request from here instead of the network, through the same spiders
and pipelines as a live crawl.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from w3lib.url import canonicalize_url


@dataclass(frozen=True)
class SavedResponse:
    url: str
    status: int
    headers: dict[str, str]
    body_path: Path | None

    def body(self) -> bytes:
        return self.body_path.read_bytes() if self.body_path else b""


def url_key(url: str) -> str:
    """Requests and saved pages match on the canonical URL (query sorted, no fragment)."""
    return canonicalize_url(url, keep_fragments=False)


class FixtureSource:
    """Every ``response.json`` below a folder, indexed by URL; bodies read when asked for."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise FileNotFoundError(f"REPLAY_FROM: no folder at {root}")
        self.root = root
        self._index: dict[str, SavedResponse] = {}
        for meta_path in sorted(root.rglob("response.json")):
            saved = self._load(meta_path)
            key = url_key(saved.url)
            if key in self._index:
                raise ValueError(f"REPLAY_FROM: {saved.url} is saved twice ({meta_path})")
            self._index[key] = saved

    @staticmethod
    def _load(meta_path: Path) -> SavedResponse:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = meta.get("body")
        return SavedResponse(
            url=meta["url"],
            status=int(meta.get("status", 200)),
            headers={str(k): str(v) for k, v in meta.get("headers", {}).items()},
            body_path=meta_path.parent / body if body else None,
        )

    def __len__(self) -> int:
        return len(self._index)

    def get(self, url: str) -> SavedResponse | None:
        return self._index.get(url_key(url))


def open_source(path: str | Path) -> FixtureSource:
    """The replay source for ``REPLAY_FROM``: a fixtures folder (WARC files come later)."""
    return FixtureSource(Path(path))
