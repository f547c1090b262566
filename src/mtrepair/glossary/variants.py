"""The surface forms one glossary entry matches: what a reviewer writes once (issue 9, part 3).

An entry is written once; the automaton gets every form it stands for:

- **separators**: a hyphen, a space or nothing between two words are one entry
  ("Well-being", "Well being", "Wellbeing"; "IMSS-Wellness", "IMSS Wellness"). Every
  hyphen gets all three choices, and so does the space of a two-word source ("right
  holders", "rightholders"); other spaces stay (nobody writes "InstituteofHealth");
- **families**: a ``family`` row names a Spanish word of proper names and its machine
  renderings (``Bienestar`` → ``Well-being|Wellness|Welfare``). Any entry whose English
  (a keep entry's source, a term's or variant's target, a variant's source) holds one
  member as a capitalised word gets a form with each other member, all rewritten to the
  entry's own output: the keep ``IMSS-Bienestar`` covers "IMSS-Wellness" and "IMSS Welfare", the term
  ``Instituto de Salud para el Bienestar`` → "Institute of Health for Welfare" covers
  "Institute of Health for Well-being" (dev/real 15 and 19);
- **inflection**: a variant written in lower case ("right holders" → "beneficiaries")
  also covers the other grammatical number ("right holder" → "beneficiary"); a
  possessive needs nothing, since the apostrophe is a word boundary ("IMSS Wellness's").

Case forms (a title-case or all-caps form of a case-sensitive entry) are checked by the
matcher, not enumerated here. Forms are capped per entry so no row can blow up the
automaton.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .entry import Entry, Kind, match_key

FAMILY_SEPARATOR = "|"
MAX_FORMS = 96
_MAX_HYPHENS = 3  # 27 spellings at most
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00a0": " "})
_TYPOGRAPHIC = ("\u2010", "\u2011", "\u00a0")


@dataclass(frozen=True, slots=True)
class Form:
    """One surface an entry matches, what it becomes, and why it exists (for ``explain``).

    ``kind`` is how the form is applied: ``term`` (a Spanish source), ``variant`` (English
    rewritten to the canonical output) or ``keep`` (a keep entry's own spelling, protected);
    every other spelling of a keep entry is a variant rewritten to that spelling.
    """

    surface: str
    output: str
    kind: Kind
    how: str


def plain_separators(text: str) -> str:
    """Typographic hyphens as ``-`` and no-break spaces as spaces (one character each)."""
    # str.translate walks the string in Python-level steps; most text has none of these.
    if text.isascii() or not any(ch in text for ch in _TYPOGRAPHIC):
        return text
    return text.translate(_HYPHENS)


def fold(text: str) -> str:
    """The automaton's key: lower case with hyphens and spaces alike, same length as ``text``."""
    return plain_separators(match_key(text)).replace("-", " ")


def members(entry: Entry) -> list[str]:
    """A family row's spellings: the Spanish word first, then its renderings."""
    return [entry.source, *(m.strip() for m in entry.target.split(FAMILY_SEPARATOR) if m.strip())]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _separator_choices(text: str) -> list[str]:
    """``text`` with its hyphens (and the space of a two-word text) as hyphen, space or
    nothing; the text itself first. Other spaces stay: nobody writes "InstituteofHealth"."""
    spots = [
        i
        for i, ch in enumerate(text)
        if ch in " -" and 0 < i < len(text) - 1 and _is_word_char(text[i - 1]) and _is_word_char(text[i + 1])
    ]
    if len(spots) != 1 or text[spots[0]] != " ":
        spots = [i for i in spots if text[i] == "-"][:_MAX_HYPHENS]
    if not spots:
        return [text]
    out: list[str] = [text]
    for choice in itertools.product(("-", " ", ""), repeat=len(spots)):
        parts: list[str] = []
        last = 0
        for i, sep in zip(spots, choice, strict=True):
            parts.append(text[last:i])
            parts.append(sep)
            last = i + 1
        parts.append(text[last:])
        spelled = "".join(parts)
        if spelled != text:
            out.append(spelled)
    return out


def _find_word(haystack: str, needle: str) -> list[int]:
    """Starts of ``needle`` in ``haystack`` as a whole word, comparing folded forms."""
    hay, pin = fold(haystack), fold(needle)
    found: list[int] = []
    start = hay.find(pin)
    while start != -1:
        end = start + len(pin)
        if (start == 0 or not _is_word_char(hay[start - 1])) and (end == len(hay) or not _is_word_char(hay[end])):
            found.append(start)
        start = hay.find(pin, start + 1)
    return found


def _styled(member: str, like: str) -> str:
    """``member`` in the case style of the text it replaces (all caps, capitalised, lower)."""
    if len(like) > 1 and like.isupper():
        return member.upper()
    if like[:1].isupper():
        return member[:1].upper() + member[1:]
    return member.lower()


def _family_forms(text: str, families: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """``text`` with a member of each family it holds swapped for each other member,
    with a description; every occurrence of one family's members takes the same member."""
    found: list[tuple[str, str]] = []
    for family in families:
        for member in family:
            variants = [member, member.replace("-", ""), member.replace("-", " ")]
            # Only a capitalised occurrence is part of a name: "welfare programs" in lower
            # case is plain English, and "wellness programs" is something else.
            spots = sorted({(s, len(v)) for v in variants for s in _find_word(text, v) if text[s].isupper()})
            if not spots:
                continue
            for other in family:
                if fold(other) == fold(member):
                    continue
                out, last = [], 0
                for s, n in spots:
                    if s < last:
                        continue
                    out += [text[last:s], _styled(other, text[s : s + n])]
                    last = s + n
                out.append(text[last:])
                found.append(("".join(out), f"family {family[0]}: {other}"))
            break
    return found


def _number(word: str) -> str | None:
    """The other grammatical number of a lower-case English noun (regular forms only)."""
    if not word.isalpha() or not word.islower() or len(word) < 3:
        return None
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("ss") or word.endswith("us"):
        return word + "es"
    if word.endswith("s"):
        return word[:-1]
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "x", "z")):
        return word + "es"
    return word + "s"


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us"))


