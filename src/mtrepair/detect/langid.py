"""Whole-line language identification with langdetect.

langdetect is strong on a line or a sentence and useless on a single word (its
character n-gram profiles need context), so this module only answers "is this
whole line Spanish / English?". Word-level decisions stay with the tagger.

The detector is seeded so that the same line always gets the same answer (langdetect
samples n-grams at random otherwise), and answers are cached: site chrome repeats.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# langdetect's profiles are loaded once per process, on first use (about 0.3 s).
_LOCK = threading.Lock()
_FACTORY: Any = None

# Fewer letters than this and langdetect guesses; the caller must decide by other means.
MIN_LETTERS = 12


@dataclass(frozen=True, slots=True)
class LineLanguage:
    """langdetect's probabilities for Spanish and English on one line (0 when absent)."""

    es: float
    en: float
    letters: int

    @property
    def reliable(self) -> bool:
        return self.letters >= MIN_LETTERS

    @property
    def spanish(self) -> bool:
        """Confidently Spanish as a whole: the line, not a word in it."""
        return self.reliable and self.es >= 0.9 and self.en < 0.1

    @property
    def english(self) -> bool:
        """Confidently English as a whole."""
        return self.reliable and self.en >= 0.9 and self.es < 0.1


def _factory() -> Any:
    global _FACTORY
    with _LOCK:
        if _FACTORY is None:
            from langdetect import DetectorFactory
            from langdetect.detector_factory import init_factory

            DetectorFactory.seed = 0
            init_factory()
            from langdetect import detector_factory

            _FACTORY = detector_factory._factory
    return _FACTORY


@lru_cache(maxsize=8192)
def line_language(line: str) -> LineLanguage:
    """Spanish and English probability of ``line`` taken as a whole."""
    letters = sum(1 for ch in line if ch.isalpha())
    if letters < MIN_LETTERS:
        return LineLanguage(0.0, 0.0, letters)
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.set_max_text_length(2000)
    detector.append(line)
    try:
        probs = detector.get_probabilities()
    except LangDetectException:
        return LineLanguage(0.0, 0.0, letters)
    by_lang = {p.lang: p.prob for p in probs}
    return LineLanguage(by_lang.get("es", 0.0), by_lang.get("en", 0.0), letters)
