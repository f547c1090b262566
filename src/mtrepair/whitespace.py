"""Spacing and stray punctuation that machine translation leaves behind.

Each fix is an Edit of kind ``whitespace`` with its own rule id, so a reviewer can
see and undo it like any other repair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Edit
from .regions import MergedRegions

Region = tuple[int, int]

# (rule id, pattern, replacement). Every pattern is linear: no nested quantifiers.
_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # seed 001 "lack of personnel. . The same"; seed 000 "these Belisario Domínguez medals. ."
    ("doubled-period", re.compile(r"(?<=[\w”\")]\.) +\.(?!\.)"), ""),
    # seed 003 "in the category of medical units ." — a space before a closing mark
    ("space-before-punct", re.compile(r"(?<=[a-z\d)]) +(?=[,;:.!?](?:\s|$|[”\"]))"), ""),
    # seed 000 "“the best medical school”By haber" — closing quote glued to the next word
    ("space-after-quote", re.compile(r"(?<=[a-z.,!?]”)(?=[A-Za-z])"), " "),
    # runs of spaces inside a line
    ("double-space", re.compile(r"(?<=\S) {2,}(?=\S)"), " "),
)
# Scraped text carries NULs, other C0 controls and terminal escape sequences (issue 12:
# a NUL after the first 8 KB was copied into the output): they are never article text,
# and removing them is reported like any other fix. A control between spaces goes with
# the spaces around it, leaving one: "a \x00 b" becomes "a b" in one clean, where
# removing the NUL alone left "a  b" for the next clean to fix (not idempotent).
_CONTROL = re.compile(r"\x1b\[[0-?]{0,32}[ -/]{0,8}[@-~]|\x1b[@-Z\\-_]?|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]+")


def find_whitespace_edits(text: str, start: int, end: int, protected: Sequence[Region] = ()) -> list[Edit]:
    """Spacing fixes inside ``text[start:end]`` (document offsets), none inside ``protected``."""
    chunk = text[start:end]
    blocked = MergedRegions(protected)
    edits = _control_edits(text, start, end, blocked)
    # the spaces a control edit took are not also a double space
    taken = MergedRegions((e.start, e.end) for e in edits)
    for rule, pattern, replacement in _RULES:
        for m in pattern.finditer(chunk):
            a, b = start + m.start(), start + m.end()
            # an insertion (a == b) counts as touching the character after it
            if blocked.hits(a, max(b, a + 1)) or taken.hits(a, max(b, a + 1)):
                continue
            edits.append(Edit(a, b, m.group(0), replacement, "whitespace", f"whitespace:{rule}", 0.95, "rules"))
    return edits


def _control_edits(text: str, start: int, end: int, blocked: MergedRegions) -> list[Edit]:
    """One edit per run of control characters and the spaces around and between them:
    the run becomes one space when it held a space, nothing otherwise. A run that
    touches a protected region falls back to its bare control characters."""
    groups: list[list[re.Match[str]]] = []
    bounds: list[tuple[int, int]] = []
    for m in _CONTROL.finditer(text, start, end):
        a, b = m.start(), m.end()
        while a > start and text[a - 1] == " ":
            a -= 1
        while b < end and text[b] == " ":
            b += 1
        if bounds and a <= bounds[-1][1]:
            groups[-1].append(m)
            bounds[-1] = (bounds[-1][0], b)
        else:
            groups.append([m])
            bounds.append((a, b))
    edits: list[Edit] = []
    for (a, b), members in zip(bounds, groups, strict=True):
        if not blocked.hits(a, b):
            before = text[a:b]
            edits.append(_control_edit(a, b, before, " " if " " in before else ""))
            continue
        for m in members:
            if not blocked.hits(m.start(), m.end()):
                edits.append(_control_edit(m.start(), m.end(), m.group(0), ""))
    return edits


def _control_edit(a: int, b: int, before: str, after: str) -> Edit:
    return Edit(a, b, before, after, "whitespace", "whitespace:control", 0.95, "rules")
