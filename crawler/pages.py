"""The parsed page handed from a spider to the pipelines beside its item, not inside it.

A spider parses each page once (an lxml tree, and the ``PageQuery`` over it with what it
already looked up); extraction and provenance read that parse again rather than parse the
bytes twice. It must never reach a feed, the store or a scheduler's queue, and it holds a
whole document, so it is no field of the item: the spider attaches it to the item it yields,
the pipelines look it up by that item, and it goes when the item goes (or earlier, when a
pipeline releases it). The lookup is by the item's identity, so a copy of an item has no page.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.extract import PageQuery


@dataclass
class Page:
    """One parsed page: what extraction and provenance read."""

    url: str
    tree: Any  # lxml.html.HtmlElement: the page's one parse
    content_language: str | None = None
    #: The spider's ``PageQuery`` over ``tree``, with what it already looked up (the article
    #: markers, whether <head> holds every meta and link), for extraction to reuse instead of
    #: walking the page again.
    query: PageQuery | None = None


#: Pages by ``id(item)``. Items are dataclasses compared by value, so they cannot be keys of a
#: ``WeakKeyDictionary``; a finalizer on each item removes its entry when it is collected,
#: before its id can be reused.
_pages: dict[int, Page] = {}


def attach(item: Any, page: Page) -> Any:
    """Hands ``page`` on with ``item`` (which must accept weak references: an item class,
    not a dict); returns the item."""
    key = id(item)
    if key not in _pages:
        weakref.finalize(item, _pages.pop, key, None)
    _pages[key] = page
    return item


def page_of(item: Any) -> Page | None:
    """The page attached to this very item, if it still has one."""
    return _pages.get(id(item))


def release(item: Any) -> None:
    """Lets go of the item's page once nothing after this point reads it (a stored or dropped
    item may live on in a feed exporter or a signal handler; its page need not)."""
    _pages.pop(id(item), None)
