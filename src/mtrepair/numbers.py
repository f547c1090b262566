"""Spanish-style number expressions → English digits (the ``numbers`` stage).

Spanish MT leaves numbers the way Spanish speaks them: "4 mil 158" (seed 000), "13 thousand"
(seed 001), "314 thousand hospitalized" (seed 003), "465 thousand 48 million pesos". This module
finds such expressions and proposes one ``Edit(kind="number")`` per expression.

Reading: Spanish groups thousands *inside* the coefficient of "millones", so "465 mil 48 millones"
is (465,048) × 10^6 and "mil millones" is 10^9. The parser below accumulates like a speaker does:
a thousand-scale word multiplies the current group, a million-scale word closes the group.

Rendering (why each choice):
- several groups → full digits: "19 million 583 thousand 170" → "19,583,170";
- a group that ends on a million-scale word keeps the word, as English news does:
  "465 thousand 48 million" → "465,048 million"; a whole number of thousands of millions becomes
  billions: "13 mil millones" → "13 billion", "mil millones" → "1 billion";
- "N thousand" / "N mil" → "N,000" (seed gold: "13 thousand" → "13,000");
- "1,5 millones" → "1.5 million" (Spanish decimal comma), "13 millones" → "13 million";
- "millones de pesos" → "million pesos" (the issue's "14,386 million pesos"); before anything but
  a currency only the number is rewritten ("1,5 millones de consultas" → "1.5 million de consultas")
  and "de consultas" is left to the detector and the translation stage, which drops the partitive
  "of" after a quantity. Keeping "millones" Spanish instead left "1.5 millones of consultations"
  in the output, which the next clean changed again: cleaning must be idempotent.

Never touched: expressions already fine in English ("1.5 million", "13 million", "two million
infected", "three thousand people" — seed 001 — "80 million Family Medicine Consultations" — seed
003), numbers without a scale word ("13,123", "2021", "Covid-19", "No. 58", "2020-2021"), and
anything overlapping a protected region.

Regex work is bounded: one token pattern without nested quantifiers, scanned once; grouping and
parsing are linear Python over the tokens found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .model import Edit, apply_edits
from .regions import MergedRegions

__all__ = ["find_number_edits", "normalize_numbers"]

_ENGINE = "rules"

_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# Spanish number words that MT leaves before "mil"/"millones" ("un millón 482 mil").
# "once" (11) is left out: it is an English word.
_ES_WORDS = {
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60,
    "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100,
}  # fmt: skip


def _word_values() -> dict[str, int]:
    words: dict[str, int] = {**_EN_UNITS, **_EN_TENS, **_ES_WORDS}
    for tens, tv in _EN_TENS.items():
        for unit, uv in _EN_UNITS.items():
            if uv < 10:
                words[f"{tens}-{unit}"] = tv + uv
    return words


_WORDS = _word_values()

# scale word → (value, language, plural)
_SCALES: dict[str, tuple[int, str, bool]] = {
    "thousand": (1000, "en", False),
    "mil": (1000, "es", False),
    "million": (10**6, "en", False),
    "millions": (10**6, "en", True),
    "millón": (10**6, "es", False),
    "millon": (10**6, "es", False),
    "millones": (10**6, "es", True),
    "billion": (10**9, "en", False),
    "billions": (10**9, "en", True),
}

_WORD_ALT = "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
_SCALE_ALT = "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True))
# A digit token is a maximal run of digits, dots and commas that is not part of a code, a range or
# a word ("Covid-19", "2020-2021", "A380", "1.2.3.4" all fail the look-arounds or the format check).
_TOKEN_RE = re.compile(
    r"(?P<num>(?<![\w.,\-/])\d+(?:[.,]\d+)*(?![\w\-/]|[.,]\d))"
    rf"|(?P<word>(?<![\w\-])(?:{_WORD_ALT})(?![\w\-]))"
    rf"|(?P<scale>(?<![\w\-])(?:{_SCALE_ALT})(?![\w\-]))",
    re.IGNORECASE,
)
_ANCHOR_RE = re.compile(rf"(?<![\w\-])(?:{_SCALE_ALT})(?![\w\-])", re.IGNORECASE)
_MARGIN = 100
_GAP_SPACE_RE = re.compile(r"[ \t\u00a0]{1,4}")
_GAP_COMMA_RE = re.compile(r",[ \t\u00a0]{1,4}")
_DE_RE = re.compile(r"[ \t\u00a0]+de[ \t\u00a0]+(\w+)", re.IGNORECASE)
_ARTICLE_BEFORE_RE = re.compile(r"(?<![\w\-])an?[ \t\u00a0]+$", re.IGNORECASE)
_CURRENCIES = {"pesos": "pesos", "dólares": "dollars", "dolares": "dollars", "euros": "euros"}

_PLAIN_INT = re.compile(r"\d{1,3}")
_GROUPED_INT = re.compile(r"\d{1,3}(?:,\d{3})+")
_DOT_DECIMAL = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+")
_COMMA_DECIMAL = re.compile(r"\d{1,3},\d{1,2}")


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    kind: str  # "num" | "word" | "scale"
    text: str
    comma_before: bool  # separated from the previous token by ", "


Value = int | Fraction  # Fraction only for decimal coefficients ("1,5 millones"): ints are faster


@dataclass(frozen=True, slots=True)
class _Number:
    value: Value
    form: str  # "int" (≤3 digits) | "grouped" | "decimal" | "comma-decimal" | "word"


def _read_number(tok: _Tok) -> _Number | None:
    """Value of a coefficient or remainder token, or None for a form we do not trust."""
    t = tok.text
    if tok.kind == "word":
        return _Number(_WORDS[t.lower()], "word")
    if _PLAIN_INT.fullmatch(t):
        return _Number(int(t), "int")
    if _GROUPED_INT.fullmatch(t):
        return _Number(int(t.replace(",", "")), "grouped")
    if _DOT_DECIMAL.fullmatch(t):
        return _Number(Fraction(t.replace(",", "")), "decimal")
    if _COMMA_DECIMAL.fullmatch(t):
        return _Number(Fraction(t.replace(",", ".")), "comma-decimal")
    return None  # "2021" (a year, not a coefficient), "1.234.567", "12,3456"


@dataclass(frozen=True, slots=True)
class _Parse:
    end_index: int  # index after the last consumed token
    total: Value
    scales: int  # scale words consumed
    groups: int  # scale words + remainders consumed
    numbers: tuple[_Number, ...]
    last_scale: int  # value of the last scale word, 0 if the expression ends on a remainder
    last_scale_text: str
    bare_thousand: bool


def _parse_at(toks: Sequence[_Tok], i: int) -> _Parse | None:
    """Longest valid Spanish-style expression starting at ``toks[i]``."""
    total: Value = 0
    cur: Value | None = None  # value of the open group when a thousand word has been read
    cur_rem = False  # the open thousand group already has its remainder
    pending: _Number | None = None
    last_big = 10**12
    numbers: list[_Number] = []
    scales = groups = 0
    bare_thousand = False
    best: _Parse | None = None
    before_rem: _Parse | None = None  # the parse before the last remainder was taken
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
            num = _read_number(tok)
            if num is None:
                break
            if cur is not None:
                # remainder of a thousand group: "4 mil 158", "three thousand 041"
                if cur_rem or num.form != "int":
                    break
                cur += num.value
                cur_rem = True
                numbers.append(num)
                groups += 1
                before_rem = best
                best = _Parse(j + 1, total + cur, scales, groups, tuple(numbers), 0, "", bare_thousand)
            else:
                pending = num
                remainder_ok = last_big == 10**6 and num.form in ("int", "grouped") and num.value < 10**6
                if scales and remainder_ok and not tok.comma_before:
                    # remainder straight after "million": "20 million 51,552" (after "million, " only
                    # a thousand group may follow: "5 million, 300 people" is a list, not a number)
                    before_rem = best
                    best = _Parse(j + 1, total + num.value, scales, groups + 1, (*numbers, num), 0, "", bare_thousand)
            j += 1
            continue
        value, _lang, _plural = _SCALES[tok.text.lower()]
        if value == 1000:
            if cur is not None:
                break
            if pending is None:
                if scales:  # "million thousand"
                    break
                cur = 1000
                bare_thousand = True
            else:
                if scales and (pending.form != "int" and pending.form != "word"):
                    break
                cur = pending.value * 1000
                numbers.append(pending)
            pending = None
            scales += 1
            groups += 1
            best = _Parse(j + 1, total + cur, scales, groups, tuple(numbers), 1000, tok.text, bare_thousand)
            if numbers and numbers[-1].form in ("decimal", "comma-decimal", "grouped"):
                break  # "1.5 thousand", "1,200 thousand": a single group, nothing may follow
        else:
            if value >= last_big:
                break
            if cur is not None:
                if value != 10**6 or cur >= 10**6:
                    break
                if bare_thousand and scales == 1 and toks[i].text.lower() != "mil":
                    break  # "mil millones" is Spanish; English "a thousand million" is left alone
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
            best = _Parse(j + 1, total, scales, groups, tuple(numbers), value, tok.text, bare_thousand)
            if numbers and numbers[-1].form in ("decimal", "comma-decimal"):
                break
        j += 1
    if j < len(toks) and toks[j].kind == "scale" and best is not None and best.end_index == j:
        # stopped on a scale word right after a remainder: that number was the scale's coefficient
        # ("5 thousand 10 thousand", "5 million 3 million"), so it is not ours
        best = before_rem
    return best


def _fmt(value: Value) -> str:
    if isinstance(value, int) or value.denominator == 1:
        return f"{int(value):,}"
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}.{frac}" if frac else f"{int(whole):,}"


def _integral(value: Value) -> bool:
    return isinstance(value, int) or value.denominator == 1


@dataclass(frozen=True, slots=True)
class _Render:
    after: str
    rule: str
    confidence: float
    end: int  # document offset where the edit ends (may swallow "de pesos")


def _currency_after(text: str, pos: int, limit: int) -> tuple[int, str | None, bool]:
    """After a Spanish million word: (end, English currency or None, followed by "de")."""
    m = _DE_RE.match(text, pos, limit)
    if m is None:
        return pos, None, False
    cur = _CURRENCIES.get(m.group(1).lower())
    return (m.end(), cur, True) if cur else (pos, None, True)


def _render(p: _Parse, toks: Sequence[_Tok], i: int, text: str, limit: int) -> _Render | None:
    """What the expression becomes, or None when it is already fine English."""
    first = toks[i]
    last = toks[p.end_index - 1]
    end = last.end
    has_word = any(n.form == "word" for n in p.numbers)
    has_digits = any(n.form != "word" for n in p.numbers)
    scale_info = _SCALES.get(p.last_scale_text.lower())
    spanish_big = scale_info is not None and scale_info[1] == "es" and p.last_scale >= 10**6
    if spanish_big:
        end, currency, _ = _currency_after(text, end, limit)
        suffix = f" {currency}" if currency else ""
    else:
        suffix = ""

    if p.groups == 1:
        if not p.numbers:
            return None  # bare "thousand", "mil"
        coef = p.numbers[0]
        if coef.form == "word":
            return None  # "three thousand people", "two million infected": fine English
        if p.last_scale == 1000:
            value = p.total
            if not _integral(value):
                return None
            conf = 0.95 if p.last_scale_text.lower() == "mil" else 0.9
            return _Render(_fmt(value), "number:thousand", conf, last.end)
        assert scale_info is not None
        lang, plural = scale_info[1], scale_info[2]
        word = "billion" if p.last_scale == 10**9 else "million"
        if coef.form == "comma-decimal":
            return _Render(f"{_fmt(coef.value)} {word}{suffix}", "number:decimal-comma", 0.9, end)
        if lang == "en":
            if not plural:
                return None  # "1.5 million", "13 million", "1,500 million"
            return _Render(f"{first.text} {word}", "number:scale-plural", 0.85, last.end)
        if p.last_scale != 10**6:
            return None
        if coef.form == "decimal" and len(first.text.rpartition(".")[2]) == 3:
            return None  # "1.500 millones": Spain's 1,500 or a decimal? ambiguous, leave it
        return _Render(f"{first.text} {word}{suffix}", "number:scale-word", 0.9, end)

    if has_word and not has_digits:
        return None  # "one million two thousand": spelled-out English
    if p.bare_thousand:
        if _ARTICLE_BEFORE_RE.search(text, max(0, first.start - 4), first.start):
            return None  # "a thousand 500": the article would be left dangling
        rem = toks[i + 1]
        closed = rem.kind == "scale" or (i + 2 < p.end_index and toks[i + 2].kind == "scale")
        if not closed and len(rem.text) != 3:
            return None  # "thousand 710" yes, "Mil 8" (a helicopter) no; "mil 1 millones" is fine
    if not _integral(p.total):
        return None
    conf = 0.85 if has_word or p.bare_thousand else 0.95
    if p.last_scale >= 10**6:
        millions, rest = divmod(int(p.total), 10**6)
        if rest:
            return None
        if millions % 1000 == 0:
            return _Render(f"{_fmt(millions // 1000)} billion{suffix}", "number:billion", conf, end)
        return _Render(f"{_fmt(millions)} million{suffix}", "number:million-group", conf, end)
    return _Render(_fmt(p.total), "number:spanish-grouping", conf, last.end)


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of text around scale words: the only places an expression can be.

    An expression reaches at most one coefficient (≤ 40 characters) before its first scale word
    and one remainder after its last one, so 100 characters of margin lose nothing; scanning only
    these windows keeps the stage fast on text with few numbers.
    """
    out: list[tuple[int, int]] = []
    for m in _ANCHOR_RE.finditer(text, start, end):
        ws, we = max(start, m.start() - _MARGIN), min(end, m.end() + _MARGIN)
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], we)
        else:
            out.append((ws, we))
    return out


