"""``scrapy provenance`` run as users run it: a real ``scrapy`` process at the project root,
reading a database filled through the store the crawl uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from prov.model import ProvAttribution, ProvDerivation, ProvDocument

from crawler.items import ArticleItem, Evidence, Fetch, Provenance
from crawler.provenance.prov import article_key
from crawler.registry import load_registry
from crawler.storage.sqlite import SQLiteStore
from tests.crawling import Done, command

pytestmark = pytest.mark.slow  # real scrapy processes


URL_001 = "https://lecourrier.vn/poutine-kim-vostotchny/001.html"
URL_003 = "https://lecourrier.vn/poutine-kim-cooperation-spatiale/003.html"
URL_000 = "https://vietnam.vn/poutine-accueille-kim"
URL_002 = "https://lagazette.fr/poutine-accepte-invitation"
URL_004 = "https://leplacentin.fr/poutine-kim"

AFP_PHOTO = {"credit": "Photo : AFP/VNA/CVN", "chain": [["afp"], ["vna"], ["cvn"]]}


def item(url: str, outlet: str, provenance: Provenance, n: int) -> ArticleItem:
    return ArticleItem(
        url=url,
        outlet=outlet,
        fetch=Fetch(f"2025-05-0{n}T08:00:00+00:00", 200, str(n) * 64, True),
        title=f"Seed {n}",
        language="fr",
        text=f"Texte de l'article {n}.",
        provenance=provenance,
    )


SEEDS = [
    item(
        URL_001,
        "cvn",
        Provenance(
            chain=[["xinhua"], ["vna"], ["cvn"]],
            basis="credit_line",
            media=[AFP_PHOTO],
            evidence=[Evidence("credit_line", "Xinhua/VNA/CVN", "p.author", "xinhua", 0.95)],
        ),
        1,
    ),
    item(
        URL_003,
        "cvn",
        Provenance(
            chain=[["tass"], ["vna"], ["cvn"]],
            basis="credit_line",
            cited=["rossiya-1"],
            media=[AFP_PHOTO],
            evidence=[Evidence("credit_line", "TASS/VNA/CVN", "p.author", "tass", 0.95)],
        ),
        3,
    ),
    item(
        URL_000,
        "vietnam.vn",
        Provenance(
            chain=[["rt", "sputnik"], ["vietnam.vn"]],
            basis="byline",
            media=[
                {"credit": "Photo: Sputnik", "chain": [["sputnik"], ["vietnam.vn"]]},
                {"credit": "Photo : DR", "chain": []},
            ],
            evidence=[Evidence("byline", "RT, Sputnik", "span.author", "rt", 0.7)],
        ),
        5,
    ),
    item(
        URL_002,
        "lagazette",
        Provenance(
            chain=[["lagazette"]],
            basis="own",
            cited=["kcna"],
            evidence=[Evidence("in_text", "selon KCNA", "812", "kcna", 0.8)],
        ),
        2,
    ),
    item(URL_004, "leplacentin", Provenance(chain=[["leplacentin"]], cited=["tass"]), 4),
]


def name(agency_id: str) -> str:
    """As the command shows an id: the registry's name, or the id if it has none."""
    registry = load_registry()
    return registry.get(agency_id).name if agency_id in registry else agency_id


def run(db: Path | str, *options: str) -> Done:
    return command("provenance", *options, db=db, timeout=120)


def ok(done: Done) -> list[str]:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("provenance-command") / "wiretrace.sqlite"
    store = SQLiteStore(path)
    try:
        for seed in SEEDS:
            store.save_article(seed)
    finally:
        store.close()
    return path


# -- lines --------------------------------------------------------------------------------


def test_one_outlet_prints_the_chain_basis_and_url_then_the_photo_credit(db: Path) -> None:
    lines = ok(run(db, "--outlet", "cvn"))

    assert lines == [
        f"cvn  Xinhua → VNA → Le Courrier du Vietnam  (credit_line)  {URL_001}",
        "     photo: AFP → VNA → Le Courrier du Vietnam",
        f"cvn  TASS → VNA → Le Courrier du Vietnam  (credit_line)  {URL_003}",
        f"     cited: {name('rossiya-1')}",
        "     photo: AFP → VNA → Le Courrier du Vietnam",
    ]


