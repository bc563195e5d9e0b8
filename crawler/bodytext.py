"""The article body inside the main text, and how much body makes a page an article.

trafilatura returns a page's main text, and on real pages that text still carries what is
not the article: the headline on its first line, a byline block, a photo caption between
paragraphs, the agency credit on the last line (``(AFP)``, ``Xinhua/VNA/CVN``,
``Sources : AFP, Reuters``). ``text`` is the body only, so those lines are cut; but they are
what provenance rests on, so each cut line becomes a piece of evidence of its kind and the
provenance readers read it as they read a credit line the profile found on the page.

A line is cut by convention, never by one site's wording: the headline is the line that
repeats the title; a caption is a line the page itself marks as a caption, or one opening
with a photo label (``Photo :``) or closing on a photo credit; bylines and credit lines are
recognised only at the top and bottom edges of the text, where outlets print them, and only
as the provenance readers understand them (a sentence that mentions an agency stays). The
word tables are data (``crawler/data/bodytext.toml``).

Plain functions over text, tested without Scrapy.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from crawler.items import Evidence
from crawler.provenance.readers import (
    find_end_credit,
    read_byline,
    read_credit_line,
    read_dateline,
)
from crawler.registry import Registry, load_registry

#: Pages with fewer words of article text than this are not articles (``WIRETRACE_MIN_WORDS``).
#: The shortest real articles among the 541 pages in ../shared/external have 33 to 39 such
#: words (wire briefs, a truncated capture); error, video and home pages have at most 12.
MIN_WORDS = 30

#: Characters of scripts written without spaces between words (kana, CJK ideographs).
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+")
#: Punctuation inside prose: a line without any (a teaser headline, a menu, a date) is not.
_PROSE_MARK = re.compile(r"[.,;!?…。，、！？]")
#: A sentence ends inside the line: a line that holds one is prose, not a byline.
_SENTENCE = re.compile(r"\w[.!?…]\s+\S")
#: A line of this many words or more that ends as a sentence does is one.
_SENTENCE_WORDS = 6
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
#: Evidence texts longer than this are containers, not a caption or byline to match lines to.
_PLACED_MAX_CHARS = 400


@dataclass(frozen=True)
class Conventions:
    """``crawler/data/bodytext.toml``, compiled."""

    line_words: int
    chars_per_word: int
    top: int
    bottom: int
    caption_label: re.Pattern[str]
    caption_credit: re.Pattern[str]
    caption_max_words: int
    byline_opener: re.Pattern[str]
    byline_max_words: int
    related: re.Pattern[str]
    related_max_words: int


def _alternation(phrases: Iterable[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)


@cache
def conventions() -> Conventions:
    resource = resources.files("crawler") / "data" / "bodytext.toml"
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    caption, byline = data["caption"], data["byline"]
    return Conventions(
        line_words=int(data["prose"]["line_words"]),
        chars_per_word=int(data["prose"]["chars_per_word"]),
        top=int(data["edges"]["top"]),
        bottom=int(data["edges"]["bottom"]),
        caption_label=re.compile(
            rf"^[\s(\[]*(?:{_alternation(caption['labels'])})\s*[:：]\s*\S", re.IGNORECASE
        ),
        # "... le 13 septembre. Photo : AFP/VNA/CVN", "... (Photo: Reuters)"
        caption_credit=re.compile(
            rf"(?:^|[\s(\[])(?:{_alternation(caption['labels'])})\s*[:：]\s*[^:：]{{1,80}}$",
            re.IGNORECASE,
        ),
        caption_max_words=int(caption["max_words"]),
        # An opener, then a capitalised name: "Par Claire Vasseur", not "Par ailleurs, ...".
        byline_opener=re.compile(
            rf"^(?:{_alternation(byline['openers'])})\s*:?\s+(?P<name>[^\W\d_])", re.IGNORECASE
        ),
        byline_max_words=int(byline["max_words"]),
        related=re.compile(
            rf"^\s*(?:{_alternation(data['related']['markers'])})\s*:?\s*\S", re.IGNORECASE
        ),
        related_max_words=int(data["related"]["max_words"]),
    )


def words(line: str) -> int:
    """Words in a line; in scripts without spaces, ``chars_per_word`` characters make one."""
    if line.isascii():  # a flag of the string: no scan
        return len(line.split())
    spaceless = len(_SPACELESS.findall(line))
    if not spaceless:  # nearly every line: nothing to blank out
        return len(line.split())
    per_word = conventions().chars_per_word
    return len(_SPACELESS.sub(" ", line).split()) + -(-spaceless // per_word)


def article_words(text: str) -> int:
    """Words of article prose in a main text: lines of at least ``line_words`` words that
    carry punctuation.

    Menus, dates, kickers and share labels are short lines, and teaser headlines carry no
    punctuation; what a page that is not an article leaves in trafilatura's output is mostly
    those, so counting only prose lines tells a home or video page from a short wire brief
    better than a plain count (a hard-wrapped brief still has commas on most lines).
    """
    least = conventions().line_words
    return sum(
        n
        for n, line in ((words(line), line) for line in text.split("\n"))
        if n >= least and _PROSE_MARK.search(line)
    )


def _key(text: str) -> str:
    """Text compared without case, punctuation or spacing."""
    return " ".join(_WORD.findall(text.casefold()))


@dataclass
class Body:
    """The body lines of a main text, and what was cut from it as evidence."""

    text: str
    cut: list[Evidence] = field(default_factory=list)
    headline: str | None = None


def is_headline(line: str, title: str | None) -> bool:
    """Whether a line repeats the title, allowing a site name after either of them."""
    line_key, title_key = _key(line), _key(title or "")
    if not line_key or not title_key:
        return False
    if line_key == title_key:
        return True
    shorter, longer = sorted((line_key, title_key), key=len)
    return longer.startswith(shorter + " ") and len(shorter) >= 0.7 * len(longer)


def is_caption(line: str) -> bool:
    """A photo caption or credit printed in the text: it opens with a photo label
    (``Photo : AFP/VNA/CVN``) or is a short line that closes on a photo credit."""
    conv = conventions()
    if ":" not in line and "：" not in line:
        return False  # every caption form has its label's colon
    if words(line) > conv.caption_max_words:
        return False
    return bool(conv.caption_label.match(line) or conv.caption_credit.search(line))


def is_related_link(line: str) -> bool:
    """A line pointing to another article (``>> Titre``, ``Lire aussi : ...``)."""
    conv = conventions()
    # The anchored pattern first: it fails on the first characters of nearly every line.
    return bool(conv.related.match(line)) and words(line) <= conv.related_max_words


def is_signature(line: str, registry: Registry, publisher: str | None) -> bool:
    """A line that is only the publisher's own name (``Le Placentin``): its signature."""
    if publisher is None:
        return False
    own = {publisher, registry.owner_of(publisher)}
    mentions = registry.find(line)
    if not mentions or any(m.agency not in own for m in mentions):
        return False
    rest = line
    for mention in reversed(mentions):
        rest = rest[: mention.start] + rest[mention.end :]
    return not _WORD.search(rest)


