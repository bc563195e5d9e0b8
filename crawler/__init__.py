"""wiretrace: crawls news outlets and records where each article's copy came from."""

from __future__ import annotations

__version__ = "0.1.0"