def test_every_article_is_listed_with_the_outlets_in_one_column(db: Path) -> None:
    lines = ok(run(db))

    articles = [line for line in lines if not line.startswith(" ")]
    assert [line.rsplit("  ", 1)[1] for line in articles] == [
        URL_001,
        URL_003,
        URL_000,
        URL_002,
        URL_004,
    ]
    width = len("leplacentin")
    for line in articles:  # the chain starts in the same column on every line
        outlet = line.split(" ", 1)[0]
        assert line.startswith(f"{outlet:<{width}}  ") and line[width + 2] != " "
    assert f"{'vietnam.vn':<{width}}  RT + Sputnik → vietnam.vn  (byline)  {URL_000}" in lines
    assert f"{'lagazette':<{width}}  {name('lagazette')}  (own)  {URL_002}" in lines
    indent = " " * (width + 2)
    assert lines[
        lines.index(f"{'lagazette':<{width}}  {name('lagazette')}  (own)  {URL_002}") + 1
    ] == (f"{indent}cited: {name('kcna')}")
    assert f"{indent}photo: Sputnik → vietnam.vn" in lines
    assert f'{indent}photo: "Photo : DR" (no agency identified)' in lines


@pytest.mark.parametrize(
    ("options", "urls"),
    [
        (("--agency", "kcna"), [URL_002]),  # cited
        (("--agency", "vna"), [URL_001, URL_003]),  # a middle hop
        (("--agency", "sputnik"), [URL_000]),  # one of two sources in a hop, and a photo
        (("--agency", "afp"), [URL_001, URL_003]),  # photos only
        (("--agency", "tass"), [URL_003, URL_004]),  # the origin of one, cited by the other
        (("--outlet", "cvn", "--agency", "tass"), [URL_003]),
        (("--url", URL_004), [URL_004]),
    ],
)
def test_filters_select_articles(db: Path, options: tuple[str, ...], urls: list[str]) -> None:
    lines = ok(run(db, *options))

    assert [line.rsplit("  ", 1)[1] for line in lines if not line.startswith(" ")] == urls


def test_an_empty_selection_says_so(db: Path) -> None:
    lines = ok(run(db, "--agency", "reuters", "--outlet", "cvn"))

    assert lines == ["no stored articles match --outlet cvn --agency reuters"]


def test_an_empty_database_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    SQLiteStore(empty).close()

    assert ok(run(empty)) == ["no stored articles match: the database holds no articles yet"]


# -- PROV-JSON --------------------------------------------------------------------------------


def test_prov_json_writes_the_selection_and_says_how_many(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export" / "cvn.prov.json"

    lines = ok(run(db, "--outlet", "cvn", "--prov-json", str(out)))

    assert lines == [f"wrote PROV-JSON of 2 articles to {out}"]
    document = ProvDocument.deserialize(content=out.read_text(encoding="utf-8"), format="json")
    records = document.get_records()
    attributed = {
        (str(r.args[0]), str(r.args[1])) for r in records if isinstance(r, ProvAttribution)
    }
    primary = {
        (str(r.args[0]), str(r.args[1]))
        for r in records
        if isinstance(r, ProvDerivation)
        and "prov:PrimarySource" in map(str, r.get_asserted_types())
    }
    key = article_key(URL_001)
    versions = [
        str(r.identifier)
        for r in records
        if str(r.identifier or "").startswith(f"wt:version/{key}/")
    ]
    assert len(versions) == 1
    assert (versions[0], "reg:cvn") in attributed
    assert (versions[0], f"wt:copy/{key}/0/xinhua") in primary
    assert (f"wt:copy/{key}/0/xinhua", "reg:xinhua") in attributed
    assert not [r for r in records if article_key(URL_002) in str(r.identifier or "")]


def test_prov_json_to_stdout_keeps_the_count_on_stderr(db: Path) -> None:
    done = run(db, "--agency", "kcna", "--prov-json", "-")

    ok(done)
    document = ProvDocument.deserialize(content=done.stdout, format="json")
    assert [r for r in document.get_records() if isinstance(r, ProvDerivation)]
    assert "wrote PROV-JSON of 1 article to -" in done.stderr


# -- errors -----------------------------------------------------------------------------------


def test_a_missing_database_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "wiretrace.sqlite"

    done = run(missing)

    assert done.returncode == 1
    assert done.stdout == ""
    assert f"no wiretrace database at {missing}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not missing.parent.exists()  # reading never creates a database


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("not a database\n" * 100, encoding="utf-8")

    done = run(bogus)

    assert done.returncode == 1
    assert "cannot open the wiretrace database" in done.stderr
    assert "Traceback" not in done.stderr
