"""Batch-level chrome: short lines that repeat across several articles of one batch.

A site's widgets, taglines and teaser titles recur from article to article while
article text does not, so a short line found in ``min_docs`` documents of the same
batch is chrome. A long or sentence-like line never is: a real quote or a press
release sentence repeated in two articles is body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .lines import features

# A run learns its chrome from its first articles: a site's widgets repeat in every article,
# so a sample finds them, and memory stays bounded however large the archive.
SAMPLE_DOCS = 2000
MIN_DOCS = 3

# Longer than this, a repeated line is shared article text, not a widget.
MAX_WORDS = 12
MAX_CHARS = 100
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def normalize_line(line: str) -> str:
    """Case, spacing and numbers folded: "Number of views 5" and "number of views 12" are one line."""
    return _DIGITS.sub("0", _SPACE.sub(" ", line.strip()).casefold())


def _chrome_candidate(line: str) -> bool:
    f = features(line)
    if not f.text or len(f.text) > MAX_CHARS or f.n_words > MAX_WORDS:
        return False
    # Sentence-like: several words ending as a sentence ("He said so." repeated is a quote).
    return not ((f.ends_sentence or f.inner_sentence) and f.n_words >= 4)


def _article_key(text: str) -> str:
    """The same article fetched twice (or republished) must count once: its first body paragraph."""
    for line in text.split("\n"):
        if features(line).n_words >= 16:
            return normalize_line(line)
    return normalize_line(text)


def find_repeated_lines(texts: Iterable[str], min_docs: int = 3) -> frozenset[str]:
    """Normalized short lines present in at least ``min_docs`` different articles of ``texts``.

    Hand the result to ``BoilerplateRules.with_chrome`` for ``find_boilerplate``.
    """
    articles: dict[str, set[str]] = {}
    for text in texts:
        lines = articles.setdefault(_article_key(text), set())
        lines.update(normalize_line(line) for line in text.split("\n") if _chrome_candidate(line))
    counts: dict[str, int] = {}
    for lines in articles.values():
        for key in lines:
            counts[key] = counts.get(key, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= max(2, min_docs))


def learn_chrome(texts: Iterable[str]) -> tuple[str, ...]:
    """The chrome lines of a run (``clean`` and ``batch`` alike): short lines repeated in at
    least ``MIN_DOCS`` of its first ``SAMPLE_DOCS`` articles, sorted so every worker agrees."""
    from itertools import islice

    return tuple(sorted(find_repeated_lines(islice(texts, SAMPLE_DOCS), MIN_DOCS)))
