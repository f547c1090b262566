"""Validation of glossary rows: field rules per entry, then rules across entries.

Every problem names the line it is on, so ``mtrepair glossary validate`` can list them
all and loading can fail on the first with ``path:line: message``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import GlossaryError
from .entry import Entry, match_key
from .tsvfile import Row
from .variants import FAMILY_SEPARATOR, entry_forms, fold, members, plain_separators

ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,99}\Z")
# Text that must never reach a glossary field: control characters other than none at all
# (tabs and line breaks would break the TSV; the rest are invisible and unreviewable).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    message: str


def entry_problems(entry: Entry) -> list[str]:
    """What is wrong with one entry on its own (empty list: nothing)."""
    problems: list[str] = []
    if not ID_PATTERN.match(entry.id):
        problems.append(
            f"id {entry.id!r} must start with a letter and use only letters, digits, '.', '_', '-' "
            "(at most 100 characters)"
        )
    for column in ("source", "target", "note", "author", "updated"):
        value: str = getattr(entry, column)
        if _CONTROL.search(value):
            problems.append(f"the {column} field contains a control or invisible character; remove it")
    if not entry.source.strip():
        problems.append("source is empty")
    elif entry.source != entry.source.strip():
        problems.append(f"source {entry.source!r} has leading or trailing spaces")
    if entry.target != entry.target.strip():
        problems.append(f"target {entry.target!r} has leading or trailing spaces")
    if entry.kind in ("term", "variant") and not entry.target.strip():
        problems.append(f"a {entry.kind} entry needs a target (what {entry.source!r} becomes)")
    if entry.kind == "keep" and entry.target not in ("", entry.source):
        problems.append(
            f"a keep entry leaves its text as it is: its target must be empty or {entry.source!r}; "
            "to rewrite the text use kind 'variant' or 'term'"
        )
    if entry.kind in ("term", "variant") and entry.target == entry.source:
        problems.append(f"target equals source {entry.source!r}; use kind 'keep' for text that stays as it is")
    if entry.kind == "family":
        problems.extend(_family_problems(entry))
    if entry.updated and not _is_iso_time(entry.updated):
        problems.append(f"updated {entry.updated!r} is not an ISO 8601 date or time (e.g. 2024-05-01T12:00:00Z)")
    return problems


def _family_problems(entry: Entry) -> list[str]:
    """A family row: the Spanish word as source, its renderings ``|``-separated as target."""
    parts = entry.target.split(FAMILY_SEPARATOR)
    if any(not p.strip() for p in parts):
        return [f"a family lists its renderings as 'A|B|C' with none empty, not {entry.target!r}"]
    if any(p != p.strip() for p in parts):
        return [f"a family rendering has leading or trailing spaces in {entry.target!r}"]
    seen: set[str] = set()
    for member in members(entry):
        key = fold(member).replace(" ", "")
        if key in seen:
            return [f"family {entry.source!r} lists {member!r} twice (hyphen, space and joined spellings are one)"]
        seen.add(key)
    return []


def _is_iso_time(value: str) -> bool:
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _overlapping(a: Entry, b: Entry) -> bool:
    """Whether ``a`` and ``b`` can match the very same text (hyphen, space and case forms
    are one: "IMSS Wellness" and "IMSS-Wellness")."""
    if fold(a.source) != fold(b.source):
        return False
    if a.case == "sensitive" and b.case == "sensitive":
        # Title-case and all-caps forms may coincide ("La Raza", "la raza"), but the form
        # spelled exactly so wins there: only the same spelling is a real overlap.
        return _spacing(a.source) == _spacing(b.source)
    return True


def _spacing(source: str) -> str:
    return plain_separators(source).replace("-", " ")


def _rewrites(entry: Entry, text: str) -> bool:
    """Whether ``entry`` (a variant) would match all of ``text``."""
    if entry.case == "sensitive":
        return entry.source == text
    return match_key(entry.source) == match_key(text)


def find_problems(rows: Sequence[Row]) -> list[Problem]:
    """All problems, in line order, for rows of one glossary."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        problems.extend(Problem(row.line, m) for m in entry_problems(row.entry))
        if row.entry.id in first_line:
            problems.append(
                Problem(row.line, f"duplicate id {row.entry.id!r} (first used on line {first_line[row.entry.id]})")
            )
        else:
            first_line[row.entry.id] = row.line
    approved = [r for r in rows if r.entry.status == "approved"]
    families = [r for r in approved if r.entry.kind == "family"]
    approved = [r for r in approved if r.entry.kind != "family"]
    problems.extend(_conflicts(approved))
    problems.extend(_family_conflicts(families))
    problems.extend(_chains(approved))
    if not problems:
        problems.extend(_form_conflicts(approved, [members(r.entry) for r in families]))
    return sorted(problems, key=lambda p: p.line or 0)


