"""MkDocs hook: renders the settings reference from ``crawler.settings_reference``.

``docs/settings.md`` holds the prose and a ``<!-- settings-table -->`` marker; the table that
replaces it is generated from the one list in the code, so the page cannot go stale.
"""

from __future__ import annotations

from typing import Any

from crawler.settings_reference import markdown_table

MARKER = "<!-- settings-table -->"


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if page.file.src_uri != "settings.md":
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"docs/settings.md lost its {MARKER} marker")
    return markdown.replace(MARKER, markdown_table())
