"""A generated news site of any size, served by ``LiveServer`` at the three outlets' hosts.

Each outlet's saved article (fixtures/) is the template of its generated articles: the same
markup and credit line, so the spider, extraction and provenance treat every one of them as
they treat the real page and give it the same chain; only the URL, the title and one
paragraph change, so every article has a text of its own. Section pages list the articles
(``LISTING_SIZE`` a page) and link to the next page, as the outlets' pagination does. Links
the template had to other saved pages are emptied, so the crawl meets only generated pages.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from crawler.profile import load_profile
from tests.crawling import FIXTURES
from tests.liveserver import LiveServer

LISTING_SIZE = 50

#: outlet → (its saved article, its section URL, how a generated article's URL is made)
OUTLETS: dict[str, tuple[str, str, str]] = {
    "cvn": (
        "cvn/001-poutine-kim-vostotchny",
        "https://lecourrier.vn/international/74.cvn",
        "https://lecourrier.vn/article-genere-{n}/{id}.html",
    ),
    "lagazette": (
        "lagazette/002-poutine-accepte-invitation",
        "https://lagazetteaz.fr/news/linfodeaaz",
        "https://lagazetteaz.fr/news/linfodeaaz/{id}.html",
    ),
    "leplacentin": (
        "leplacentin/004-fin-des-discussions",
        "https://leplacentin.fr/category/diplomatie",
        "https://leplacentin.fr/news-details/article-genere-{n}",
    ),
}


@dataclass
class Site:
    """What was generated: each article's URL with its outlet, and each outlet's seed."""

    articles: dict[str, str] = field(default_factory=dict)  # url → outlet
    chains: dict[str, list[list[str]]] = field(default_factory=dict)  # outlet → chain
    seeds: dict[str, str] = field(default_factory=dict)  # outlet → first section page
    listings: list[str] = field(default_factory=list)

    @property
    def hosts(self) -> list[str]:
        return sorted({re.sub(r"^https?://([^/]+)/.*$", r"\1", u) for u in self.seeds.values()})

    def write_seeds(self, folder: Path) -> Path:
        """A seeds folder (``WIRETRACE_SEEDS_DIR``) starting each outlet at its section."""
        folder.mkdir(parents=True, exist_ok=True)
        for outlet, url in self.seeds.items():
            (folder / f"{outlet}.txt").write_text(url + "\n", encoding="utf-8")
        return folder


def generate(server: LiveServer, pages: int, *, delay: float = 0.0) -> Site:
    """Serve ``pages`` articles (spread evenly over the outlets) and their section pages."""
    site = Site()
    outlets = list(OUTLETS)
    per_outlet = {
        o: pages // len(outlets) + (i < pages % len(outlets)) for i, o in enumerate(outlets)
    }
    for outlet, count in per_outlet.items():
        fixture, section, url_form = OUTLETS[outlet]
        template, original_url, title, chain = _template(outlet, fixture)
        site.chains[outlet] = chain
        site.seeds[outlet] = section
        urls = [url_form.format(n=n, id=900000 + n) for n in range(1, count + 1)]
        for n, url in enumerate(urls, 1):
            body = template.replace(original_url, url).replace(
                title, f"{title} (article généré {outlet} {n})", 1
            )
            body = body.replace(
                "</h1>", f"</h1>\n<p>Dépêche générée numéro {n} pour {outlet}.</p>", 1
            )
            _serve(server, url, body, delay)
            site.articles[url] = outlet
        chunks = [urls[i : i + LISTING_SIZE] for i in range(0, len(urls), LISTING_SIZE)]
        for index, chunk in enumerate(chunks):
            listing = section if index == 0 else f"{section}?page={index + 1}"
            following = f"{section}?page={index + 2}" if index + 1 < len(chunks) else None
            _serve(server, listing, _listing_page(chunk, following), delay)
            site.listings.append(listing)
    return site


def _serve(server: LiveServer, url: str, body: str, delay: float) -> None:
    server.set_page(url, body)
    if delay:
        server.delay(url, delay)


def _template(outlet: str, fixture: str) -> tuple[str, str, str, list[list[str]]]:
    """The saved article's HTML with its links to other saved pages emptied, its URL,
    its title (as it appears in the HTML) and the chain it yields."""
    folder = FIXTURES / fixture
    response = json.loads((folder / "response.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["item"]
    page = (folder / response["body"]).read_text(encoding="utf-8")
    profile = load_profile(outlet)

    def unlink(match: re.Match[str]) -> str:
        href = urljoin(response["url"], html.unescape(match.group(1)))
        keep = not (profile.is_article_url(href) or profile.is_listing_url(href))
        return match.group(0) if keep or href == response["url"] else 'href="#"'

    page = re.sub(r'href="([^"]*)"', unlink, page)
    title = html.escape(expected["title"], quote=False)
    if title not in page:
        title = expected["title"]
    return page, response["url"], title, expected["provenance"]["chain"]


def _listing_page(urls: list[str], following: str | None) -> str:
    links = "\n".join(f'<li><a href="{u}">Article {i}</a></li>' for i, u in enumerate(urls))
    more = f'<a class="next" href="{following}">Page suivante</a>' if following else ""
    return f"<html><head><title>Rubrique</title></head><body><ul>{links}</ul>{more}</body></html>"


def worker_command(
    site: Site,
    server: LiveServer,
    work: Path,
    name: str,
    *,
    db: str,
    redis: str | None,
    settings: dict[str, str] | None = None,
) -> list[str]:
    """One worker of a crawl of the generated site: ``scrapy crawlall`` of the three outlets,
    as each machine of a deployment runs it; its WARC files and stats in ``work/<name>``."""
    out = work / name
    command = [
        sys.executable, "-m", "scrapy", "crawlall", *site.seeds,
        "-s", f"WIRETRACE_DB={db}",
        "-s", f"WIRETRACE_SEEDS_DIR={site.write_seeds(work / 'seeds')}",
        "-s", f"WIRETRACE_HOST_MAP={json.dumps(server.host_map(site.hosts))}",
        "-s", "WIRETRACE_HOST_MAP_STRICT=True",
        "-s", f"WIRETRACE_WARC_DIR={out / 'warc'}",
        "-s", f"WIRETRACE_STATS_FILE={out / '%(name)s.stats.json'}",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "LOG_LEVEL=INFO",
    ]  # fmt: skip
    if redis is not None:
        command += ["-s", f"WIRETRACE_REDIS_URL={redis}"]
    for key, value in (settings or {}).items():
        command += ["-s", f"{key}={value}"]
    return command
