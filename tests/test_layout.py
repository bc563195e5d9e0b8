"""The test suite's own layout: shared helpers come from ``tests/crawling.py``, never from
``conftest.py`` or from another test module, so a test module can move or go without
breaking the others."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.crawling import ROOT

TESTS = ROOT / "tests"


def imported_modules(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_no_test_imports_conftest_or_another_test_module() -> None:
    offending = set()
    for path in sorted(TESTS.rglob("*.py")):
        modules = imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        for module in modules:
            last = module.rsplit(".", 1)[-1]
            if module.startswith("tests.") and (last == "conftest" or last.startswith("test_")):
                offending.add((str(path.relative_to(ROOT)), module))
    assert not offending, sorted(offending)


# -- the package ------------------------------------------------------------------------------

SPIDERS = ROOT / "crawler" / "spiders"
#: Where the store lives: a spider that imported these would open a connection of its own.
STORAGE = ("crawler.storage", "crawler.incremental")


def test_no_spider_module_imports_storage() -> None:
    """Spiders navigate only: due revisits come from a spider middleware over the crawl's one
    store connection. Imports inside functions count too (a deferred import is still one)."""
    offending = {
        (path.name, module)
        for path in sorted(SPIDERS.glob("*.py"))
        for module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.startswith(STORAGE)
    }
    assert not offending, sorted(offending)


def test_importing_every_spider_loads_no_storage_module() -> None:
    """Nor through a module a spider imports (checked in a fresh interpreter)."""
    modules = [f"crawler.spiders.{p.stem}" for p in sorted(SPIDERS.glob("*.py"))]
    probe = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        f"print('\\n'.join(m for m in sys.modules if m.startswith({STORAGE!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == []
