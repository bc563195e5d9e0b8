"""The ``live_server`` fixture for every test here (a running LiveServer over fixtures/)."""

from __future__ import annotations

from tests.liveserver import live_server as live_server
