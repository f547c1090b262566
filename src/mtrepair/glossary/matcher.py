"""The compiled glossary: one Aho-Corasick automaton over every loaded entry.

The automaton (ahocorasick-rs, a DFA) is built once per Glossary and runs over the
lower-cased text encoded one byte per character, so its offsets are character offsets.

Matching rules (issue 4, part 1):

- one pass over the lowered text finds every occurrence of every entry; an entry only
  counts on word boundaries (a letter, digit, ``_`` or combining mark may not touch it
  on a side where the entry itself starts or ends with one), and a case-sensitive
  entry only counts where the text is exactly its source;
- keep and variant matches are then chosen longest first, never overlapping: that is
  what lets the variant ``IMSS-Wellbeing`` (seed 001) win over the keep entry ``IMSS``
  inside it, while ``IMSS`` standing alone stays protected;
- term matches count only inside an ``es`` span, and only where no chosen keep or
  variant lies;
- variant matches count anywhere in the segment;
- no edit changes the text of a ``name`` span or a protected region: a match that
  overlaps one is dropped, unless the region lies inside the part of the match that
  its replacement keeps as it is (the name "IMSS" in "IMSS Bienestar" → "IMSS-Bienestar").

Plain strings only: no entry is a pattern, so there is no regular expression whose
backtracking an entry could make explode.

A Glossary remembers the document it last matched (to scan each document once, not
once per segment); share one between threads only with a lock, or give each its own.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Edit, Segment, Span
from ..regions import MergedRegions
from ..stages import Region
from .entry import Entry, match_key

_STATUS_RANK = {"approved": 0, "proposed": 1, "rejected": 2}
_KEEP, _VARIANT, _TERM = 0, 1, 2
_KIND_CODE = {"keep": _KEEP, "variant": _VARIANT, "term": _TERM}


def _is_word_char(ch: str) -> bool:
    """Letters, digits, ``_`` and combining marks (a decomposed ``é`` is ``e`` + U+0301)."""
    if ch.isalnum() or ch == "_":
        return True
    return not ch.isascii() and unicodedata.category(ch)[0] == "M"


@dataclass(frozen=True, slots=True)
class _Option:
    """One entry as the automaton stores it, with what matching needs precomputed."""

    entry: Entry
    kind: int
    sensitive: bool
    output: str
    rule: str


_Match = tuple[int, int, _Option]  # (start, end, option): tuples, as thousands are made per MB
_Found = tuple[list[_Match], list[_Match], list[_Match]]  # keeps, variants, terms of a segment


class Glossary:
    """Approved (by default) glossary entries, compiled once; satisfies ``stages.TermMatcher``."""

    content_hash: str

    def __init__(self, entries: Iterable[Entry], content_hash: str, path: str | None = None) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.content_hash = content_hash
        self.path = path
        self._automaton: Any = None
        # Per automaton pattern: the key to re-check (None: none needed), whether the
        # entry starts / ends with a word character, and its entries in priority order.
        self._groups: list[tuple[str | None, bool, bool, tuple[_Option, ...]]] = []
        # Matching state for the document being repaired (see _candidates).
        self._seen: str | None = None
        self._document: tuple[str, list[_Match], list[int]] | None = None
        self._last: tuple[str, int, int, _Found | None] | None = None
        self._exact: dict[str, Entry] = {}
        self._folded: dict[str, Entry] = {}
        self._compile()

    # -- building -------------------------------------------------------------------------

    def _compile(self) -> None:
        from ahocorasick_rs import BytesAhoCorasick, Implementation

        ranked = sorted(
            enumerate(self.entries),
            key=lambda ie: (_STATUS_RANK[ie[1].status], ie[1].case != "sensitive", ie[0]),
        )
        groups: dict[str, list[_Option]] = {}
        for _, entry in ranked:
            option = _Option(
                entry, _KIND_CODE[entry.kind], entry.case == "sensitive", entry.output, f"glossary:{entry.id}"
            )
            groups.setdefault(match_key(entry.source), []).append(option)
            if entry.kind in ("term", "keep"):
                self._exact.setdefault(entry.source, entry)
                if entry.case == "insensitive":
                    self._folded.setdefault(match_key(entry.source), entry)
        if not groups:
            return
        self._groups = [
            (
                key if "?" in key or any(ord(c) > 0xFF for c in key) else None,
                _is_word_char(opts[0].entry.source[0]),
                _is_word_char(opts[0].entry.source[-1]),
                tuple(opts),
            )
            for key, opts in groups.items()
        ]
        # A DFA over one byte per character: measured here 4x faster than pyahocorasick's
        # trie walk on a 1,000-entry glossary (benchmarks/bench_glossary.py).
        self._automaton = BytesAhoCorasick([_one_byte(key) for key in groups], implementation=Implementation.DFA)

    # -- the TermMatcher protocol ------------------------------------------------------------

    def keep_regions(self, text: str, start: int, end: int) -> list[Region]:
        """Document offsets of keep-entry matches in ``text[start:end]`` that no longer variant covers."""
        found = self._segment(text, start, end)
        return [(m[0], m[1]) for m in found[0]] if found is not None else []

    def find_edits(self, text: str, segment: Segment, spans: Sequence[Span], protected: Sequence[Region]) -> list[Edit]:
        """Variant edits anywhere in the segment, term edits inside ``es`` spans; none on a
        ``name`` span, a protected region or a keep match."""
        start, end = segment.start, segment.end
        found = self._segment(text, start, end)
        if found is None:
            return []
        keeps, variants, terms = found
        names = [(span.start, span.end) for span in spans if span.label == "name"] if spans else []
        blocked_list = [*protected, *names] if names else protected
        blocked = _regions(blocked_list)
        picked = variants
        if blocked is not None and variants:
            picked = [m for m in variants if not blocked.hits(m[0], m[1]) or _spares(text, m, blocked_list)]
        if terms:
            es_list = [(span.start, span.end) for span in spans if span.label == "es"]
            terms = self._terms(text, start, end, terms, es_list, keeps, picked, blocked, blocked_list)
            if terms:
                picked = sorted([*picked, *terms], key=_start)
        edits: list[Edit] = []
        for s, e, option in picked:
            before = text[s:e]
            after = option.output if option.sensitive else _follow_case(before, option.output)
            if after != before:
                edits.append(Edit(s, e, before, after, "glossary", option.rule, 1.0, "glossary"))
        return edits

    @staticmethod
    def _terms(
        text: str,
        start: int,
        end: int,
        terms: list[_Match],
        es_list: list[tuple[int, int]],
        keeps: list[_Match],
        picked: list[_Match],
        blocked: MergedRegions | _Few | None,
        blocked_list: Sequence[tuple[int, int]],
    ) -> list[_Match]:
        """The term matches to apply: inside an es span, clear of keeps, variants and
        protected text, longest first where they overlap one another."""
        if not es_list:
            return []
        es = _Few(es_list) if len(es_list) <= 8 else MergedRegions(es_list)
        taken = _regions([(m[0], m[1]) for m in keeps] + [(m[0], m[1]) for m in picked])
        terms = [
            m
            for m in terms
            if es.holds(m[0], m[1])
            and (taken is None or not taken.hits(m[0], m[1]))
            and (blocked is None or not blocked.hits(m[0], m[1]) or _spares(text, m, blocked_list))
        ]
        if len(terms) > 1 and any(terms[i][1] > terms[i + 1][0] for i in range(len(terms) - 1)):
            # Overlapping terms ("Seguro Social" inside a longer name): longest first.
            occupied = bytearray(end - start)
            pool, terms = terms, []
            for m in _longest_first(pool):
                if occupied.find(1, m[0] - start, m[1] - start) == -1:
                    _mark(occupied, m[0] - start, m[1] - start)
                    terms.append(m)
            terms.sort(key=_start)
        return terms

    # -- lookups for the other stages ------------------------------------------------------------

    def lookup_term(self, spanish: str) -> str | None:
        """The English for a whole Spanish string that is exactly a term (or keep) entry.

        Case-aware: a sensitive entry needs the exact text, an insensitive one any case
        (and its target follows a capital first letter). Keep entries return the string
        itself, since the translation of a name to keep is the name.
        """
        text = spanish.strip()
        entry = self._exact.get(text)
        if entry is not None:
            return entry.output
        entry = self._folded.get(match_key(text))
        if entry is None:
            return None
        return _follow_case(text, entry.output)

    def keep_strings(self) -> list[str]:
        """Sources of keep entries, longest first (for masking and for the detector)."""
        seen = {e.source for e in self.entries if e.kind == "keep"}
        return sorted(seen, key=lambda s: (-len(s), s))

    def term_targets(self) -> list[str]:
        """The English targets of term entries, each once, in file order."""
        return list(dict.fromkeys(e.target for e in self.entries if e.kind == "term"))

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"Glossary({len(self.entries)} entries, {self.content_hash[:12]})"

    # -- matching ------------------------------------------------------------------------------

    def _candidates(self, text: str, start: int, end: int) -> list[_Match]:
        """Every entry occurrence on word boundaries inside ``text[start:end]``, by start.

        The pipeline asks keep_regions and find_edits about each segment of a document in
        turn, always passing the same document string. The first call scans only its
        segment; a second call with the same string scans the whole document once, and
        from then on each call only picks its segment's matches out of that list.
        """
        doc = self._document
        if doc is None or doc[0] is not text:
            if self._seen is not text and (start > 0 or end < len(text)):
                self._seen = text
                return self._scan(text, start, end)
            found = self._scan(text, 0, len(text))
            doc = (text, found, [m[0] for m in found])
            self._document = doc
            self._seen = None
        _, found, starts = doc
        i = bisect.bisect_left(starts, start)
        j = bisect.bisect_left(starts, end, i)
        return [m for m in found[i:j] if m[1] <= end] if i < j else []

    def _scan(self, text: str, start: int, end: int) -> list[_Match]:
        found: list[_Match] = []
        if self._automaton is None or start >= end:
            return found
        lowered = match_key(text[start:end])
        hits = self._automaton.find_matches_as_indexes(_one_byte(lowered), overlapping=True)
        n = len(text)
        groups = self._groups
        for index, b, c in hits:
            s, e = start + b, start + c
            check, left_edge, right_edge, options = groups[index]
            # _is_word_char, with its common answers first: this runs for every hit.
            if left_edge and s > 0:
                ch = text[s - 1]
                if ch.isalnum() or ch == "_" or (not ch.isascii() and _is_word_char(ch)):
                    continue
            if right_edge and e < n:
                ch = text[e]
                if ch.isalnum() or ch == "_" or (not ch.isascii() and _is_word_char(ch)):
                    continue
            if check is not None and lowered[b:c] != check:
                continue
            for option in options:
                if option.sensitive and text[s:e] != option.entry.source:
                    continue
                found.append((s, e, option))
                break
        found.sort(key=_start)
        return found

    def _segment(self, text: str, start: int, end: int) -> _Found | None:
        """The segment's chosen keep matches, chosen variant matches and term candidates
        (each by start), or None when nothing matches in it.

        Keep and variant matches are chosen longest first and never overlap. The result
        is remembered for the last segment: find_edits follows keep_regions on the same one.
        """
        last = self._last
        if last is not None and last[0] is text and last[1] == start and last[2] == end:
            return last[3]
        candidates = self._candidates(text, start, end)
        found: _Found | None = None
        if candidates:
            chosen = [m for m in candidates if m[2].kind != _TERM]
            if len(chosen) > 1 and any(chosen[i][1] > chosen[i + 1][0] for i in range(len(chosen) - 1)):
                occupied = bytearray(end - start)
                pool, chosen = chosen, []
                for m in _longest_first(pool):
                    a, b = m[0] - start, m[1] - start
                    if occupied.find(1, a, b) == -1:
                        _mark(occupied, a, b)
                        chosen.append(m)
                chosen.sort(key=_start)
            keeps: list[_Match] = []
            variants: list[_Match] = []
            for m in chosen:
                (keeps if m[2].kind == _KEEP else variants).append(m)
            terms = [m for m in candidates if m[2].kind == _TERM] if len(chosen) < len(candidates) else []
            found = (keeps, variants, terms)
        self._last = (text, start, end, found)
        return found


class _Few:
    """A handful of regions (a sentence's protected names): a plain scan beats sorting."""

    __slots__ = ("regions",)

    def __init__(self, regions: Sequence[tuple[int, int]]) -> None:
        self.regions = regions

    # Plain loops, not any(<generator>): these run for every match and are twice as fast.
    def hits(self, a: int, b: int) -> bool:
        for s, e in self.regions:  # noqa: SIM110
            if s < b and a < e:
                return True
        return False

    def holds(self, a: int, b: int) -> bool:
        for s, e in self.regions:  # noqa: SIM110
            if s <= a and b <= e:
                return True
        return False


def _regions(regions: Sequence[tuple[int, int]]) -> MergedRegions | _Few | None:
    if not regions:
        return None
    return _Few(regions) if len(regions) <= 8 else MergedRegions(regions)


def _output(text: str, m: _Match) -> str:
    option = m[2]
    return option.output if option.sensitive else _follow_case(text[m[0] : m[1]], option.output)


def _spares(text: str, m: _Match, regions: Sequence[tuple[int, int]]) -> bool:
    """Whether the edit for ``m`` leaves every protected region it overlaps as it is.

    Seed 004's "the IMSS Bienestar staff": the detector marks "IMSS" a name, and the
    variant to "IMSS-Bienestar" keeps those four letters where they are. A region
    counts as left alone when it lies wholly inside the match and inside the part that
    the output shares with the matched text (a common prefix or suffix).
    """
    s, e, _ = m
    before, after = text[s:e], _output(text, m)
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    for a, b in regions:
        if a < e and s < b and (a < s or b > e or (b - s > prefix and a - s < len(before) - suffix)):
            return False
    return True


def _one_byte(text: str) -> bytes:
    """One byte per character: Latin-1, with ``?`` for anything beyond it.

    Byte offsets then equal character offsets. A key holding ``?`` or a character beyond
    Latin-1 (rare in Spanish and English) is re-checked on the text after a match.
    """
    return text.encode("latin-1", "replace")


def _start(m: _Match) -> int:
    return m[0]


def _longest_first(matches: list[_Match]) -> list[_Match]:
    return sorted(matches, key=lambda m: (m[0] - m[1], m[0]))


def _mark(buf: bytearray, a: int, b: int) -> None:
    buf[a:b] = b"\x01" * (b - a)


def _follow_case(matched: str, output: str) -> str:
    """Carry the matched text's capitalisation onto the output of an insensitive entry.

    ``Camas`` at the start of a sentence becomes ``Beds``; ``DERECHOHABIENTES`` in a
    headline becomes ``BENEFICIARIES``.
    """
    if not output:
        return output
    if len(matched) > 1 and matched.isupper() and any(c.isalpha() for c in matched):
        return output.upper()
    if matched[:1].isupper() and output[:1].islower():
        return output[:1].upper() + output[1:]
    return output
