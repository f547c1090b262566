"""How far to trust one span translation: its evidence, a raw score, and refusals.

The score replaces the constant 0.7 every Apertium edit used to get, which ranked the
right edits of dev/real no higher than the wrong ones ("Casov de" → "Casov of" and
"y" → "and" both 0.7). It is a RAW score: it orders edits, good above bad; the
evaluator fits a per-rule calibration table on dev data afterwards. A refusal is
stronger than a low score: the edit is emitted flagged whatever the threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

Origin = Literal["engine", "domain", "memory", "glossary", "kept"]

# Applied above this, flagged for review below (the calibration table may move it).
DEFAULT_THRESHOLD: Final = 0.5
# A word at least this common in English (wordfreq zipf: 3 = once per million words)
# is an English word: "era", "mi", "dice", "son" (newstest2013 false edits).
ENGLISH_ZIPF: Final = 3.0
# Below this many letters langdetect guesses (detect.langid.MIN_LETTERS is 12); a span
# judged by it needs a little more, since a span is shorter than the lines it was built for.
LANGID_LETTERS: Final = 20
# Below this share of words Apertium knew, a span langdetect doubts is no Spanish.
NOT_SPANISH_KNOWN: Final = 0.9
# A one-word span is a homograph unless Spanish uses it this many zipf points (log10)
# more than English: "mi" (2.1) and "hay" (2.3) are, "hoy" (2.7) and "todo" (3.4),
# found in English lists only through quotes and names, are not.
HOMOGRAPH_MARGIN: Final = 2.5
# zipf points (log10) by which Spanish may out-frequent English for a word still English.
SPANISH_MARGIN: Final = 1.5
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+){0,4}")

# Rule hits: a memory entry was approved by a person, a glossary target is a term a
# person chose, a domain rule encodes the context that makes it right.
_ORIGIN_SCORE: Final[dict[str, float]] = {"memory": 1.0, "glossary": 1.0, "domain": 0.9, "kept": 1.0}


@dataclass(frozen=True, slots=True)
class Evidence:
    """What is known about one span translation (engine output already restored)."""

    origin: Origin
    source_words: int  # words of the span, placeholders aside
    known_share: float  # share of source words the engine knew (Apertium's * # @ marks)
    whole_line: bool  # the span is its whole segment: a Spanish sentence, not a stray word
    english_homograph: bool  # one word that is also common English ("era", "mi", "regular")
    english_source: float  # share of the span's words that are English rather than Spanish
    copied_share: float  # share of output words copied from the source and not English
    english_share: float  # share of output words English per wordfreq
    rare_share: float  # share of output words rare in English ("contagions", "seism")
    protected_ok: bool  # every masked name/number/term came back exactly
    name_changed: bool  # a name-like word of the source is missing from the output
    spanish: float | None  # langdetect's Spanish probability for the span, None if too short
    glossed: bool = False  # the English gloss follows in parentheses: "Extranjeros" ("Foreigners")
    foreign_context: bool = False  # a short span inside a French/Italian/... phrase


def raw_confidence(ev: Evidence) -> float:
    """A score in [0, 1] that ranks right translations above wrong ones.

    - rule hits (memory, glossary, domain) are decided by a person or by context: high;
    - ``known_share``: every word Apertium did not know is copied in Spanish;
    - ``english_share`` and ``copied_share``: the output itself must read as English,
      whatever the engine believed (a neural model has no unknown-word marks);
    - ``rare_share``: Apertium falls back on rare cognates ("contagios" → "contagions",
      dev/real 02; "sismo" → "seism"), which read as MT;
    - span length: a one-word span is the detector's weakest claim and loses its
      sentence, so the engine translates it blind ("Cabe" → "It fits"); a whole
      Spanish line is its strongest;
    - ``spanish``: langdetect on a long span; a French or Portuguese phrase scores low;
    - ``english_source``: words far commoner in English than in Spanish ("members, who
      vote more") say the detector took English for Spanish; Apertium still "knows"
      some of them as Spanish ("more" → "dwell", from "morar");
    - a lost protected token or a changed name makes the translation wrong outright.
    """
    if ev.origin in _ORIGIN_SCORE:
        return _ORIGIN_SCORE[ev.origin]
    if not ev.protected_ok or ev.name_changed:
        return 0.0
    score = ev.known_share * (0.4 + 0.6 * ev.english_share) * (1.0 - ev.copied_share)
    score *= 1.0 - 0.4 * ev.rare_share
    if ev.whole_line or ev.source_words >= 4:
        score *= 1.0
    elif ev.source_words >= 2:
        score *= 0.9
    else:
        score *= 0.8
    if ev.english_homograph:
        score *= 0.3
    if ev.foreign_context:
        score *= 0.3
    score *= 1.0 - 0.8 * ev.english_source
    if ev.spanish is not None:
        # langdetect is noisy on a few words ("Secretaría de Salud estatal": es 0.29),
        # so alone it only lowers the score; with unknown words it refuses (below).
        score *= 0.7 + 0.3 * ev.spanish
    return round(max(0.0, min(1.0, score)), 4)


def refusal(ev: Evidence) -> str | None:
    """Why this translation must not be applied at any threshold, or None.

    The names are the edit's ``rule`` suffix (``translate:refused-<why>``).
    """
    if ev.origin != "engine":
        return None
    if not ev.protected_ok:
        return "protected"  # a masked name or number lost, repeated or altered
    if ev.name_changed:
        return "name"  # "Nuevo León" → "New León" (dev/real 02 headline)
    if ev.english_homograph:
        return "homograph"  # "era" → "It was" in English news (newstest2013)
    if ev.english_source >= 0.5:
        return "english"  # the span reads as English (forced newstest2013 windows)
    if ev.glossed:
        return "glossed"  # English news quoting a word with its gloss (newstest2013 l. 2147)
    if ev.foreign_context:
        return "not-spanish"  # "comme on dit en France": the "en" is French
    if ev.spanish is not None and ev.spanish < 0.5 and ev.known_share < NOT_SPANISH_KNOWN:
        # A French, Portuguese, Italian or Latin phrase quoted in English news:
        # langdetect does not call it Spanish and Apertium does not know its words.
        return "not-spanish"
    if ev.known_share < 0.5 or ev.copied_share >= 0.5:
        return "untranslated"  # "Casov de" → "Casov of" (dev/real 02)
    if ev.english_share < 0.5:
        return "not-english"
    return None


# -- evidence helpers ---------------------------------------------------------


@lru_cache(maxsize=65536)
def english_zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@lru_cache(maxsize=65536)
def spanish_zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "es"))


def english_word(word: str) -> bool:
    """At least rare English (zipf 1.5: "vials", "macromodule" no, "contagions" yes) and
    not far commoner in Spanish: "casa" and "dice" are in wordfreq's English list
    (names, loans, the game) but a hundred times commoner in Spanish."""
    w = word.casefold()
    en = english_zipf(w)
    return en >= 1.5 and en >= spanish_zipf(w) - SPANISH_MARGIN


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def english_source_share(span_text: str) -> float:
    """Share of the span's words that are common English and at least ten times
    commoner in English than in Spanish ("who", "members"; not "hospital", "dice")."""
    ws = [w.casefold() for w in words(span_text)]
    if not ws:
        return 0.0
    dominant = sum(1 for w in ws if english_zipf(w) >= ENGLISH_ZIPF and english_zipf(w) >= spanish_zipf(w) + 1.0)
    return dominant / len(ws)


def is_english_homograph(span_text: str, spanish_function_words: frozenset[str]) -> bool:
    """One word that is common English: the detector's evidence is thin there, and
    the engine reads it the Spanish way ("regular" → "regulate", newstest2013).

    Spanish articles and prepositions ("las", "y", "del") are frequent in wordfreq's
    English list only through names ("Las Vegas", "Del Monte"); lowercase or before an
    English noun they are Spanish ("Las specialties", dev/real 17), so they are exempt.
    """
    ws = words(span_text)
    if len(ws) != 1:
        return False
    w = ws[0].casefold()
    en = english_zipf(w)
    return w not in spanish_function_words and en >= ENGLISH_ZIPF and spanish_zipf(w) - en <= HOMOGRAPH_MARGIN


def output_shares(source: str, output: str, kept: tuple[str, ...]) -> tuple[float, float, float]:
    """(copied_share, english_share, rare_share) of the output's words.

    Words of protected values (names, terms) are left out: they are copied on purpose.
    A word copied from the source counts as untranslated unless it is also English
    ("hospital", "Covid"); an output word counts as English by :func:`english_word`,
    so "vials" passes and "basurón" does not.
    """
    kept_words = {w.casefold() for value in kept for w in words(value)}
    src = {w.casefold() for w in words(source)}
    # Acronyms ("PRI", "IMSS") are names: copied on purpose, neither Spanish nor English.
    out = [w for w in words(output) if w.casefold() not in kept_words and not (len(w) >= 2 and w.isupper())]
    if not out:
        return 0.0, 1.0, 0.0
    copied = sum(1 for w in out if w.casefold() in src and not english_word(w))
    english = sum(1 for w in out if english_word(w))
    rare = sum(1 for w in out if english_word(w) and english_zipf(w.casefold()) < ENGLISH_ZIPF)
    return copied / len(out), english / len(out), rare / len(out)
