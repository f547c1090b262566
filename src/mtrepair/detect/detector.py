"""The detector stage: a segment in, its Spanish and name spans out.

tokens.py splits the segment, lexicon.py scores each word (wordfreq frequencies,
a character model for unknown words), features.py weighs the evidence by case,
position, names and keep entries, tagger.py decodes English/Spanish with a
switching cost, spans.py turns the tags into ``es`` and ``name`` spans.

Whole-segment language comes first from the same word evidence summed along the
Viterbi path. langdetect (langid.py, ~2-7 ms a line, a hundred times the tagger's
cost) is asked only about a line the tagger found mixed, where it is strong and the
words alone are weak: a line it calls Spanish that the tagger mostly tagged Spanish
is Spanish throughout ("Saludos Chico"); a line it calls English keeps only lone
Spanish words with strong evidence (the switching cost rises); a line of
capitalized words only ("Blanca Valdez", the byline of dev/real 13) is Spanish only
if langdetect says so. Lines the tagger calls all English, the bulk of a news
article, never reach langdetect.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from ..model import Segment, Span
from .features import ACRONYM, CAP, KEEP, NUMWORD, TAG, Analysis, analyze
from .langid import LineLanguage, line_language
from .lexicon import Lexicon, load_lexicon
from .spans import extract_spans
from .tagger import viterbi

# Nats to change language between two words. One isolated word must lean Spanish
# by more than twice this to be tagged: "haber" (seed 000) does, "pesos" or
# "era" in English news do not.
SWITCH_COST: Final = 2.5
# A listed Spanish term alone between English words must pay two switches.
TERM_LLR: Final = 2 * SWITCH_COST + 1.0
# ... unless it is a common English word too (zipf 3): then context decides.
TERM_EN_MAX: Final = 1e-6
# Log-odds of a segment starting in Spanish: the text is English news.
START_ES: Final = -1.0
# In a line langdetect calls English a lone word must lean Spanish by more than
# twice this. Higher costs the seed's "dice Zoé Robledo" (seed 000, an English line
# around one Spanish verb) and LinCE, whose tweets switch language inside a line.
ENGLISH_LINE_SWITCH: Final = 2.75
# "Mostly agrees": at least this share of the line's free words tagged Spanish. A
# lower share costs LinCE (0.5: -1 point): a code-switched tweet is mostly Spanish
# to langdetect, yet its English words are English.
SPANISH_LINE_SHARE: Final = 0.9
_NOT_EVIDENCE: Final = ACRONYM | CAP | KEEP | TAG | NUMWORD


class _LineLanguage:
    """langdetect's verdict on one line, asked at most once and only when needed."""

    __slots__ = ("_text", "_value")

    def __init__(self, text: str) -> None:
        self._text = text
        self._value: LineLanguage | None = None

    def __call__(self) -> LineLanguage:
        if self._value is None:
            self._value = line_language(self._text)
        return self._value


def _spanish_share(an: Analysis, states: list[bool]) -> tuple[int, int]:
    """(Spanish-tagged, all) free words: not names, acronyms, keep entries or hashtags."""
    es = total = 0
    for i, f in enumerate(an.flags):
        if not f & _NOT_EVIDENCE:
            total += 1
            es += states[i]
    return es, total


class _KeepMatcher:
    """Exact, case-sensitive occurrences of keep strings at word boundaries.

    On ahocorasick-rs, the glossary matcher's library (one Aho-Corasick library for the
    project, issue 11): its str automaton reports character offsets, so the text is
    scanned as is.
    """

    def __init__(self, keep: Iterable[str]) -> None:
        from ahocorasick_rs import AhoCorasick, Implementation

        self._automaton: Any = None
        words = sorted({k.strip() for k in keep if k and k.strip()})
        if words:
            self._automaton = AhoCorasick(words, implementation=Implementation.DFA)

    def find(self, text: str) -> list[tuple[int, int]]:
        if self._automaton is None:
            return []
        found: list[tuple[int, int]] = []
        for _index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] == "-"):
                continue
            found.append((start, end))
        # longest first at each position, no overlaps
        found.sort(key=lambda se: (se[0], -se[1]))
        out: list[tuple[int, int]] = []
        last = -1
        for s, e in found:
            if s >= last:
                out.append((s, e))
                last = e
        return out


class Detector:
    """Finds the Spanish left in English text and the Spanish names to keep."""

    def __init__(self, lexicon: Lexicon, keep: Iterable[str] = (), terms: Iterable[str] = ()) -> None:
        self.lexicon = lexicon
        self._keep = _KeepMatcher(keep)
        # One-word Spanish glossary terms that are not English words: a reviewer has
        # said they are Spanish, so one alone in an English sentence ("the camas of
        # the hospital", "the derechohabientes of the region") is flagged, which the
        # frequency evidence alone (camas is also a rare English plant) cannot do.
        self._terms = frozenset(
            t.lower() for t in terms if t and " " not in t.strip() and lexicon.en.get(t.lower(), 0.0) < TERM_EN_MAX
        )

    def detect(self, segment: Segment) -> tuple[Span, ...]:
        """Spans of ``segment`` with document offsets (segment.start + local offset)."""
        text = segment.text
        if not text or text.isspace():
            return ()
        an = analyze(text, self.lexicon, self._keep.find(text))
        if self._terms:
            for i, word in enumerate(an.lower):
                if word in self._terms and not an.flags[i] & (CAP | ACRONYM | KEEP):
                    an.emission[i] = max(an.emission[i], TERM_LLR)
        states = viterbi(an.emission, SWITCH_COST, START_ES)
        lang = _LineLanguage(text)
        es, total = _spanish_share(an, states)
        if 0 < es < total:
            if es >= total * SPANISH_LINE_SHARE:
                if lang().spanish:
                    states = [True] * len(states)
            else:
                # langdetect only where its answer changes the tags
                stricter = viterbi(an.emission, ENGLISH_LINE_SWITCH, START_ES)
                if stricter != states and lang().english:
                    states = stricter
        return extract_spans(an, states, self.lexicon, segment.start, lang)

    def detect_text(self, text: str, start: int = 0) -> tuple[Span, ...]:
        """Convenience: ``detect`` on a bare string treated as one segment."""
        return self.detect(Segment(doc_id="-", start=start, end=start + len(text), text=text))


def build_detector(keep: Iterable[str] = (), terms: Iterable[str] = ()) -> Detector:
    """A ready detector; ``keep`` are glossary keep strings never flagged as Spanish,
    ``terms`` the sources of glossary ``term`` entries (Spanish words reviewers listed)."""
    return Detector(load_lexicon(), keep, terms)
