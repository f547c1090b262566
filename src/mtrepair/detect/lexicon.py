"""Word evidence: how much more likely a word is in Spanish than in English.

The score of a word is a log-likelihood ratio in nats, ``ln P(w|es) - ln P(w|en)``
(positive: Spanish), from wordfreq's bundled frequency lists; a word in neither
list is scored by a character n-gram model built from the same lists
(build_data.py). Scores are computed on first sight and cached, so the hot loop
is one dict lookup per token and loading costs ~0.3 s, not the ~1.2 s a full
table of 550,000 words would.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Final

from .chargrams import char_grams

# Frequencies below wordfreq's own floor (zipf 1.0) are not evidence.
FREQ_FLOOR: Final = 1e-8
MAX_LLR: Final = 8.0
# Character n-grams judge a word from its shape only; cap what they may say.
CHAR_SCALE: Final = 3.0
MAX_CHAR_LLR: Final = 4.0
OOV_CACHE_LIMIT: Final = 200_000
HYPHEN_EN: Final = 1.0
# Written Spanish often drops its accents ("todavia", "tambien", "esta"), and an
# MT page keeps what the source wrote (dev/real 02): a word missing from the
# Spanish list is looked up with one accent (or an ñ) put back, at this discount.
ACCENTLESS_DISCOUNT: Final = 0.5
_ACCENTS: Final = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "úü", "n": "ñ"}


def zipf(freq: float) -> float:
    """wordfreq's Zipf scale: log10 of occurrences per billion words (0 when absent)."""
    return math.log10(freq) + 9.0 if freq > 0.0 else 0.0


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string, for readable tables."""
    return frozenset(text.split())


# Spanish closed-class words. wordfreq folds case, so their English frequencies
# are inflated by names and loan phrases (Al Gore, El Paso, Los Angeles, de facto,
# "que sera"): lowercase in running English text they are almost never English.
# Seed 000 needs this: "el Director-General", "formed al 60 per cent".
# Words that are also ordinary English ("a", "no", "me", "he", "son", "sin", "era", "con",
# "hay", "ya", "ha", "lo", "mi", "tu", "nos", "todo", "solo", "ante"), or letters English uses
# alone ("e-mail", "u" for "you"), are deliberately left out.
SPANISH_FUNCTION_WORDS: Final = word_set(
    """
    el la los las al del de y o que en por para pero una uno unos unas un su sus
    es está están esta este esto estos estas ese esa eso esos esas aquel aquella les se te
    muy más también como cómo cuando cuándo donde dónde porque qué quién quien quienes cual
    cuál cuales hasta desde entre sobre hacia según sino aunque pues ahora aquí allí ahí
    siempre nunca todos todas otro otra otros otras mismo misma ni fue fueron ser estar
    haber han hemos había sido será serán tiene tienen hace hacer puede pueden debe
    nuestro nuestra nuestros nuestras sólo tras durante mediante cuyo cuya
    """
)
FUNCTION_WORD_EN_FREQ: Final = 1e-7  # zipf 2: the English frequency we believe for them

_LAUGH_ES = re.compile(r"(?:j+[aeiou]+){2,}j*")
_LAUGH_EN = re.compile(r"(?:h+[aeiou]+){2,}h*")
_REPEAT = re.compile(r"(.)\1{2,}")


def _load_grams() -> dict[str, float]:
    text = resources.files("mtrepair").joinpath("data/detect_chargrams.tsv").read_text(encoding="utf-8")
    grams: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        gram, _, value = line.partition("\t")
        grams[gram] = float(value)
    return grams


def _load_names() -> frozenset[str]:
    text = resources.files("mtrepair").joinpath("data/detect_names_es.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


# Word classes from the two frequency lists (Lexicon.word_class), what a word says
# on its own whatever its ratio: in English text a word English uses often is
# English ("pesos", "amigos", "fiesta" in WMT newstest2013), and a word frequent in
# Spanish that English never writes is Spanish even alone ("contagios", dev/real 02;
# "viacrucis", dev/real 11).
PLAIN: Final = 0
SPANISH_ONLY: Final = 1  # en zipf < EN_ABSENT_ZIPF, es zipf >= ES_SOLID_ZIPF
LOANWORD: Final = 2  # en zipf >= LOAN_EN_ZIPF: English has it (loanword or homograph)
EN_ABSENT_ZIPF: Final = 1.5
ES_SOLID_ZIPF: Final = 2.5
LOAN_EN_ZIPF: Final = 2.5
# A capitalized sentence-initial word is a Spanish word, not a surname, when Spanish
# uses it this much and English hardly at all: "Cabe points out that ..." (dev/real 02);
# surnames ("Flores", "Torres", "Nieto") all reach zipf 2.5 in English through names.
INITIAL_ES_ZIPF: Final = 4.5
# Words English uses at least this often (zipf 3) are the prefixes a page cut off
# mid-word leaves: "decis" (dev/real 19) is "decision", not Spanish.
PREFIX_EN_ZIPF: Final = 3.0


@dataclass
class Lexicon:
    """English and Spanish word frequencies and the character model, loaded once."""

    en: dict[str, float]
    es: dict[str, float]
    grams: dict[str, float]
    names_es: frozenset[str]
    cache: dict[str, float] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    _en_sorted: list[str] = field(default_factory=list)

    def zipfs(self, word: str) -> tuple[float, float]:
        """(English, Spanish) Zipf frequency of a lowercase word."""
        return zipf(self.en.get(word, 0.0)), zipf(self.es_freq(word))

    def word_class(self, word: str) -> int:
        """PLAIN, SPANISH_ONLY or LOANWORD (see the constants); cached."""
        value = self.classes.get(word)
        if value is None:
            if len(self.classes) > OOV_CACHE_LIMIT:
                self.classes.clear()
            en, es = self.zipfs(word)
            if en >= LOAN_EN_ZIPF and word not in SPANISH_FUNCTION_WORDS:
                value = LOANWORD
            elif en < EN_ABSENT_ZIPF and es >= ES_SOLID_ZIPF:
                value = SPANISH_ONLY
            else:
                value = PLAIN
            self.classes[word] = value
        return value

    def spanish_word(self, word: str) -> bool:
        """A common Spanish word English hardly writes: capitalized, still no surname."""
        en, es = self.zipfs(word)
        return es >= INITIAL_ES_ZIPF and en < LOAN_EN_ZIPF and word.capitalize() not in self.names_es

    def english_prefix(self, word: str) -> bool:
        """Whether a common English word (zipf >= 3) starts with ``word`` and is longer."""
        if not self._en_sorted:
            floor = 10 ** (PREFIX_EN_ZIPF - 9)
            self._en_sorted = sorted(w for w, f in self.en.items() if f >= floor)
        words = self._en_sorted
        k = bisect.bisect_right(words, word)
        return k < len(words) and words[k].startswith(word)

    def char_score(self, word: str) -> float:
        grams = char_grams(word)
        get = self.grams.get
        mean = sum(get(g, 0.0) for g in grams) / len(grams)
        return max(-MAX_CHAR_LLR, min(MAX_CHAR_LLR, CHAR_SCALE * mean))

    def accented(self, word: str) -> float:
        """Frequency of the commonest Spanish word that ``word`` is with one accent put back."""
        best = 0.0
        get = self.es.get
        for k, ch in enumerate(word):
            for acc in _ACCENTS.get(ch, ""):
                f = get(word[:k] + acc + word[k + 1 :])
                if f is not None and f > best:
                    best = f
        return best * ACCENTLESS_DISCOUNT

    def es_freq(self, word: str) -> float:
        """Spanish frequency of a lowercase word, accent-less spellings included."""
        fs = self.es.get(word)
        return fs if fs is not None else self.accented(word)

    def _listed(self, word: str) -> float | None:
        fs = self.es.get(word)
        fe = self.en.get(word)
        if fs is None and word.isascii():
            fs = self.accented(word) or None
        if fs is None and fe is None:
            return None
        if word in SPANISH_FUNCTION_WORDS:
            fe = min(fe or 0.0, FUNCTION_WORD_EN_FREQ)
        llr = math.log(max(fs or 0.0, FREQ_FLOOR)) - math.log(max(fe or 0.0, FREQ_FLOOR))
        return max(-MAX_LLR, min(MAX_LLR, llr))

    def _compute(self, word: str) -> float:
        listed = self._listed(word)
        if listed is not None:
            return listed
        if "-" in word:
            # English hyphenates far more than Spanish: "re-election", "e-mail",
            # "turn-out"; Spanish compounds ("político-social") still come out Spanish.
            parts = [p for p in word.split("-") if len(p) > 1]
            if parts:
                return sum(self.score(p) for p in parts) / len(parts) - HYPHEN_EN
            return -HYPHEN_EN
        if "'" in word:
            # Spanish writes no apostrophes; "mayor's", "n't" lean English.
            stem = word.split("'", 1)[0]
            return min(self.score(stem), 0.0) - 1.0 if stem else -1.0
        if _LAUGH_ES.fullmatch(word):
            return 3.0
        if _LAUGH_EN.fullmatch(word):
            return -3.0
        if _REPEAT.search(word):
            # tweets stretch words: "siiii", "noooo", "pleaseee"
            for squeezed in (_REPEAT.sub(r"\1", word), _REPEAT.sub(r"\1\1", word)):
                again = self._listed(squeezed)
                if again is not None:
                    return again
        return self.char_score(word)

    def score(self, word: str) -> float:
        """LLR Spanish vs English (nats) of a lowercase word; apostrophes as ``'``."""
        value = self.cache.get(word)
        if value is None:
            if len(self.cache) > OOV_CACHE_LIMIT:
                self.cache.clear()
            value = self._compute(word)
            self.cache[word] = value
        return value


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load wordfreq's lists and the shipped tables once per process."""
    import wordfreq

    return Lexicon(
        en=wordfreq.get_frequency_dict("en", wordlist="large"),
        es=wordfreq.get_frequency_dict("es", wordlist="large"),
        grams=_load_grams(),
        names_es=_load_names(),
    )
