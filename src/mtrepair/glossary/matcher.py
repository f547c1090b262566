"""The compiled glossary: one Aho-Corasick automaton over every loaded entry.

The automaton (ahocorasick-rs, a DFA) is built once per Glossary and runs over the
lower-cased text encoded one byte per character, so its offsets are character offsets.

Matching rules (issue 4, part 1; issue 9, part 3):

- every entry stands for all its forms (``variants.entry_forms``: hyphen/space/joined
  spellings, family renderings, the other number of a lower-case variant), all in the
  one automaton, keyed on the lowered text with hyphens read as spaces;
- one pass finds every occurrence of every form; a form only counts on word boundaries
  (a letter, digit, ``_`` or combining mark may not touch it on a side where the form
  itself starts or ends with one), with its exact separators, and a case-sensitive form
  only where the text is the form, its all-caps form or a title-case form of it
  ("Right Holders" for "right holders", "IMSS-WELLNESS" for "IMSS-Wellness");
- keep and variant matches are then chosen longest first, never overlapping: that is
  what lets the variant ``IMSS-Wellbeing`` (seed 001) win over the keep entry ``IMSS``
  inside it, while ``IMSS`` standing alone stays protected;
- term matches count where no chosen keep or variant lies: inside an ``es`` span, or
  anywhere as a Spanish word in English text, unless the source is also an everyday
  English word ("needs Spanish context") or the match continues a longer Spanish name
  ("de la Ciudad de México");
- variant matches count anywhere in the segment, except that a short everyday-English
  source ("heirs", "right holders") needs domain context: a match of an entry that is
  not everyday English (IMSS, ISSSTE, a kept name) within ``DOMAIN_WINDOW`` characters;
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
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Edit, Segment, Span
from ..regions import MergedRegions
from ..stages import Region
from .entry import Entry, match_key
from .variants import approved_families, entry_forms, fold, plain_separators

_STATUS_RANK = {"approved": 0, "proposed": 1, "rejected": 2}
_KEEP, _VARIANT, _TERM = 0, 1, 2
_KIND_CODE = {"keep": _KEEP, "variant": _VARIANT, "term": _TERM}
# A word at least this frequent in English (wordfreq Zipf scale) is everyday English:
# "heirs" 3.5, "welfare" 4.4, "camas" 2.1, "consulta" 1.8 (dev/real 09: "heirs" for
# derechohabientes; "pesos" 3.2 is why a Spanish word can be one too).
EVERYDAY_ZIPF = 3.0
_EVERYDAY_MAX_WORDS = 2
_WORD_RE = re.compile(r"[^\W_]{1,100}")
# A capitalised term right after one of these continues a longer Spanish name
# ("Hospital General de la Ciudad de México"): translating the end of a name is worse
# than leaving it.
# Domain context for an everyday-English variant: another glossary match this close.
# About one article of dev/real (2,000 bytes each); a whole file of unrelated news (the
# newstest2013 check) is not one article: its one "IMSS" must not license an "heir".
DOMAIN_WINDOW = 2000
_NAME_GLUE = frozenset({"de", "del", "la", "las", "los", "el", "y"})


def _is_word_char(ch: str) -> bool:
    """Letters, digits, ``_`` and combining marks (a decomposed ``é`` is ``e`` + U+0301)."""
    if ch.isalnum() or ch == "_":
        return True
    return not ch.isascii() and unicodedata.category(ch)[0] == "M"


@dataclass(frozen=True, slots=True)
class _Option:
    """One form of an entry as the automaton stores it, with what matching needs precomputed.

    ``cased`` holds the spellings a case-sensitive form accepts: the form itself, its
    all-caps and title-case forms.
    """

    entry: Entry
    kind: int
    sensitive: bool
    output: str
    rule: str
    surface: str
    how: str
    cased: frozenset[str]


def _title_forms(surface: str) -> frozenset[str]:
    """The form, its all-caps form, its first letter capitalised and every word capitalised."""
    first = surface[:1].upper() + surface[1:]
    words = re.sub(r"(^|[\s\-])([a-z\u00e0-\u00ff])", lambda m: m.group(1) + m.group(2).upper(), surface)
    forms = {surface, first, words}
    if any(c.isalpha() for c in surface):
        forms.add(surface.upper())
    return frozenset(forms)


@functools.lru_cache(maxsize=4096)
def everyday_english(text: str) -> bool:
    """Whether ``text`` is one or two words that are all common in English ("heirs",
    "right holders"): such a source may mean what it says."""
    words = _WORD_RE.findall(text.lower())
    if not words or len(words) > _EVERYDAY_MAX_WORDS:
        return False
    from wordfreq import zipf_frequency

    return all(zipf_frequency(w, "en") >= EVERYDAY_ZIPF for w in words)


@dataclass(frozen=True, slots=True)
class Decision:
    """What the matcher did with one match (recorded when ``Glossary.trace`` is a list)."""

    start: int
    end: int
    entry_id: str
    surface: str
    how: str
    verdict: str  # "applied", "kept", "unchanged", or why not


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
        # form starts / ends with a word character, and its forms in priority order.
        self._groups: list[tuple[str | None, bool, bool, tuple[_Option, ...], dict[str, _Option] | None]] = []
        # Matching state for the document being repaired (see _candidates).
        self._seen: str | None = None
        self._document: tuple[str, list[_Match], list[int]] | None = None
        self._last: tuple[str, int, int, _Found | None] | None = None
        self._anchor: tuple[str, list[int]] | None = None
        self._exact: dict[str, Entry] = {}
        self._folded: dict[str, Entry] = {}
        # Set to a list to have every decision recorded (``explain``); None in normal runs.
        self.trace: list[Decision] | None = None
        self._compile()

    # -- building -------------------------------------------------------------------------

    def _compile(self) -> None:
        from ahocorasick_rs import BytesAhoCorasick, Implementation

        families = approved_families(self.entries)
        ranked: list[tuple[tuple[int, bool, bool, int], str, _Option]] = []
        for index, entry in enumerate(self.entries):
            if entry.kind == "family":
                continue
            sensitive = entry.case == "sensitive"
            rule = f"glossary:{entry.id}"
            for n, form in enumerate(entry_forms(entry, families)):
                option = _Option(
                    entry,
                    _KIND_CODE[form.kind],
                    sensitive,
                    form.output,
                    rule,
                    form.surface,
                    form.how,
                    _title_forms(form.surface) if sensitive else frozenset(),
                )
                # Written rows before generated forms, then approved first, exact case first.
                rank = (_STATUS_RANK[entry.status], n > 0, not sensitive, index)
                ranked.append((rank, fold(form.surface), option))
        ranked.sort(key=lambda r: r[0])
        for entry in sorted(self.entries, key=lambda e: _STATUS_RANK[e.status]):
            if entry.kind in ("term", "keep"):
                self._exact.setdefault(entry.source, entry)
                if entry.case == "insensitive":
                    self._folded.setdefault(match_key(entry.source), entry)
        groups: dict[str, list[_Option]] = {}
        for _, key, option in ranked:
            groups.setdefault(key, []).append(option)
        if not groups:
            return
        self._groups = [
            (
                key if "?" in key or any(ord(c) > 0xFF for c in key) else None,
                _is_word_char(opts[0].surface[0]),
                _is_word_char(opts[0].surface[-1]),
                tuple(opts),
                # Several forms share a key ("IMSS-Bienestar", "IMSS Bienestar"): the one
                # spelled exactly like the text wins, found without a loop.
                {o.surface: o for o in reversed(opts)} if len(opts) > 1 else None,
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
        """Variant edits anywhere in the segment, term edits where the source is a Spanish
        word (see the module notes); none on a ``name`` span, a protected region or a keep match."""
        start, end = segment.start, segment.end
        found = self._segment(text, start, end)
        if found is None:
            return []
        keeps, variants, terms = found
        trace = self.trace
        names = [(span.start, span.end) for span in spans if span.label == "name"] if spans else []
        blocked_list = [*protected, *names] if names else protected
        blocked = _regions(blocked_list)
        picked = variants
        if blocked is not None and variants:
            picked = [m for m in variants if not blocked.hits(m[0], m[1]) or _spares(text, m, blocked_list)]
            if trace is not None:
                for m in variants:
                    if m not in picked:
                        trace.append(_decision(m, _why_blocked(m, names)))
        if picked and any(_context(m[2]) for m in picked):
            unanchored = [m for m in picked if _context(m[2]) and not self._anchored(text, m[0], m[1])]
            if unanchored:
                if trace is not None:
                    trace.extend(
                        _decision(
                            m,
                            f"needs domain context: no other glossary entry matches within {DOMAIN_WINDOW} characters",
                        )
                        for m in unanchored
                    )
                picked = [m for m in picked if m not in unanchored]
        if terms:
            es_list = [(span.start, span.end) for span in spans if span.label == "es"]
            terms = self._terms(text, start, end, terms, es_list, keeps, picked, blocked, blocked_list, names)
            if terms:
                picked = sorted([*picked, *terms], key=_start)
        edits: list[Edit] = []
        for m in picked:
            s, e, option = m
            before = text[s:e]
            after = _output(text, m)
            if after != before:
                edits.append(Edit(s, e, before, after, "glossary", option.rule, 1.0, "glossary"))
            if trace is not None:
                trace.append(_decision(m, "applied" if after != before else "unchanged: already the canonical form"))
        if trace is not None:
            trace.extend(_decision(m, "kept") for m in keeps)
        return edits

    def _terms(
        self,
        text: str,
        start: int,
        end: int,
        terms: list[_Match],
        es_list: list[tuple[int, int]],
        keeps: list[_Match],
        picked: list[_Match],
        blocked: MergedRegions | _Few | None,
        blocked_list: Sequence[tuple[int, int]],
        names: Sequence[tuple[int, int]],
    ) -> list[_Match]:
        """The term matches to apply: clear of keeps, variants and protected text, inside an
        es span or standing as a Spanish word in English; longest first where they overlap."""
        es = (_Few(es_list) if len(es_list) <= 8 else MergedRegions(es_list)) if es_list else None
        taken = _regions([(m[0], m[1]) for m in keeps] + [(m[0], m[1]) for m in picked])
        trace = self.trace
        kept: list[_Match] = []
        for m in terms:
            why = ""
            if taken is not None and taken.hits(m[0], m[1]):
                why = "inside a keep or variant match"
            elif blocked is not None and blocked.hits(m[0], m[1]) and not _spares(text, m, blocked_list):
                why = _why_blocked(m, names)
            elif es is None or not es.holds(m[0], m[1]):
                if _context(m[2]):
                    why = "needs Spanish context: the source is also an everyday English word and no es span holds it"
                elif _continues_name(text, m):
                    why = "continues a longer Spanish name outside any es span"
            if why:
                if trace is not None:
                    trace.append(_decision(m, why))
                continue
            kept.append(m)
        terms = kept
        if len(terms) > 1 and any(terms[i][1] > terms[i + 1][0] for i in range(len(terms) - 1)):
            # Overlapping terms ("Seguro Social" inside a longer name): longest first.
            occupied = bytearray(end - start)
            pool, terms = terms, []
            for m in _longest_first(pool):
                if occupied.find(1, m[0] - start, m[1] - start) == -1:
                    _mark(occupied, m[0] - start, m[1] - start)
                    terms.append(m)
                elif trace is not None:
                    trace.append(_decision(m, "overlapped by a longer term match"))
            terms.sort(key=_start)
        return terms

    def _anchored(self, text: str, start: int, end: int) -> bool:
        """Whether a form that is not everyday English matches near ``text[start:end]``."""
        if self._anchor is None or self._anchor[0] is not text:
            found = self._candidates(text, 0, len(text))
            anchors = [m[0] for m in found if not _context(m[2])]
            self._anchor = (text, anchors)
        anchors = self._anchor[1]
        i = bisect.bisect_left(anchors, start - DOMAIN_WINDOW)
        return i < len(anchors) and anchors[i] <= end + DOMAIN_WINDOW

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

    def forms(self, entry_id: str) -> list[tuple[str, str, str]]:
        """(surface, output, how) of every form the automaton holds for one entry."""
        return [(o.surface, o.output, o.how) for group in self._groups for o in group[3] if o.entry.id == entry_id]

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"Glossary({len(self.entries)} entries, {self.content_hash[:12]})"

    # -- matching ------------------------------------------------------------------------------

    def _candidates(self, text: str, start: int, end: int) -> list[_Match]:
        """Every form occurrence on word boundaries inside ``text[start:end]``, by start.

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
        piece = text[start:end]
        lowered = fold(piece)
        # Typographic hyphens and no-break spaces are rare: look for them once, not per hit.
        typographic = plain_separators(piece) is not piece
        hits = self._automaton.find_matches_as_indexes(_one_byte(lowered), overlapping=True)
        n = len(text)
        groups = self._groups
        for index, b, c in hits:
            s, e = start + b, start + c
            check, left_edge, right_edge, options, exact = groups[index]
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
            seen = plain_separators(text[s:e]) if typographic else text[s:e]
            chosen = exact.get(seen) if exact is not None else None
            if chosen is None:
                # No form spelled exactly so ("La Raza" keep beside the term "la raza"):
                # the first that accepts this spelling, by priority.
                low = match_key(seen)
                for option in options:
                    if seen in option.cased if option.sensitive else low == match_key(option.surface):
                        chosen = option
                        break
            if chosen is not None:
                found.append((s, e, chosen))
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
                    elif self.trace is not None:
                        self.trace.append(_decision(m, "overlapped by a longer glossary match"))
                chosen.sort(key=_start)
            keeps: list[_Match] = []
            variants: list[_Match] = []
            for m in chosen:
                (keeps if m[2].kind == _KEEP else variants).append(m)
            terms = [m for m in candidates if m[2].kind == _TERM] if len(chosen) < len(candidates) else []
            found = (keeps, variants, terms)
        self._last = (text, start, end, found)
        return found


