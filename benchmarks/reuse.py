"""Text reuse detection on synthetic articles with known copies: precision, recall, time, memory.

Generates N articles (seeded, so every run sees the same corpus) from a made-up vocabulary:
Zipf-distributed words, topic words and names, set phrases shared across the corpus
("a déclaré le ministre" style), 300-600 words in paragraphs of a few sentences, some with a
quotation. Planted among them:

* families: an original and one to three copies of it, verbatim or lightly edited
  (paragraphs reordered and trimmed, the first sentence rewritten, a few words substituted,
  a paragraph of its own added). Every pair inside a family is true reuse;
* decoys: short articles on the same topic written independently that quote the same
  speech, a quotation of 60-120 words with its "a déclaré X" around it, about half of each
  text. Counting quoted words, they would pair; they must not.

Runs ``find_reuse`` over the corpus and scores its pairs against the planted ones. Wall time
is ``find_reuse`` alone (generation and the one-off character table excluded, both printed
apart); peak RSS is the process's, corpus included. Without ``--articles`` it runs 10,000 then
100,000 articles, each in a child process so each size's peak memory is its own. The last line
is one JSON object: ``articles``, ``precision``, ``recall``, ``seconds``, ``peak_rss_mb`` (the
largest size run), and ``stories_seconds``, ``stories_peak_rss_mb``: ``cluster_stories`` over
the largest corpus (60 days of articles), in a child process of its own
(``--stories --articles N`` runs that alone).

    python benchmarks/reuse.py                  # 10,000 and 100,000
    python benchmarks/reuse.py --articles 20000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.reuse.detect import Doc, find_reuse  # noqa: E402
from crawler.reuse.shingles import fold_table  # noqa: E402
from crawler.reuse.stories import cluster_stories  # noqa: E402

SIZES = (10_000, 100_000)
ZONES = ("+00:00", "+01:00", "+02:00", "+07:00", "-05:00", "+09:00")


@dataclass
class Corpus:
    docs: list[Doc]
    truth: set[tuple[str, str]] = field(default_factory=set)
    decoys: int = 0


class Writer:
    """Made-up language: a Zipf vocabulary, topics (own words and names) and set phrases."""

    def __init__(self, rng: np.random.Generator, topics: int) -> None:
        self.rng = rng
        vowels = ("a", "e", "i", "o", "u", "ou", "ai")
        syllables = [c + v for c in "bcdfghjklmnprstvz" for v in vowels]
        words: set[str] = set()
        while len(words) < 40_000:
            n = int(rng.integers(1, 5))
            words.add("".join(syllables[k] for k in rng.integers(0, len(syllables), n)))
        # Shuffled, so frequency does not follow the alphabet.
        self.words = [str(w) for w in rng.permutation(sorted(words))]
        ranks = np.arange(1, len(self.words) + 1, dtype=np.float64)
        weights = 1.0 / ranks**1.05
        self.cdf = np.cumsum(weights / weights.sum())
        self.topic_words = rng.integers(200, len(self.words), (topics, 120))
        names = sorted({w.capitalize() for w in self.words[5000:20000]})
        self.names = names
        self.topic_names = rng.integers(0, len(names), (topics, 10))
        self.phrases = [
            " ".join(self.words[k] for k in self.zipf(int(rng.integers(3, 7)))) for _ in range(600)
        ]

    def zipf(self, n: int) -> np.ndarray:
        return np.searchsorted(self.cdf, self.rng.random(n))

    def sentence(self, topic: int, low: int = 8, high: int = 26) -> str:
        n = int(self.rng.integers(low, high))
        picks = self.zipf(n)
        tokens = list(itemgetter(*picks)(self.words)) if n > 1 else [self.words[picks[0]]]
        for pos in self.rng.integers(0, n, max(1, n // 5)):
            tokens[pos] = self.words[self.topic_words[topic, self.rng.integers(0, 120)]]
        for pos in self.rng.integers(0, n, max(1, n // 10)):
            tokens[pos] = self.names[self.topic_names[topic, self.rng.integers(0, 10)]]
        if self.rng.random() < 0.5:
            tokens.insert(int(self.rng.integers(0, n)), self.phrases[self.rng.integers(0, 600)])
        text = " ".join(tokens)
        return text[0].upper() + text[1:] + "."

    def quote(self, topic: int, sentences: int = 3) -> str:
        """A quotation (about 25 words a sentence) and who said it."""
        speech = " ".join(self.sentence(topic, 6, 12) for _ in range(sentences))
        speaker = self.names[self.topic_names[topic, 0]]
        return f"« {speech} », a déclaré le ministre {speaker}."

    def article(
        self, topic: int, quote: str | None = None, words: tuple[int, int] = (300, 600)
    ) -> list[str]:
        """Paragraphs of one article of about ``words`` words (and ``quote``, if any)."""
        target = int(self.rng.integers(*words))
        paragraphs: list[str] = []
        words = 0
        while words < target:
            para = " ".join(self.sentence(topic) for _ in range(int(self.rng.integers(2, 5))))
            paragraphs.append(para)
            words += para.count(" ") + 1
        if quote is not None:
            paragraphs.insert(int(self.rng.integers(1, len(paragraphs) + 1)), quote)
        elif self.rng.random() < 0.3:
            paragraphs.insert(int(self.rng.integers(1, len(paragraphs))), self.quote(topic))
        return paragraphs

    def edit(self, paragraphs: list[str], topic: int) -> list[str]:
        """A light rewrite: new first sentence, paragraphs reordered and trimmed, words swapped."""
        rng = self.rng
        paras = list(paragraphs)
        first = paras[0].split(". ", 1)
        paras[0] = self.sentence(topic) + (" " + first[1] if len(first) > 1 else "")
        for _ in range(int(rng.integers(0, 3))):
            if len(paras) > 4:
                del paras[int(rng.integers(1, len(paras)))]
        body = paras[1:]
        for _ in range(int(rng.integers(1, 3))):
            if len(body) > 1:
                i = int(rng.integers(0, len(body) - 1))
                body[i], body[i + 1] = body[i + 1], body[i]
        paras = [paras[0], *body]
        out = []
        for para in paras:
            tokens = para.split(" ")
            for pos in rng.integers(0, len(tokens), len(tokens) // 60):
                tokens[pos] = self.words[int(self.zipf(1)[0])]
            out.append(" ".join(tokens))
        if rng.random() < 0.5:
            out.append(" ".join(self.sentence(topic) for _ in range(2)))
        return out


def stamp(rng: np.random.Generator, minutes: float) -> str | None:
    """An ISO 8601 time ``minutes`` after a fixed origin, in a random zone; sometimes unknown."""
    if rng.random() < 0.05:
        return None
    zone = ZONES[int(rng.integers(0, len(ZONES)))]
    sign = 1 if zone[0] == "+" else -1
    offset = sign * (int(zone[1:3]) * 60 + int(zone[4:6]))
    base = np.datetime64("2023-09-01T00:00") + np.timedelta64(int(minutes + offset), "m")
    return f"{base}:00{zone}"


def generate(n: int, seed: int = 7) -> Corpus:
    rng = np.random.default_rng(seed)
    writer = Writer(rng, topics=max(20, n // 40))
    topics = writer.topic_words.shape[0]
    corpus = Corpus(docs=[])
    outlets = [f"outlet{i}" for i in range(300)]

    def add(paragraphs: list[str], minutes: float) -> str:
        key = f"https://example.org/{len(corpus.docs)}"
        outlet = outlets[int(rng.integers(0, len(outlets)))]
        corpus.docs.append(Doc(key, "\n".join(paragraphs), outlet, stamp(rng, minutes), "xx"))
        return key

    while len(corpus.docs) < n:
        topic = int(rng.integers(0, topics))
        minutes = float(rng.uniform(0, 60 * 24 * 60))
        roll = rng.random()
        if roll < 0.10 and len(corpus.docs) + 4 <= n:  # a family: original and copies
            original = writer.article(topic)
            family = [add(original, minutes)]
            for _ in range(int(rng.integers(1, 4))):
                verbatim = rng.random() < 0.3
                copy = original if verbatim else writer.edit(original, topic)
                family.append(add(copy, minutes + float(rng.uniform(10, 600))))
            corpus.truth.update(
                (x, y) if x < y else (y, x) for i, x in enumerate(family) for y in family[i + 1 :]
            )
        elif roll < 0.14 and len(corpus.docs) + 3 <= n:  # decoys: one speech, quoted apart
            speech = writer.quote(topic, sentences=int(rng.integers(4, 8)))
            for _ in range(int(rng.integers(2, 4))):
                text = writer.article(topic, quote=speech, words=(60, 140))
                add(text, minutes + float(rng.uniform(0, 300)))
                corpus.decoys += 1
        else:
            add(writer.article(topic), minutes)
    return corpus


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stories(n: int) -> dict[str, float | int]:
    """``cluster_stories`` (72-hour window) over the same corpus, 60 days of articles."""
    corpus = generate(n)
    fold_table()
    start = time.perf_counter()
    stories = cluster_stories(corpus.docs)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    grouped = sum(len(s) for s in stories)
    print(
        f"{n} articles over 60 days: {len(stories)} stories of {grouped} articles, "
        f"clustered in {seconds:.1f} s, peak RSS {peak:.0f} MB",
        flush=True,
    )
    return {"articles": n, "seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1)}


def run_one(n: int) -> dict[str, float | int]:
    start = time.perf_counter()
    corpus = generate(n)
    generated = time.perf_counter() - start
    words = sum(doc.text.count(" ") + doc.text.count("\n") + 1 for doc in corpus.docs)
    start = time.perf_counter()
    fold_table()  # built once per process, whatever the corpus: timed apart
    table = time.perf_counter() - start
    start = time.perf_counter()
    pairs = find_reuse(corpus.docs)
    seconds = time.perf_counter() - start
    found = {(p.a, p.b) if p.a < p.b else (p.b, p.a) for p in pairs}
    hits = len(found & corpus.truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(corpus.truth) if corpus.truth else 1.0
    peak = peak_rss_mb()
    print(
        f"{n} articles ({words / n:.0f} words on average, {len(corpus.truth)} planted pairs, "
        f"{corpus.decoys} decoys; generated in {generated:.1f} s, character table built in "
        f"{table:.1f} s): {len(found)} pairs found, "
        f"precision {precision:.4f}, recall {recall:.4f}, {seconds:.1f} s, "
        f"peak RSS {peak:.0f} MB",
        flush=True,
    )
    return {
        "articles": n,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, help="one corpus of this size (default: 10k, 100k)")
    parser.add_argument(
        "--stories", action="store_true", help="time story clustering instead of reuse detection"
    )
    args = parser.parse_args()
    if args.articles:
        print(json.dumps((run_stories if args.stories else run_one)(args.articles)))
        return
    results = []
    for n in SIZES:
        done = subprocess.run(
            [sys.executable, __file__, "--articles", str(n)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        lines = done.stdout.strip().splitlines()
        print("\n".join(lines[:-1]), flush=True)
        results.append(json.loads(lines[-1]))
    small, large = results[0], results[-1]
    growth = (large["seconds"] / small["seconds"]) / (large["articles"] / small["articles"])
    print(f"time per article grew {growth:.2f}x from {small['articles']} to {large['articles']}")
    done = subprocess.run(
        [sys.executable, __file__, "--stories", "--articles", str(large["articles"])],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    print("\n".join(lines[:-1]), flush=True)
    stories = json.loads(lines[-1])
    large["stories_seconds"] = stories["seconds"]
    large["stories_peak_rss_mb"] = stories["peak_rss_mb"]
    print(json.dumps(large))


if __name__ == "__main__":
    main()
