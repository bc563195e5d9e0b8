"""The report tests' fixtures; their helpers live in tests/report/reporting.py."""

from tests.report.reporting import *  # noqa: F403 - fixtures are found by name
