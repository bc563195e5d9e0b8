"""The settings reference: every ``WIRETRACE_*`` name the code reads is documented, with the
default ``crawler/settings.py`` really sets."""

from __future__ import annotations

import re
from pathlib import Path

from crawler import settings as project_settings
from crawler.settings_reference import SETTINGS, by_name, markdown_table

ROOT = Path(__file__).resolve().parent.parent

#: A setting name; a name ending in ``_`` is a prefix in prose (``WIRETRACE_REVISIT_*``).
NAME = re.compile(r"\bWIRETRACE_[A-Z_]*[A-Z]\b(?!\*)")


def names_in_code() -> dict[str, str]:
    """Each ``WIRETRACE_*`` name under ``crawler/``, with one file that uses it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "crawler").rglob("*.py")):
        for name in NAME.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_every_setting_the_code_reads_is_documented() -> None:
    documented = by_name()
    missing = {n: f for n, f in names_in_code().items() if n not in documented}
    assert not missing, f"add these to crawler/settings_reference.py: {missing}"


def test_every_documented_setting_exists_in_the_code() -> None:
    used = names_in_code()
    stale = [s.name for s in SETTINGS if s.name.startswith("WIRETRACE_") and s.name not in used]
    assert not stale


def test_defaults_match_the_project_settings() -> None:
    for setting in SETTINGS:
        if hasattr(project_settings, setting.name):
            assert getattr(project_settings, setting.name) == setting.default, setting.name


def test_each_setting_has_a_meaning_and_a_page() -> None:
    pages = {p.name for p in (ROOT / "docs").glob("*.md")}
    for setting in SETTINGS:
        assert setting.meaning.strip(), setting.name
        assert setting.page in pages, f"{setting.name}: docs/{setting.page} does not exist"


def test_table_lists_every_setting_once_with_its_default() -> None:
    rows = markdown_table().splitlines()[2:]
    assert [r.split("`")[1] for r in rows] == [s.name for s in SETTINGS]
    assert "| `WIRETRACE_DB` | `data/wiretrace.sqlite` beside `scrapy.cfg` |" in markdown_table()
