"""What the registry finds in the visible text of real pages, and what it should not.

A registry that grows can start naming agencies in page chrome (``MAP`` on a button, ``TT``
for Trinidad and Tobago). This script runs ``Registry.find`` over the visible text of every
labelled real page in ../shared/external (``provenance-pages/labels-dev.tsv`` and
``agency-pages.tsv``) and counts:

- ``own_pages_mentions``: mentions on pages labelled ``own`` (nothing relevant on them, a
  third of them traps such as Sputnik V or the TT dollar): every one is a false friend;
- ``unlabelled_mentions``: mentions, on any labelled page, of an agency that none of the
  page's labels name (the labels name every agency the annotators found, chrome included),
  so each is either a false friend or a mention the labels missed: read them with ``--show``.

``--registry FILE`` measures another copy of the data file (for example the one on ``main``:
``git show main:crawler/data/agencies.toml > /tmp/old.toml``) with the same matcher, so the
two runs side by side say what a change to the data added. The last line is one JSON object.
Skips, saying so, when ../shared is not beside this checkout.

    python benchmarks/registry_mentions.py [--registry FILE] [--show]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import html  # noqa: E402

from crawler.registry import Registry, load_registry, registry_from_toml  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
LABELS = (
    EXTERNAL / "provenance-pages" / "labels-dev.tsv",
    EXTERNAL / "agency-pages.tsv",
)
#: Elements whose text a reader never sees.
HIDDEN = ("script", "style", "noscript", "template", "svg")


def visible_text(path: Path) -> str:
    """The page's visible text, one text node a line (as the labels were made from)."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    tree = html.fromstring(raw)
    for element in tree.iter(*HIDDEN):
        element.drop_tree()
    return "\n".join(t.strip() for t in tree.itertext() if t.strip())


def labelled_pages() -> dict[str, tuple[set[str], set[str]]]:
    """Each page's path (under ../shared/external) → (its kinds, the agency names labelled)."""
    pages: dict[str, tuple[set[str], set[str]]] = {}
    for table in LABELS:
        with table.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                kinds, names = pages.setdefault(row["path"], (set(), set()))
                kinds.add(row["kind"])
                names |= {n.strip() for n in row["agencies"].split(";") if n.strip()}
    return pages


def load(path: Path | None) -> Registry:
    if path is None:
        return load_registry()
    return registry_from_toml(path.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", type=Path, help="another agencies.toml to measure")
    parser.add_argument("--show", action="store_true", help="print each counted mention")
    args = parser.parse_args()
    if not EXTERNAL.is_dir():
        print(f"skipped: {EXTERNAL} is not beside this checkout")
        print(json.dumps({"skipped": True}))
        return 0
    registry = load(args.registry)
    labelled_as = load_registry()  # the labels' names are resolved with the shipped registry
    own_mentions: Counter[str] = Counter()
    unlabelled: Counter[str] = Counter()
    own_pages = own_pages_hit = pages_read = mentions = 0
    for rel, (kinds, names) in sorted(labelled_pages().items()):
        path = EXTERNAL / rel
        if not path.exists():
            continue
        text = visible_text(path)
        pages_read += 1
        labelled = {labelled_as.resolve(n) or n for n in names}
        found = registry.find(text)
        mentions += len(found)
        only_own = kinds == {"own"}
        own_pages += only_own
        own_pages_hit += only_own and bool(found)
        for mention in found:
            context = text[max(0, mention.start - 40) : mention.end + 40].replace("\n", " | ")
            if only_own:
                own_mentions[mention.agency] += 1
            elif mention.agency not in labelled:
                unlabelled[mention.agency] += 1
            else:
                continue
            if args.show:
                what = "own page" if only_own else "unlabelled"
                print(f"{what}: {mention.agency:<18} {rel}\n    …{context}…")
    print(f"registry: {args.registry or 'shipped'} ({len(registry)} entries)")
    print(f"pages read: {pages_read}; mentions: {mentions}")
    print(f"own-labelled pages: {own_pages}, with a mention: {own_pages_hit}")
    print(f"mentions on own-labelled pages: {sum(own_mentions.values())} {dict(own_mentions)}")
    print(f"mentions of an agency the page's labels do not name: {sum(unlabelled.values())}")
    for agency, count in unlabelled.most_common():
        print(f"    {count:4d}  {agency}")
    print(
        json.dumps(
            {
                "entries": len(registry),
                "pages": pages_read,
                "mentions": mentions,
                "own_pages": own_pages,
                "own_pages_with_mention": own_pages_hit,
                "own_pages_mentions": sum(own_mentions.values()),
                "unlabelled_mentions": sum(unlabelled.values()),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
