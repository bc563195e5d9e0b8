"""pytest's hooks for the whole suite. Shared helpers live in ``tests/crawling.py``: tests
import from there, never from this file (pytest loads it under its own name, and importing it
again as a module would load it twice)."""

from __future__ import annotations
