"""Placeholders for what an engine must copy through unchanged, and their restoration.

Names, keep entries, numbers, URLs and glossary targets inside a Spanish span are
replaced by ``XQ0``, ``XQ1``, ... before the engine sees the span. Apertium treats
such a token as an unknown word and copies it verbatim; a neural model copies it
as it copies any rare alphanumeric token. After translation every placeholder must
come back exactly once: a translation that loses or repeats one is rejected, so a
name such as "Zoé Robledo" (seed 000) can never be translated or dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..regions import RegionSet

# Bounded quantifiers throughout: span text comes from untrusted articles.
PLACEHOLDER_RE = re.compile(r"XQ(\d{1,5})(?!\d)", re.IGNORECASE)

# Strings an engine must never touch even when no stage protected them: URLs,
# e-mail addresses, @handles, #hashtags and numbers ("2020-2021", "13,123"; "60%"
# keeps the sign outside). A pre-existing placeholder look-alike is masked too, so an
# article that happens to contain "XQ7" can never be confused with ours. A number glued
# to a word by a hyphen ("Covid-19") stays part of that word. Apertium copies digits
# itself and has grammar rules for them ("un 11%" → "11%", but masked "a XQ0%",
# newstest2013 l. 19), so for an engine that says ``keeps_numbers`` numbers stay
# unmasked and are checked after translation instead (same_numbers).
_AUTO_PROTECT_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]{1,2000}"
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"
    r"|(?<![\w@#])[@#]\w{1,100}"
    r"|XQ\d{1,5}",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"(?<!\w-)(?<!\w)\d{1,20}(?:[.,:/–-]\d{1,20}){0,6}(?!\w)")
_DIGITS_RE = re.compile(r"\d{1,20}")
_PLAIN_NUMBER_RE = re.compile(r"\d{1,20}(?:[.,]\d{1,20}){0,6}")
# Sentence-final punctuation a URL rarely ends with; keep it outside the mask.
_URL_TRAILING = ".,;:!?)]}»”’'\""


@dataclass(frozen=True, slots=True)
class Slot:
    """A region ``[start, end)`` of the source that comes back as ``value``."""

    start: int
    end: int
    value: str


@dataclass(frozen=True, slots=True)
class MaskedText:
    """``text`` with placeholder ``XQn`` standing for ``values[n]``."""

    text: str
    values: tuple[str, ...]


def placeholder(n: int) -> str:
    return f"XQ{n}"


def sanitize(text: str) -> str:
    """Return ``text`` with the same length and no character an engine chokes on.

    NUL separates Apertium's inputs and control characters confuse every tokenizer,
    so each becomes a space (offsets stay valid); a lone surrogate (from a file read
    with surrogateescape) becomes U+FFFD so that UTF-8 encoding cannot fail.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc" or ch in "\u2028\u2029":
            out.append(" ")
        elif cat == "Cs":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def find_auto_protected(text: str, *, numbers: bool = True) -> list[Slot]:
    """URLs, e-mails, handles, placeholder look-alikes and (with ``numbers``) numbers."""
    slots = []
    for m in _AUTO_PROTECT_RE.finditer(text):
        start, end = m.span()
        if m.group().lower().startswith(("http", "www.")):
            while end > start and text[end - 1] in _URL_TRAILING:
                end -= 1
        if end > start:
            slots.append(Slot(start, end, text[start:end]))
    if numbers:
        slots.extend(Slot(m.start(), m.end(), m.group()) for m in _NUMBER_RE.finditer(text))
    return slots


def same_numbers(source: str, translation: str) -> bool:
    """Whether ``translation`` has exactly the digit runs of ``source`` (placeholders
    aside): the check for engines trusted to copy numbers unmasked."""
    def digits(text: str) -> list[str]:
        return sorted(_DIGITS_RE.findall(PLACEHOLDER_RE.sub(" ", text)))

    return digits(source) == digits(translation)


def merge_slots(slots: Iterable[Slot]) -> list[Slot]:
    """Non-overlapping slots in text order; of two overlapping slots the earlier
    one given wins (callers pass stronger protections first).

    The kept slots are disjoint, so a bisect over them answers "does this one overlap a
    kept one": a scan of every kept slot made a long Spanish span quadratic (issue 12)."""
    kept: list[Slot] = []
    taken = RegionSet()
    for slot in slots:
        if slot.end <= slot.start or taken.overlaps(slot.start, slot.end):
            continue
        kept.append(slot)
        taken.add(slot.start, slot.end)
    return sorted(kept, key=lambda s: s.start)


def mask(text: str, slots: Iterable[Slot], *, auto: bool = True, numbers: bool = True) -> MaskedText:
    """Replace each slot of ``text`` (and, with ``auto``, every auto-protected string
    outside them) by a placeholder.

    ``numbers=False`` is for an engine that copies digits itself: numbers are not
    masked, and a slot whose value is a plain number ("4,158" for "4 mil 158") is
    written in place instead of a placeholder, since "XQ0 médicos" makes Apertium read
    "médicos" as an adjective ("XQ0 medical") where "4,158 médicos" gives "4,158 doctors".
    """
    merged = list(slots)
    if auto:
        merged.extend(find_auto_protected(text, numbers=numbers))
    ordered = merge_slots(merged)
    parts: list[str] = []
    values: list[str] = []
    pos = 0
    for slot in ordered:
        parts.append(text[pos : slot.start])
        if not numbers and _PLAIN_NUMBER_RE.fullmatch(slot.value):
            parts.append(slot.value)
        else:
            parts.append(placeholder(len(values)))
            values.append(slot.value)
        pos = slot.end
    parts.append(text[pos:])
    return MaskedText("".join(parts), tuple(values))


def restore(translated: str, masked: MaskedText) -> str | None:
    """Put the protected values back; ``None`` if a placeholder was lost, repeated
    or invented, which means the translation cannot be trusted."""
    seen = [0] * len(masked.values)
    for m in PLACEHOLDER_RE.finditer(translated):
        n = int(m.group(1))
        if n >= len(seen):
            return None
        seen[n] += 1
    if any(count != 1 for count in seen):
        return None
    return PLACEHOLDER_RE.sub(lambda m: masked.values[int(m.group(1))], translated)
