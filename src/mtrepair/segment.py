"""Sentences and tokens with character offsets into the original text.

syntok splits sentences (it keeps offsets and knows "Dr.", "No. 58", "U.S."),
sacremoses tokenizes them (escape=False: the tokens stay substrings of the text,
so they can be mapped back to offsets).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from .model import Edit, Segment, Token

Region = tuple[int, int]


def kept_regions(text: str, removed: Iterable[Edit]) -> list[Region]:
    """The parts of ``text`` that no deletion edit (boilerplate, metadata) removed."""
    regions: list[Region] = []
    pos = 0
    for e in sorted(removed, key=lambda e: e.start):
        if e.start > pos:
            regions.append((pos, e.start))
        pos = max(pos, e.end)
    if pos < len(text):
        regions.append((pos, len(text)))
    return regions


def split_lines(text: str, doc_id: str, regions: Sequence[Region] | None = None) -> list[Segment]:
    """One segment per non-blank line (``--lines`` mode): no sentence splitting."""
    segments = []
    for a, b in regions if regions is not None else [(0, len(text))]:
        pos = a
        for line in text[a:b].split("\n"):
            s, e = _strip(text, pos, pos + len(line))
            if s < e:
                segments.append(Segment(doc_id, s, e, text[s:e]))
            pos += len(line) + 1
    return segments


def split_sentences(text: str, doc_id: str, regions: Sequence[Region] | None = None) -> list[Segment]:
    """Sentences of every paragraph (line) inside ``regions``, offsets into ``text``."""
    segments: list[Segment] = []
    for line in split_lines(text, doc_id, regions):
        for s, e in _sentence_bounds(line.text):
            segments.append(Segment(doc_id, line.start + s, line.start + e, line.text[s:e]))
    return segments


def _sentence_bounds(paragraph: str) -> Iterator[Region]:
    import syntok.segmenter as syntok_segmenter

    for para in syntok_segmenter.analyze(paragraph):
        for sentence in para:
            if not sentence:
                continue
            first = sentence[0]
            last = sentence[-1]
            start = first.offset
            end = last.offset + len(last.value)
            s, e = _strip(paragraph, start, end)
            if s < e:
                yield s, e


def _strip(text: str, start: int, end: int) -> Region:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@cache
def _moses() -> Any:
    from sacremoses import MosesTokenizer

    return MosesTokenizer(lang="en")


def tokenize(segment: Segment) -> tuple[Token, ...]:
    """sacremoses tokens of a segment, each mapped back to its document offsets.

    With escape=False Moses tokens are substrings of the input, in order, so a
    forward search from a cursor recovers each one's position exactly.
    """
    words = _moses().tokenize(segment.text, escape=False, aggressive_dash_splits=False)
    tokens = []
    cursor = 0
    for word in words:
        at = segment.text.find(word, cursor)
        if at < 0:  # Moses normalised something (rare); keep the tokens we can place
            continue
        tokens.append(Token(segment.start + at, segment.start + at + len(word), word))
        cursor = at + len(word)
    return tuple(tokens)


def with_tokens(segments: Iterable[Segment]) -> list[Segment]:
    return [Segment(s.doc_id, s.start, s.end, s.text, tokenize(s)) for s in segments]