def edge_kind(
    line: str, registry: Registry | None = None, *, publisher: str | None = None
) -> str | None:
    """``credit_line`` or ``byline`` for a line at the top or bottom of the text that is one.

    A credit line is what the provenance readers read as a credit as a whole (a slash chain,
    a labelled source, agency names alone, ``(AFP)``); a byline is a short line without a
    sentence in it that opens with a byline word and a name (``Par Claire Vasseur``) or
    credits sources the way bylines do (``Minh Duc (selon RT, Sputnik)``), or the
    publisher signing its own article (``Le Placentin``).
    """
    conv = conventions()
    reg = registry or load_registry()
    size = words(line)
    if size > 2 * conv.byline_max_words:
        return None
    if "©" in line and words(line[: line.index("©")]) >= _SENTENCE_WORDS // 2:
        return None  # "Mikaela Shiffrin à l'arrivée. © AFP": a caption's photo copyright
    if read_credit_line(line, reg, publisher=publisher) is not None:
        return "credit_line"
    if is_signature(line, reg, publisher):
        return "byline"
    if size > conv.byline_max_words or _SENTENCE.search(line) or line.rstrip().endswith(":"):
        return None
    if size >= _SENTENCE_WORDS and line.rstrip().endswith((".", "!", "?")):
        return None  # "Reuters a rapporté que ...": a sentence, not a byline
    if _URL.search(line):
        return None  # "Follow AP's coverage at https://...": a promotion, not a byline
    opener = conv.byline_opener.match(line)
    if opener is not None and opener.group("name").isupper():
        return "byline"
    if read_dateline(line, reg) is not None:
        return None  # "LOS ANGELES (AP) — To LeBron James, ...": the body's first words
    found = read_byline(line, reg, publisher=publisher)
    return "byline" if found is not None and found.agencies else None


def _placed(evidence: Iterable[Evidence]) -> dict[str, str]:
    """Keys of the short captions, bylines and credit lines the page located itself."""
    placed: dict[str, str] = {}
    for piece in evidence:
        if piece.kind in ("caption", "byline", "credit_line") and (
            len(piece.text) <= _PLACED_MAX_CHARS
        ):
            placed.setdefault(_key(piece.text), piece.kind)
    return placed


#: The key of a line that cannot be, nor be part of, a located piece: no key holds it.
_UNPLACED = "\x00"
#: A line's first two words, and how far into the line they are looked for.
_FIRST_WORDS = re.compile(r"\W*(\w+)(?:\W+(\w+))?")
_FIRST_CHARS = 80


