"""Glued words → two words (the ``glue`` edits).

MT and scraping drop a space (or a comma and a space) between two words: "specialtiesof which"
(seed 002, gold: "specialties, of which"), "Robledotoday", "country21.4". A token is split only
when all of these hold:

- it is out of vocabulary: not an English word and not a Spanish word in wordfreq (Spanish
  leftovers such as "derechohabientes" are the translator's business, not ours);
- it splits into two frequent English words (head Zipf ≥ 3, tail ≥ 3.5; halves of three letters
  or fewer only from closed lists such as "of", "the", "and"; among several splits the one with
  the highest joint unigram probability wins), or into a frequent lowercase word and a number
  ("country21.4"), or a number and a frequent word ("2021will");
- a capitalised token splits into a capitalised head that is either a common word ("Todaythe")
  or a name that stands alone elsewhere in the same document ("Robledo" in seed 000, giving
  "Robledotoday" → "Robledo today"), followed by a lowercase word;
- it is not part of a URL, an e-mail address, a hashtag, an @mention, a path or an identifier
  (snake_case, camelCase, ALLCAPS, letters glued to "_", "/", "@", "#", "." or "-"), and it is not
  a prefix compound that English writes with a hyphen ("selfesteem"-style heads such as "self",
  "non", "anti"; "-based"/"-wide"/"-like" tails): splitting those would be wrong without the hyphen.

Before a relative "of which"/"of whom"/"which" the split gets a comma, as the gold fix for seed 002
shows ("specialties, of which"); everywhere else it is a plain space.

Speed: one bounded regex finds candidate tokens (letters only, ≥ 6 long, or letters glued to a
number); only those missing from the English word list are looked at further. wordfreq's
frequency tables are loaded once, on first use.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence

from .model import Edit
from .regions import MergedRegions

__all__ = ["find_glue_edits", "split_glued"]

_ENGINE = "rules"
_MIN_LETTERS = 6  # shorter tokens are almost never glued pairs and are often abbreviations
_MIN_ZIPF = 3.0  # a head must be at least this common (about once per million words)
_MIN_ZIPF_TAIL = 3.5  # tails a little more: Latin and foreign endings ("dolphinaria" → "aria")
_MIN_ZIPF_CAPITAL_HEAD = 5.0  # "Todaythe": only very common words start a capitalised glued pair
_MIN_ZIPF_CAPITAL_TAIL = 4.0
# after a name, only common words: on newstest2013 as one document "Tel" (of Tel Aviv) stands
# alone, and "Telnice" became "Tel nice"
_MIN_ZIPF_TAIL_AFTER_NAME = 4.5
_MIN_ZIPF_TAIL_AFTER_SHORT_CAPITAL = 4.5


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Halves of three letters or fewer come only from these closed lists: short dictionary entries
# are mostly names and abbreviations ("Surobi" → "Sur obi", "Massada" → "Mass ada", "genitalis" →
# "genital is" were all proposed on newstest2013 before the lists existed).
_SHORT_COMMON = _wordset(
    """the and for was are has had not but its his her our who can may new one two six ten all out
    now how why any few own per did get got yet too off let say see use way day man men war law end"""
)
_SHORT_HEADS = _SHORT_COMMON | _wordset("a of in on at to by is as an or be it we he my no so if do")
# no "is", "us", "an", "um": Latin and Spanish endings ("genitalis" is not "genital is")
_SHORT_TAILS = _SHORT_COMMON | _wordset("of to at by or in on it no up")
# apostrophe-less contractions of social media are words there, not halves of a glued pair
_NOT_HALVES = _wordset("shes hes dont cant wont isnt doesnt didnt thats whats youre theyre ive im")
# heads and tails that English joins with a hyphen: "selfesteem" → "self-esteem", not "self esteem"
_HYPHEN_HEADS = _wordset(
    """self non anti co pre post multi inter semi pro mid counter cross super micro macro mini neo
    pseudo ultra cyber bio eco geo tele trans sub re de un hyper hypo extra intra infra meta mega
    poly mono bi tri quasi vice pan over under out well ex half all"""
)
_HYPHEN_TAILS = _wordset(
    """like wide based free less ness ship ful able ible ism ist ing ed ly ers er est ward wards wise
    fold hood dom long related led driven friendly oriented owned run made"""
)
# words that take a number as part of a name, not as a separate quantity
_NUMBERED_NAMES = _wordset("covid sars mers cov windows iphone galaxy version android ios")

_L = r"[^\W\d_]"
_NUM = r"\d{1,15}(?:[.,]\d{1,15}){0,5}"
_BEFORE = r"(?<![\w@#/\\.,\-'’&=%$+])"
_AFTER = r"(?![\w@/\\\-+=%]|['’]\w|[.:]\w)"
_CANDIDATE_RE = re.compile(
    rf"{_BEFORE}(?:(?P<word>{_L}{{{_MIN_LETTERS},60}})"
    rf"|(?P<wn>(?P<wn_w>{_L}{{3,40}})(?P<wn_n>{_NUM}))"
    rf"|(?P<nw>(?P<nw_n>{_NUM})(?P<nw_w>{_L}{{4,40}})))"
    rf"{_AFTER}"
)
_RELATIVE_AFTER_OF_RE = re.compile(r"[ \t\u00a0]+(?:which|whom)\b", re.IGNORECASE)
_CAPITALISED_WORD_RE = re.compile(r"(?<![\w\-])[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]{2,}(?![\w\-])")


@functools.lru_cache(maxsize=1)
def _frequencies() -> tuple[Mapping[str, float], Mapping[str, float]]:
    """English and Spanish word → frequency, loaded once (wordfreq is a heavy import)."""
    import wordfreq

    return wordfreq.get_frequency_dict("en"), wordfreq.get_frequency_dict("es")


def _zipf(freq: float | None) -> float:
    return math.log10(freq) + 9 if freq else 0.0


@functools.lru_cache(maxsize=2)
def _standalone_names(text: str) -> frozenset[str]:
    """Capitalised words that stand alone in the document: evidence that "Robledo" is a name."""
    return frozenset(m.group() for m in _CAPITALISED_WORD_RE.finditer(text))


def _part_zipf(word: str, en: Mapping[str, float], short: frozenset[str], min_zipf: float) -> float:
    """Zipf frequency of ``word`` as a split half, or 0 when it may not be one."""
    if len(word) <= 3:
        return _zipf(en.get(word)) if word in short else 0.0
    if not word.isascii():
        return 0.0
    z = _zipf(en.get(word))
    return z if z >= min_zipf else 0.0


def _split_words(token: str, text: str, en: Mapping[str, float]) -> tuple[str, str, bool] | None:
    """Best (head, tail, head_is_name) for a glued letter token, or None."""
    capitalised = token[0].isupper()
    names: frozenset[str] | None = None
    best: tuple[float, str, str, bool] | None = None
    for i in range(1, len(token)):
        head, tail = token[:i], token[i:]
        low_head = head.lower()
        if low_head in _HYPHEN_HEADS or tail in _HYPHEN_TAILS or low_head in _NOT_HALVES or tail in _NOT_HALVES:
            continue
        is_name = False
        if not capitalised:
            z_head = _part_zipf(head, en, _SHORT_HEADS, _MIN_ZIPF)
            z_tail = _part_zipf(tail, en, _SHORT_TAILS, _MIN_ZIPF_TAIL) if z_head else 0.0
        else:
            z_tail = _part_zipf(tail, en, _SHORT_TAILS, _MIN_ZIPF_CAPITAL_TAIL)
            if not z_tail:
                continue
            z_head = _part_zipf(low_head, en, _SHORT_HEADS, _MIN_ZIPF_CAPITAL_HEAD)
            if len(head) <= 3 and z_tail < _MIN_ZIPF_TAIL_AFTER_SHORT_CAPITAL:
                z_head = 0.0  # "Ornest" (newstest2013) is a surname, not "Or nest"
            if not z_head and len(head) >= 4 and z_tail >= _MIN_ZIPF_TAIL_AFTER_NAME:
                if names is None:
                    names = _standalone_names(text)
                if head in names:
                    z_head, is_name = _MIN_ZIPF, True  # a name the document also uses on its own
        if not (z_head and z_tail):
            continue
        # unigram language model: the split whose two words are jointly most probable wins
        # ("cancersand" → "cancers and", not "cancer sand")
        score = z_head + z_tail
        if best is None or score > best[0]:
            best = (score, head, tail, is_name)
    return best[1:] if best else None


def split_glued(token: str, text: str = "") -> tuple[str, str] | None:
    """(head, tail) if ``token`` is two glued words, else None; ``text`` is the document (for names)."""
    en, es = _frequencies()
    low = token.lower()
    if len(token) < _MIN_LETTERS or low in en or low in es:
        return None
    if any(c.isupper() for c in token[1:]):
        return None  # camelCase, ALLCAPS, "IMSSBienestar": identifiers and names
    parts = _split_words(token, text or token, en)
    return (parts[0], parts[1]) if parts else None


def find_glue_edits(text: str, start: int, end: int, protected: Sequence[tuple[int, int]] = ()) -> list[Edit]:
    """Glue edits for ``text[start:end]`` with document offsets, non-overlapping, in order."""
    start = max(0, start)
    end = min(len(text), end)
    if start >= end:
        return []
    en, es = _frequencies()
    blocked = MergedRegions(protected)
    edits: list[Edit] = []
    for m in _CANDIDATE_RE.finditer(text, start, end):
        token = m.group()
        low = token.lower()
        if low in en:
            continue  # the common case: a real word
        if m.group("word") is not None:
            if low in es or any(c.isupper() for c in token[1:]):
                continue
            parts = _split_words(token, text, en)
            if parts is None:
                continue
            head, tail, is_name = parts
            rule, confidence = ("glue:name-word", 0.7) if is_name else ("glue:words", 0.8)
            relative = tail == "which" or (tail == "of" and _RELATIVE_AFTER_OF_RE.match(text, m.end(), end) is not None)
            if relative:
                after, rule = f"{head}, {tail}", "glue:relative-comma"
            else:
                after = f"{head} {tail}"
        elif m.group("wn") is not None:
            word, num = m.group("wn_w"), m.group("wn_n")
            # lowercase only: "Today90" (seed 004) is a newspaper's name
            if not word.islower() or word in _NUMBERED_NAMES or not _part_zipf(word, en, _SHORT_TAILS, 3.0):
                continue
            after, rule, confidence = f"{word} {num}", "glue:word-number", 0.85
        else:
            num, word = m.group("nw_n"), m.group("nw_w")
            if not word.islower() or word in _HYPHEN_TAILS or not _part_zipf(word, en, _SHORT_TAILS, 3.5):
                continue
            after, rule, confidence = f"{num} {word}", "glue:number-word", 0.8
        if blocked.hits(m.start(), m.end()):
            continue
        edits.append(Edit(m.start(), m.end(), token, after, "glue", rule, confidence, _ENGINE))
    return edits
