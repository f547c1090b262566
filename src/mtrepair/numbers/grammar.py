"""Tokens and the parser of Spanish-style number expressions (see the package docstring).

Reading: Spanish groups thousands *inside* the coefficient of "millones", so "465 mil 48 millones"
is (465,048) × 10^6 and "mil millones" is 10^9. The parser accumulates like a speaker does: a
thousand-scale word multiplies the current group, a million-scale word closes the group.

Regex work is bounded: one token pattern without nested quantifiers, scanned once; grouping and
parsing are linear Python over the tokens found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# Spanish number words that MT leaves before "mil"/"millones" ("un millón 482 mil"), with the
# English word a lone "dos millones" becomes. "once" (11) is left out: it is an English word.
ES_WORDS: dict[str, tuple[int | Fraction, str]] = {
    "un": (1, "one"), "uno": (1, "one"), "una": (1, "one"), "dos": (2, "two"), "tres": (3, "three"),
    "cuatro": (4, "four"), "cinco": (5, "five"), "seis": (6, "six"), "siete": (7, "seven"),
    "ocho": (8, "eight"), "nueve": (9, "nine"), "diez": (10, "ten"), "doce": (12, "twelve"),
    "trece": (13, "thirteen"), "catorce": (14, "fourteen"), "quince": (15, "fifteen"),
    "veinte": (20, "twenty"), "treinta": (30, "thirty"), "cuarenta": (40, "forty"),
    "cincuenta": (50, "fifty"), "sesenta": (60, "sixty"), "setenta": (70, "seventy"),
    "ochenta": (80, "eighty"), "noventa": (90, "ninety"), "cien": (100, "one hundred"),
    # "medio millón" is "half a million"; as a remainder or a thousand coefficient it is no number
    "medio": (Fraction(1, 2), "half a"),
}  # fmt: skip


def _word_values() -> dict[str, int | Fraction]:
    words: dict[str, int | Fraction] = {**_EN_UNITS, **_EN_TENS}
    for tens, tv in _EN_TENS.items():
        for unit, uv in _EN_UNITS.items():
            if uv < 10:
                words[f"{tens}-{unit}"] = tv + uv
    words.update({w: v for w, (v, _) in ES_WORDS.items()})
    return words


WORDS = _word_values()

# scale word → (value, language, plural)
SCALES: dict[str, tuple[int, str, bool]] = {
    "thousand": (1000, "en", False),
    "mil": (1000, "es", False),
    "million": (10**6, "en", False),
    "millions": (10**6, "en", True),
    "millón": (10**6, "es", False),
    "millon": (10**6, "es", False),
    "millones": (10**6, "es", True),
    "billion": (10**9, "en", False),
    "billions": (10**9, "en", True),
    # the Mexican press's abbreviations (economy and government beats), which MT copies unchanged:
    # "500 mdp" = 500 millones de pesos, "1.5 mmdp" = 1.5 miles de millones de pesos; they are
    # scale words with their currency, so "mil 500 mdp" ("thousand 500 mdp") reads in one piece
    "mdp": (10**6, "abbr", True),
    "mmdp": (10**9, "abbr", True),
    "mdd": (10**6, "abbr", True),
    "mmdd": (10**9, "abbr", True),
}
ABBREVIATION_CURRENCY = {"mdp": "pesos", "mmdp": "pesos", "mdd": "dollars", "mmdd": "dollars"}

_SP = r"[ \t\u00a0]{1,4}"
_WORD_ALT = "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True))
_SCALE_ALT = "|".join(sorted(map(re.escape, SCALES), key=len, reverse=True))
# A digit token is a maximal run of digits, dots and commas that is not part of a code, a range or
# a word ("Covid-19", "2020-2021", "A380", "1.2.3.4" all fail the look-arounds or the format check).
# A number word before "hundred" is not a token: "6 thousand three hundred" is no "6 thousand three".
TOKEN_RE = re.compile(
    r"(?P<num>(?<![\w.,\-/])\d+(?:[.,]\d+)*(?![\w\-/]|[.,]\d))"
    rf"|(?P<word>(?<![\w\-])(?:{_WORD_ALT})(?![\w\-])(?!{_SP}hundred))"
    rf"|(?P<scale>(?<![\w\-])(?:{_SCALE_ALT})(?![\w\-]))",
    re.IGNORECASE,
)
# Where an expression can be: a scale word, or one of the damaged forms below. Two passes, not one
# alternation: the damaged anchors start on literals ("1,", ",000") that the regex engine finds
# fast, where a leading "\w" made it try every word character.
SCALE_ANCHOR_RE = re.compile(rf"(?<![\w\-])(?:{_SCALE_ALT})(?![\w\-])", re.IGNORECASE)
DAMAGE_ANCHOR_RE = re.compile(rf"1,\d{{3}}(?![\d,])|,000{_SP}\d")  # "16 1,329", "27,000 461"
GAP_SPACE_RE = re.compile(r"[ \t\u00a0]{1,4}")
GAP_COMMA_RE = re.compile(r",[ \t\u00a0]{1,4}")

_PLAIN_INT = re.compile(r"\d{1,3}")
_GROUPED_INT = re.compile(r"\d{1,3}(?:,\d{3})+")
_DOT_DECIMAL = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+")
_COMMA_DECIMAL = re.compile(r"\d{1,3},\d{1,2}")
_MIL_AS_ONE = re.compile(r"1,(\d{3})")
_THOUSAND_ZEROS = re.compile(r"\d{1,3}(?:,\d{3})*,000")

Value = int | Fraction  # Fraction only for decimal coefficients ("1,5 millones"): ints are faster

# Damaged forms: MT (or the outlet) wrote the Spanish "mil" as digits and left the rest beside it.
# "mil-one": "16 mil 329" → "16 1,329" (dev/real 05), "cuatro mil 192 millones" → "four 1,192
# million" (dev/real 20): a number, a space, then "1,DDD", the "mil DDD" read alone.
# "thousand-zeros": "27 mil 461" → "27,000 461" (dev/real 10): a round thousand, a space, and the
# remainder; "-short" when the remainder has fewer than three digits ("27,000 46").
DAMAGED = ("mil-one", "thousand-zeros", "thousand-zeros-short")


@dataclass(frozen=True, slots=True)
class Number:
    value: Value
    # "int" (≤3 digits) | "grouped" | "decimal" | "comma-decimal" | "word" | one of DAMAGED
    form: str
    spanish: bool = False  # a Spanish number word ("dos", "un")


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    kind: str  # "num" | "word" | "scale"
    text: str
    comma_before: bool  # separated from the previous token by ", "
    number: Number | None = None  # read already (a merged damaged form)


def read_number(tok: Tok) -> Number | None:
    """Value of a coefficient or remainder token, or None for a form we do not trust."""
    if tok.number is not None:
        return tok.number
    t = tok.text
    if tok.kind == "word":
        low = t.lower()
        return Number(WORDS[low], "word", low in ES_WORDS)
    if _PLAIN_INT.fullmatch(t):
        return Number(int(t), "int")
    if _GROUPED_INT.fullmatch(t):
        return Number(int(t.replace(",", "")), "grouped")
    if _DOT_DECIMAL.fullmatch(t):
        return Number(Fraction(t.replace(",", "")), "decimal")
    if _COMMA_DECIMAL.fullmatch(t):
        return Number(Fraction(t.replace(",", ".")), "comma-decimal")
    return None  # "2021" (a year, not a coefficient), "1.234.567", "12,3456"


def _damaged(a: Tok, b: Tok) -> Number | None:
    """The damaged form ``a b`` stands for, if it is one."""
    if b.kind != "num" or b.comma_before or a.kind == "scale":
        return None
    head = read_number(a)
    if head is None or not isinstance(head.value, int):
        return None
    mil = _MIL_AS_ONE.fullmatch(b.text)
    if mil is not None and head.form in ("int", "word") and 0 < head.value < 1000:
        return Number(head.value * 1000 + int(mil.group(1)), "mil-one", head.spanish)
    if a.kind == "num" and _THOUSAND_ZEROS.fullmatch(a.text) and _PLAIN_INT.fullmatch(b.text):
        form = "thousand-zeros" if len(b.text) == 3 else "thousand-zeros-short"
        return Number(head.value + int(b.text), form)
    return None


def merge_damaged(run: list[Tok]) -> list[Tok]:
    """``run`` with each damaged pair read as one number token."""
    out: list[Tok] = []
    i = 0
    while i < len(run):
        a = run[i]
        if i + 1 < len(run) and a.number is None:
            num = _damaged(a, run[i + 1])
            if num is not None:
                b = run[i + 1]
                out.append(Tok(a.start, b.end, "num", f"{a.text} {b.text}", a.comma_before, num))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class Parse:
    end_index: int  # index after the last consumed token
    total: Value
    scales: int  # scale words consumed
    groups: int  # scale words + remainders consumed
    numbers: tuple[Number, ...]
    last_scale: int  # value of the last scale word, 0 if the expression ends on a remainder
    last_scale_text: str
    bare_thousand: bool


def _is_million(tok: Tok | None) -> bool:
    return tok is not None and tok.kind == "scale" and SCALES[tok.text.lower()][0] == 10**6


def _thousand_remainder(num: Number, nxt: Tok | None) -> bool:
    """May ``num`` complete an open thousand group ("4 mil 158", "6 thousand three")?"""
    if num.form == "int":
        return True
    if num.form == "word":
        # dev/real 03 "6 thousand three people" (= 6,003); a half is no remainder
        return isinstance(num.value, int)
    # dev/real 18 "2 thousand 175.7 million" (= 2,175.7 million): a decimal remainder only
    # inside the coefficient of a million word, never a thousand's ("2 thousand 1.5")
    return num.form in ("decimal", "comma-decimal") and num.value < 1000 and _is_million(nxt)


def parse_at(toks: Sequence[Tok], i: int) -> Parse | None:
    """Longest valid Spanish-style expression starting at ``toks[i]``."""
    total: Value = 0
    cur: Value | None = None  # value of the open group when a thousand word has been read
    cur_rem = False  # the open thousand group already has its remainder
    pending: Number | None = None
    last_big = 10**12
    numbers: list[Number] = []
    scales = groups = 0
    bare_thousand = False
    best: Parse | None = None
    before_rem: Parse | None = None  # the parse before the last remainder was taken
    after_big = False  # the previous token was a million-scale word
    j = i
    while j < len(toks):
        tok = toks[j]
        if j > i and tok.comma_before and not (after_big and tok.kind != "scale"):
            break  # "million, 507 thousand" is Spanish grouping; other commas end the expression
        after_big = False
        if tok.kind in ("num", "word"):
            if pending is not None:
                break
            num = read_number(tok)
            if num is None:
                break
            if cur is not None:
                if cur_rem or not _thousand_remainder(num, toks[j + 1] if j + 1 < len(toks) else None):
                    break
                cur += num.value
                cur_rem = True
                numbers.append(num)
                groups += 1
                before_rem = best
                best = Parse(j + 1, total + cur, scales, groups, tuple(numbers), 0, "", bare_thousand)
            else:
                pending = num
                remainder_ok = last_big == 10**6 and num.form in ("int", "grouped") and num.value < 10**6
                if scales and remainder_ok and not tok.comma_before:
                    # remainder straight after "million": "20 million 51,552" (after "million, " only
                    # a thousand group may follow: "5 million, 300 people" is a list, not a number)
                    before_rem = best
                    best = Parse(j + 1, total + num.value, scales, groups + 1, (*numbers, num), 0, "", bare_thousand)
            j += 1
            continue
        value, _lang, _plural = SCALES[tok.text.lower()]
        if value == 1000:
            if cur is not None:
                break
            if pending is None:
                if scales:  # "million thousand"
                    break
                cur = 1000
                bare_thousand = True
            else:
                if pending.form in DAMAGED or (scales and pending.form not in ("int", "word")):
                    break  # "16 1,329 thousand" is no reading of anything
                cur = pending.value * 1000
                numbers.append(pending)
            pending = None
            scales += 1
            groups += 1
            best = Parse(j + 1, total + cur, scales, groups, tuple(numbers), 1000, tok.text, bare_thousand)
            if numbers and numbers[-1].form in ("decimal", "comma-decimal", "grouped"):
                break  # "1.5 thousand", "1,200 thousand": a single group, nothing may follow
        else:
            if value >= last_big:
                break
            if cur is not None:
                if value != 10**6 or cur >= 10**6:
                    break
                if bare_thousand and scales == 1 and not cur_rem and toks[i].text.lower() != "mil":
                    # "mil millones" is Spanish; English "a thousand million" is left alone, but
                    # "thousand 500 million" ("mil 500 millones") is no English
                    break
                group = cur
            elif pending is not None:
                if scales and pending.form not in ("int", "word"):
                    break
                group = pending.value
                numbers.append(pending)
            else:
                break  # a bare "million" is English, not a Spanish number
            total += group * value
            last_big = value
            cur, cur_rem, pending = None, False, None
            scales += 1
            groups += 1
            after_big = True
            best = Parse(j + 1, total, scales, groups, tuple(numbers), value, tok.text, bare_thousand)
            if value == 10**9 or (numbers and numbers[-1].form in ("decimal", "comma-decimal")):
                # Spanish has no "billion" (its "billón" is 10^12): "2 billion 500 million" is an
                # English writer's, and "1.5 million" takes nothing after it
                break
        j += 1
    if j < len(toks) and toks[j].kind == "scale" and best is not None and best.end_index == j:
        # stopped on a scale word right after a remainder: that number was the scale's coefficient
        # ("5 thousand 10 thousand", "5 million 3 million"), so it is not ours
        best = before_rem
    return best


def group_tokens(text: str, windows: Sequence[tuple[int, int]]) -> list[list[Tok]]:
    """Runs of number/scale tokens separated only by spaces (or ", ") that can hold an expression:
    a scale word or a damaged form in them."""
    runs: list[list[Tok]] = []

    def close(run: list[Tok]) -> None:
        if not run:
            return
        merged = merge_damaged(run)
        if any(t.kind == "scale" or t.number is not None for t in merged):
            runs.append(merged)

    for ws, we in windows:
        run: list[Tok] = []
        for m in TOKEN_RE.finditer(text, ws, we):
            kind = m.lastgroup or "num"
            comma = False
            if run:
                gap_start = run[-1].end
                if GAP_SPACE_RE.fullmatch(text, gap_start, m.start()):
                    pass
                elif GAP_COMMA_RE.fullmatch(text, gap_start, m.start()):
                    comma = True
                else:
                    close(run)
                    run = []
            run.append(Tok(m.start(), m.end(), kind, m.group(), comma))
        close(run)
    return runs
