"""Spacing and stray punctuation that machine translation leaves behind.

Each fix is an Edit of kind ``whitespace`` with its own rule id, so a reviewer can
see and undo it like any other repair.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from .model import Edit
from .regions import MergedRegions

Region = tuple[int, int]

# (rule id, pattern, replacement). Every pattern is linear: no nested quantifiers.
_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # seed 001 "lack of personnel. . The same"; seed 000 "these Belisario Domínguez medals. ."
    ("doubled-period", re.compile(r"(?<=[\w”\")]\.) +\.(?!\.)"), ""),
    # "Robledo . ." and "Robledo  . ." (fuzzing): space-before-punct takes the spaces
    # before the first period in the same clean, so a spaced period after a spaced
    # period goes now, not in a second clean ("now. . ." loses both at once too).
    ("doubled-period", re.compile(r"(?<= \.) +\.(?!\.)"), ""),
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


# A lone surrogate (a JSON "\ud800", bytes read with surrogateescape) cannot be encoded
# or matched by the stages' automata: it becomes U+FFFD, reported like a control.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def find_control_edits(text: str) -> list[Edit]:
    """The control-character edits of the whole text (see ``_control_edits``) and one
    ``whitespace:surrogate`` edit per lone surrogate, in text order, disjoint."""
    edits = _control_edits(text, 0, len(text), MergedRegions(()))
    if _SURROGATE.search(text):
        taken = MergedRegions((e.start, e.end) for e in edits)
        edits += [
            Edit(m.start(), m.end(), m.group(), "\ufffd", "whitespace", "whitespace:surrogate", 0.95, "rules")
            for m in _SURROGATE.finditer(text)
            if not taken.hits(m.start(), m.end())
        ]
        edits.sort(key=lambda e: e.start)
    return edits


class ControlView:
    """The text with its control edits applied, and the way back to original offsets.

    The stages run on this view, so what removing a control character joins is repaired
    in the same clean: "life.\\x08As" reads "life.As" and the glue stage splits it now,
    where a second clean used to (not idempotent). An edit of the view maps to the
    original by its first and last characters: one that spans a removed control takes
    it with it; a character of a replacement (the one space left of " \\x00 ") stands
    for the whole replaced run.
    """

    def __init__(self, text: str, controls: Sequence[Edit]) -> None:
        self.original = text
        self.controls = list(controls)
        parts: list[str] = []
        # pieces of the view: (view start, view end, original start, original end, copied)
        self._starts: list[int] = []
        self._pieces: list[tuple[int, int, int, bool]] = []
        pos = view = 0
        for e in self.controls:
            if e.start > pos:
                self._add(view, e.start - pos, pos, e.start, True)
                parts.append(text[pos : e.start])
                view += e.start - pos
            if e.after:
                self._add(view, len(e.after), e.start, e.end, False)
                parts.append(e.after)
                view += len(e.after)
            pos = e.end
        if pos < len(text):
            self._add(view, len(text) - pos, pos, len(text), True)
            parts.append(text[pos:])
        self.text = "".join(parts)

    def _add(self, view: int, length: int, o_start: int, o_end: int, copied: bool) -> None:
        self._starts.append(view)
        self._pieces.append((length, o_start, o_end, copied))

    def _piece(self, pos: int) -> tuple[int, tuple[int, int, int, bool]]:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self._starts[i], self._pieces[i]

    def start(self, pos: int) -> int:
        """Original offset where view character ``pos`` (or the view's end) begins."""
        if pos >= len(self.text):
            return len(self.original)
        v, (_, o_start, _, copied) = self._piece(pos)
        return o_start + (pos - v) if copied else o_start

    def end(self, pos: int) -> int:
        """Original offset where the view text up to ``pos`` (exclusive) ends."""
        if pos <= 0:
            return 0
        v, (_, o_start, o_end, copied) = self._piece(pos - 1)
        return o_start + (pos - v) if copied else o_end

    def region(self, start: int, end: int) -> tuple[int, int]:
        a = self.start(start)
        return (a, a) if end <= start else (a, max(a, self.end(end)))
