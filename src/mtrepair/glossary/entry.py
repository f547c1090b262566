"""The glossary record: one row of ``glossary/glossary.tsv`` (DESIGN.md, "Contracts").

``kind`` says where an entry applies:

- ``term``: Spanish → English, only inside Spanish (``es``) spans and before translation
  (``derechohabientes`` → ``beneficiaries``);
- ``variant``: a wrong English rendering → the canonical form, anywhere in English text
  (seed 001: ``IMSS-Wellbeing`` → ``IMSS-Bienestar``);
- ``keep``: a name or string that no stage may edit or translate (``Zoé Robledo``).
  Its ``target`` is empty or equal to ``source``; anything else is rejected, because a
  keep entry that changed its text would be a variant.
- ``family``: a Spanish word of proper names and its machine renderings, ``|``-separated
  (``Bienestar`` → ``Well-being|Wellness|Welfare``). It matches nothing itself: every
  other entry whose English holds one member also matches the others (``variants.py``).

One row stands for all its spellings: hyphen, space or none between words, the
title-case and all-caps forms of a case-sensitive source, and its family variants.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Literal

Kind = Literal["term", "variant", "keep", "family"]
Case = Literal["sensitive", "insensitive"]
Status = Literal["proposed", "approved", "rejected"]

COLUMNS: tuple[str, ...] = ("id", "source", "target", "kind", "case", "status", "note", "author", "updated")
KINDS: tuple[Kind, ...] = ("term", "variant", "keep", "family")
CASES: tuple[Case, ...] = ("sensitive", "insensitive")
STATUSES: tuple[Status, ...] = ("proposed", "approved", "rejected")


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary row. ``updated`` is an ISO 8601 UTC time (or date) of the last change."""

    id: str
    source: str
    target: str
    kind: Kind
    case: Case = "sensitive"
    status: Status = "proposed"
    note: str = ""
    author: str = ""
    updated: str = ""

    @property
    def output(self) -> str:
        """What the matched text becomes: ``target``, or ``source`` itself for a keep entry."""
        return self.source if self.kind == "keep" else self.target

    def row(self) -> list[str]:
        return [getattr(self, c) for c in COLUMNS]

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    def with_changes(self, **changes: str) -> Entry:
        return replace(self, **changes)  # type: ignore[arg-type]


def match_key(text: str) -> str:
    """The form both the automaton and the conflict checks compare on.

    ``str.lower`` per character, keeping any character whose lower-case form is longer
    (``İ`` → ``i̇``) as it is, so that offsets in the lowered text equal offsets in the
    original text.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
