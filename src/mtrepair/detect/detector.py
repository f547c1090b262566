"""The detector stage: a segment in, its Spanish and name spans out.

tokens.py splits the segment, lexicon.py scores each word (wordfreq frequencies,
a character model for unknown words), features.py weighs the evidence by case,
position, names and keep entries, tagger.py decodes English/Spanish with a
switching cost, spans.py turns the tags into ``es`` and ``name`` spans.

Whole-segment language comes from the same word evidence summed along the
Viterbi path, not from langdetect: langdetect costs ~6.8 ms a line here (~1,000
tokens/s on LinCE), a hundred times below the 100,000 tokens/s target, and the
decoder already lets a long Spanish line outvote its few English-looking words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from ..model import Segment, Span
from .features import ACRONYM, CAP, KEEP, analyze
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


class _KeepMatcher:
    """Exact, case-sensitive occurrences of keep strings at word boundaries."""

    def __init__(self, keep: Iterable[str]) -> None:
        import ahocorasick

        self._automaton: Any = None
        words = sorted({k.strip() for k in keep if k and k.strip()})
        if words:
            automaton = ahocorasick.Automaton()
            for w in words:
                automaton.add_word(w, len(w))
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, text: str) -> list[tuple[int, int]]:
        if self._automaton is None:
            return []
        found: list[tuple[int, int]] = []
        for end_idx, length in self._automaton.iter(text):
            end = end_idx + 1
            start = end - length
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
        return extract_spans(an, states, self.lexicon, segment.start)

    def detect_text(self, text: str, start: int = 0) -> tuple[Span, ...]:
        """Convenience: ``detect`` on a bare string treated as one segment."""
        return self.detect(Segment(doc_id="-", start=start, end=start + len(text), text=text))


def build_detector(keep: Iterable[str] = (), terms: Iterable[str] = ()) -> Detector:
    """A ready detector; ``keep`` are glossary keep strings never flagged as Spanish,
    ``terms`` the sources of glossary ``term`` entries (Spanish words reviewers listed)."""
    return Detector(load_lexicon(), keep, terms)
