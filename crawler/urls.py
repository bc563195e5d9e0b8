"""Which URLs a crawl accepts to start from: web pages, local files and ``data:`` URLs.

Anything else (``ftp://``, ``javascript:``, a line that is not a URL) is refused up front,
each with one clear reason, so the other URLs of a list still run and nothing is handed to a
download handler that would try the network or fail with a traceback.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: Schemes a start URL may have: http(s) from the web or a replay, file and data read locally.
ACCEPTED_SCHEMES = ("http", "https", "file", "data")
#: Schemes read from this machine: no politeness delay, robots.txt or retries apply to them.
LOCAL_SCHEMES = ("file", "data")


def scheme_of(url: str) -> str:
    return url.split(":", 1)[0].lower() if ":" in url else ""


def is_local(url: str) -> bool:
    return scheme_of(url) in LOCAL_SCHEMES


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot start a crawl, or None when it can."""
    scheme = scheme_of(url)
    if not scheme or not scheme.isascii() or not scheme.replace("+", "").isalnum():
        return "not a URL (no scheme such as https://)"
    if scheme not in ACCEPTED_SCHEMES:
        return f"{scheme}: URLs are not fetched (only http, https, file and data)"
    try:
        split = urlsplit(url)
        split.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"malformed URL ({exc})"
    if scheme in ("http", "https") and not split.hostname:
        return "no host"
    if scheme == "file" and (not split.path or split.netloc not in ("", "localhost")):
        return "a file URL is file:///absolute/path"
    if scheme == "data" and "," not in url:
        return "a data URL is data:[<type>][;base64],<data>"
    return None