def _inflected(source: str, output: str) -> tuple[str, str] | None:
    """Source and output with their last word in the other number, when both are lower-case
    nouns in the same number ("right holders" → "beneficiaries": "right holder" → "beneficiary")."""
    s_head, _, s_last = source.rpartition(" ")
    o_head, _, o_last = output.rpartition(" ")
    if _plural(s_last) != _plural(o_last):
        return None
    s_other, o_other = _number(s_last), _number(o_last)
    if s_other is None or o_other is None:
        return None
    return (f"{s_head} {s_other}" if s_head else s_other), (f"{o_head} {o_other}" if o_head else o_other)


def entry_forms(entry: Entry, families: Sequence[Sequence[str]] = ()) -> list[Form]:
    """Every form of one (term, variant or keep) entry; the entry's own source first."""
    if entry.kind == "family":
        return []
    output = entry.output
    own: Kind = entry.kind
    forms: dict[str, Form] = {entry.source: Form(entry.source, output, own, "entry")}

    def add(surface: str, result: str, kind: Kind, how: str) -> None:
        for spelled in _separator_choices(surface):
            if len(forms) >= MAX_FORMS:
                return
            key = plain_separators(spelled)
            if key in forms or (kind == "variant" and key == result):
                continue
            forms[key] = Form(key, result, kind, how if key == surface else f"{how}, spelled {key!r}")

    # A term's source is Spanish: its English side is the target; a keep entry's spellings
    # other than its own are rewritten to it.
    spelling: Kind = "term" if entry.kind == "term" else "variant"
    add(entry.source, output, spelling, "entry")
    english = {"term": [entry.target], "keep": [entry.source], "variant": [entry.source, entry.target]}[entry.kind]
    if entry.kind == "variant":
        inflected = _inflected(entry.source, entry.target)
        if inflected is not None:
            add(inflected[0], inflected[1], "variant", f"inflected {inflected[0]!r}")
    for text in english:
        for surface, how in _family_forms(text, families):
            add(surface, output, "variant", how)
    return list(forms.values())


def approved_families(entries: Iterable[Entry]) -> list[list[str]]:
    return [members(e) for e in entries if e.kind == "family" and e.status == "approved"]