def _line_keys(lines: list[str], placed: dict[str, str]) -> list[str]:
    """``_key`` of each line for ``_placed_kind``, or ``_UNPLACED`` for a line whose first two
    words appear in no located piece: such a line is no piece, nor the start or end of one,
    so its key (most of the time of a page's cut, on long paragraphs) need not be made. The
    words are read from the line's first characters, case-folded as ``_key`` folds (one
    character at a time): a word cut short there is still in any piece the whole one is in."""
    pieces = "\n".join(placed)  # words never hold a line break: no match spans two keys
    keys = []
    for line in lines:
        first = _FIRST_WORDS.match(line[:_FIRST_CHARS].casefold())
        if first is not None and (" ".join(filter(None, first.groups())) not in pieces):
            keys.append(_UNPLACED)
        else:
            keys.append(_key(line))
    return keys


def _placed_kind(keys: list[str], i: int, placed: dict[str, str]) -> str | None:
    """The kind of line ``i`` (``keys`` are the lines' ``_key``) when the page located it as
    a caption, byline or credit line: the same words, or for a caption (its text and its
    credit often sit on two lines inside one ``figcaption``), the same words as this line
    and the next together.

    Only whole pieces count: a body paragraph that an image caption repeats in part
    (a lead reused as the caption) is still body."""
    key = keys[i]
    if not key:
        return None
    if key in placed:
        return placed[key]
    if "caption" in placed.values():
        for pair in (
            keys[i - 1] + " " + key if i else "",
            key + " " + keys[i + 1] if i + 1 < len(keys) else "",
        ):
            if pair and placed.get(pair) == "caption":
                return "caption"
    return None


def split_body(
    text: str,
    *,
    title: str | None = None,
    evidence: Iterable[Evidence] = (),
    publisher: str | None = None,
    registry: Registry | None = None,
) -> Body:
    """The body of a main text (lines joined by ``\\n``), with the cut lines as evidence.

    ``evidence`` is what the page itself located (captions, bylines, credit lines read from
    the raw page): a line of the text that repeats one is cut as that kind. Cut evidence says
    where it was as ``text:line N`` (1-based, in trafilatura's text before the cut); a piece
    already in ``evidence`` is not repeated.
    """
    conv = conventions()
    reg = registry or load_registry()
    given = list(evidence)
    lines = [line for line in text.split("\n") if line.strip()]
    kinds: dict[int, str] = {}
    tails: dict[int, tuple[int, str]] = {}  # line index -> (cut from, credit text)

    for i in range(min(conv.top, len(lines))):
        if is_headline(lines[i], title):
            kinds[i] = "headline"  # every repeat: a banner, the h1, a share box's title
    placed = _placed(given)
    keys = _line_keys(lines, placed) if placed else []
    for i, line in enumerate(lines):
        if i in kinds:
            continue
        kind = _placed_kind(keys, i, placed) if placed else None
        # "22/11/2020 - Fonte: Agência Brasil - Foto: X" is a metadata line whose source is
        # the copy's: read at the edges as a credit line, not as a photo's caption.
        if (
            kind is None
            and is_caption(line)
            and read_credit_line(line, reg, publisher=publisher) is None
        ):
            kind = "caption"
        if kind is None and is_related_link(line):
            kind = "related"
        if kind is not None:
            kinds[i] = kind
    # The top edge: a byline or source line before the first paragraph, passing over a
    # short line that is neither (a kicker, a date).
    for i in range(min(conv.top, len(lines))):
        if i in kinds:
            continue
        kind = edge_kind(lines[i], reg, publisher=publisher)
        if kind is not None:
            kinds[i] = kind
        elif words(lines[i]) > conv.byline_max_words:
            break
    # The bottom edge: credit and byline lines after the last paragraph, passing over a few
    # short lines that are neither (a signature, "Comments"), then a credit glued to the end
    # of the last paragraph ("... merece». EFE").
    seen = 0
    for i in range(len(lines) - 1, -1, -1):
        if seen >= conv.bottom:
            break
        if i in kinds:
            continue
        seen += 1
        kind = edge_kind(lines[i], reg, publisher=publisher)
        if kind is not None:
            kinds[i] = kind
            continue
        found = find_end_credit(lines[i], reg, publisher=publisher)
        if found is not None and found.start > 0:
            tails[i] = (found.start, found.text)
            break
        if words(lines[i]) > conv.byline_max_words:
            break

    body: list[str] = []
    cut: list[Evidence] = []
    known: set[tuple[str, str]] = set()  # the given pieces' keys, once a line is cut
    headline = None

    def keep(kind: str, piece: str, index: int) -> None:
        if not known:
            known.update((given_piece.kind, _key(given_piece.text)) for given_piece in given)
        key = (kind, _key(piece))
        if key not in known:
            known.add(key)
            cut.append(Evidence(kind=kind, text=piece.strip(), where=f"text:line {index + 1}"))

    for i, line in enumerate(lines):
        kind = kinds.get(i)
        if kind == "headline":
            headline = headline or line
        elif kind == "related":
            continue  # another article's title: evidence of nothing
        elif kind is not None:
            keep(kind, line, i)
        elif i in tails:
            start, credit = tails[i]
            body.append(line[:start].rstrip())
            keep("credit_line", credit, i)
        else:
            body.append(line)
    return Body(text="\n".join(body), cut=cut, headline=headline)