def _conflicts(approved: Sequence[Row]) -> list[Problem]:
    problems: list[Problem] = []
    by_key: dict[str, list[Row]] = {}
    for row in approved:
        by_key.setdefault(fold(row.entry.source), []).append(row)
    for group in by_key.values():
        for i, row in enumerate(group):
            for earlier in group[:i]:
                a, b = earlier.entry, row.entry
                if not _overlapping(a, b) or (a.kind == b.kind == "keep" and a.source != b.source):
                    # Two keep entries for "INSABI" and "Insabi" both only protect their text.
                    continue
                if a.output == b.output:
                    if a.kind != b.kind or match_key(a.source) != match_key(b.source):
                        # "IMSS Bienestar" → IMSS-Bienestar beside the keep IMSS-Bienestar:
                        # the same rule twice over, harmless.
                        continue
                    problems.append(Problem(row.line, f"duplicate of line {earlier.line} ({a.id!r}); remove one"))
                else:
                    problems.append(
                        Problem(
                            row.line,
                            f"conflicts with line {earlier.line} ({a.id!r}): {b.source!r} ({b.id!r}) is a {b.kind} → "
                            f"{b.output!r} here but {a.source!r} is a {a.kind} → {a.output!r} there; "
                            "reject one of them",
                        )
                    )
                break
    return problems


def _form_conflicts(approved: Sequence[Row], families: Sequence[Sequence[str]]) -> list[Problem]:
    """Generated spellings two entries share with different outputs, where no row decides.

    "Ministry of Wellness" from two entries whose canonical forms differ would be
    rewritten to whichever comes first in the file: a reviewer writes a row for it instead.
    """
    written = {fold(r.entry.source) for r in approved}
    owner: dict[str, tuple[Row, str, str]] = {}  # key → (row, output, surface)
    problems: list[Problem] = []
    for row in approved:
        for form in entry_forms(row.entry, families)[1:]:
            key = fold(form.surface)
            if key in written:
                continue
            first = owner.setdefault(key, (row, form.output, form.surface))
            both_sensitive = row.entry.case == first[0].entry.case == "sensitive"
            if both_sensitive and _spacing(first[2]) != _spacing(form.surface):
                continue  # "LaRaza" and "laraza": case-sensitive forms of different text
            if first[0] is not row and first[1] != form.output:
                problems.append(
                    Problem(
                        row.line,
                        f"{form.surface!r} ({form.how}) becomes {form.output!r} here but {first[1]!r} by line "
                        f"{first[0].line} ({first[0].entry.id!r}); add a row for {form.surface!r} to decide",
                    )
                )
                written.add(key)
    return problems


def _family_conflicts(families: Sequence[Row]) -> list[Problem]:
    """A spelling may belong to one approved family only: two would make its variants ambiguous."""
    problems: list[Problem] = []
    owner: dict[str, Row] = {}
    for row in families:
        for member in members(row.entry):
            key = fold(member).replace(" ", "")
            first = owner.setdefault(key, row)
            if first is not row:
                problems.append(
                    Problem(
                        row.line,
                        f"family {row.entry.id!r} lists {member!r}, already in family {first.entry.id!r} "
                        f"(line {first.line}); a rendering belongs to one family",
                    )
                )
                break
    return problems


def _chains(approved: Sequence[Row]) -> list[Problem]:
    """Variant cycles, and targets that a variant would rewrite again (not idempotent)."""
    variants: dict[str, list[Row]] = {}
    for r in approved:
        if r.entry.kind == "variant":
            variants.setdefault(fold(r.entry.source), []).append(r)
    problems: list[Problem] = []
    for row in approved:
        if row.entry.kind not in ("term", "variant"):
            continue
        nxt = _next_variant(row, variants)
        if nxt is None:
            continue
        # Follow the chain to tell a cycle (A → B → A) from a mere chain (A → B → C).
        path = [row]
        seen = {row.line}
        cur: Row | None = nxt
        while cur is not None and cur.line not in seen:
            path.append(cur)
            seen.add(cur.line)
            cur = _next_variant(cur, variants)
        if cur is not None and cur.line == row.line:
            chain = " → ".join([r.entry.source for r in path] + [row.entry.source])
            lines = ", ".join(str(r.line) for r in path)
            problems.append(
                Problem(row.line, f"variant cycle {chain} (lines {lines}); break it by rejecting one entry")
            )
        else:
            problems.append(
                Problem(
                    row.line,
                    f"target {row.entry.target!r} is itself rewritten by line {nxt.line} ({nxt.entry.id!r}) "
                    f"to {nxt.entry.target!r}; point this entry at the final form",
                )
            )
    return problems


def _next_variant(row: Row, variants: dict[str, list[Row]]) -> Row | None:
    """The variant that would rewrite ``row``'s target into something else, if any.

    A variant that maps the target to itself (a case fix like ``imss`` → ``IMSS`` meeting
    ``IMSS`` again) is a no-op, not a chain.
    """
    target = row.entry.target
    for other in variants.get(fold(target), ()):
        if _rewrites(other.entry, target) and other.entry.target != target:
            return other
    return None


def check(rows: Sequence[Row], path: str) -> None:
    """Raise a GlossaryError for the first problem, counting the others."""
    problems = find_problems(rows)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more; run `mtrepair glossary validate`)" if len(problems) > 1 else ""
        raise GlossaryError(first.message + more, path=path, line=first.line)


def normalize_text(value: str) -> str:
    """NFC, the form the seeds use (``Zoé`` is one code point there)."""
    return unicodedata.normalize("NFC", value)