def _group_tokens(text: str, start: int, end: int) -> list[list[_Tok]]:
    """Runs of number/scale tokens separated only by spaces (or ", "), each holding a scale word."""
    runs: list[list[_Tok]] = []
    for ws, we in _windows(text, start, end):
        run: list[_Tok] = []
        has_scale = False
        for m in _TOKEN_RE.finditer(text, ws, we):
            kind = m.lastgroup or "num"
            comma = False
            if run:
                gap_start = run[-1].end
                if _GAP_SPACE_RE.fullmatch(text, gap_start, m.start()):
                    pass
                elif _GAP_COMMA_RE.fullmatch(text, gap_start, m.start()):
                    comma = True
                else:
                    if has_scale:
                        runs.append(run)
                    run, has_scale = [], False
            run.append(_Tok(m.start(), m.end(), kind, m.group(), comma))
            has_scale = has_scale or kind == "scale"
        if run and has_scale:
            runs.append(run)
    return runs


def find_number_edits(text: str, start: int, end: int, protected: Sequence[tuple[int, int]] = ()) -> list[Edit]:
    """Number edits for ``text[start:end]`` with document offsets, non-overlapping, in order."""
    start = max(0, start)
    end = min(len(text), end)
    if start >= end:
        return []
    blocked = MergedRegions(protected)
    edits: list[Edit] = []
    for toks in _group_tokens(text, start, end):
        i = 0
        while i < len(toks):
            p = _parse_at(toks, i)
            if p is None:
                i += 1
                continue
            r = _render(p, toks, i, text, end)
            s = toks[i].start
            if r is not None and not blocked.hits(s, r.end):
                before = text[s : r.end]
                if before != r.after:
                    edits.append(Edit(s, r.end, before, r.after, "number", r.rule, r.confidence, _ENGINE))
            i = p.end_index
    return edits


def normalize_numbers(s: str) -> str:
    """``s`` with every number edit applied (for callers outside the pipeline)."""
    return apply_edits(s, find_number_edits(s, 0, len(s)))