def _decision(m: _Match, verdict: str) -> Decision:
    option = m[2]
    return Decision(m[0], m[1], option.entry.id, option.surface, option.how, verdict)


def _why_blocked(m: _Match, names: Sequence[tuple[int, int]]) -> str:
    if any(a < m[1] and m[0] < b for a, b in names):
        return "protected: overlaps a detected name"
    return "protected: overlaps a URL, e-mail, keep entry or other protected region"


def _context(option: _Option) -> bool:
    """Whether the form needs context: a term whose Spanish source is also everyday English
    ("social", "Final"), or a variant written in lower case like a common noun that is
    everyday English ("heirs"; not the name "Zoe")."""
    if option.kind == _KEEP:
        return False
    if option.kind == _VARIANT and not option.surface[:1].islower():
        return False
    return everyday_english(option.surface)


def _continues_name(text: str, m: _Match) -> bool:
    """A capitalised match right after "de", "la", ... (a longer Spanish name goes on)."""
    s = m[0]
    if not text[s : s + 1].isupper():
        return False
    before = text[max(0, s - 5) : s]
    words = before.split()
    return bool(words) and before.endswith(" ") and words[-1] in _NAME_GLUE


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
    """The replacement: as written for the exact form, else in the matched text's case."""
    option = m[2]
    before = text[m[0] : m[1]]
    if option.sensitive and plain_separators(before) == option.surface:
        return option.output
    return _follow_case(before, option.output)


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
