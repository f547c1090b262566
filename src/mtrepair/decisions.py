"""Reviewer decisions about edits, applied on the next clean.

A reviewer in the web app's queue accepts, rejects or rewrites a flagged (or
low-confidence) edit. The decision is about "the same text", not one occurrence:
it is keyed by the edit's rule, ``before`` and ``after`` with runs of white space
made one space (``edit_key``), so the next clean of any article that proposes
that repair again gets the reviewer's answer instead of the pipeline's:

- ``rejected``: the edit is dropped, never proposed again;
- ``accepted``: the edit is applied whatever its confidence (a person vouched for it);
- ``edited``: the edit is applied with the reviewer's English as ``after``.

The log itself is the corpus store's ``edit_reviews`` table (append-only, latest
decision per key wins); ``load_decisions`` reads it once per run and
``apply_decisions`` is the pure step the pipeline calls before ``assemble``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal

from .model import Edit

if TYPE_CHECKING:
    import polars as pl

    from .corpus.store import Corpus

Decision = Literal["accepted", "rejected", "edited"]
DECISIONS: Final[tuple[Decision, ...]] = ("accepted", "rejected", "edited")

# White space that may differ between two cleans of the same text (a re-extracted article with
# a no-break space or a line break where there was a space). Spelled out, not ``\s``: the same
# class must mean the same in Python's ``re`` and in polars (Rust ``regex``), whose ``\s``
# differ on U+001C..U+001F.
_SPACE_CLASS: Final = "[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
_SPACES: Final = re.compile(_SPACE_CLASS)
# The key's field separator: a control character no rule name holds.
KEY_SEPARATOR: Final = "\x1f"


def normalize(text: str) -> str:
    """``text`` with each run of white space one space, none at either end."""
    return _SPACES.sub(" ", text).strip(" ")


def edit_key(rule: str, before: str, after: str) -> str:
    """What makes two edits "the same repair" for a reviewer's decision."""
    return KEY_SEPARATOR.join((rule, normalize(before), normalize(after)))


def key_expr(rule: str = "rule", before: str = "before", after: str = "after") -> pl.Expr:
    """``edit_key`` as a polars expression over three string columns (for queries over the store)."""
    import polars as pl

    def norm(col: str) -> pl.Expr:
        return pl.col(col).str.replace_all(_SPACE_CLASS, " ").str.strip_chars(" ")

    return pl.concat_str([pl.col(rule), norm(before), norm(after)], separator=KEY_SEPARATOR)


@dataclass(frozen=True, slots=True)
class EditDecision:
    """The latest decision about one key."""

    key: str
    decision: Decision
    target: str | None  # the English to write (accepted: the proposed ``after``; edited: the reviewer's)
    reviewer: str = ""
    note: str = ""
    updated: datetime | None = None
    seq: int = 0


@dataclass(frozen=True)
class EditDecisions:
    """Decisions by key; empty when the store has none (a run without --corpus too)."""

    by_key: Mapping[str, EditDecision] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.by_key)

    def __iter__(self) -> Iterator[EditDecision]:
        return iter(self.by_key.values())

    def get(self, edit: Edit) -> EditDecision | None:
        if not self.by_key:
            return None
        return self.by_key.get(edit_key(edit.rule, edit.before, edit.after))


def load_decisions(corpus: Corpus) -> EditDecisions:
    """The latest decision per key in the store's edit review log."""
    from .corpus.schema import EDIT_REVIEWS

    if corpus.table(EDIT_REVIEWS) is None:
        return EditDecisions()
    df = corpus.collect(corpus.edit_decisions())
    out: dict[str, EditDecision] = {}
    for row in df.iter_rows(named=True):
        decision = str(row["decision"])
        if decision not in DECISIONS:
            continue  # written by a newer mtrepair: leave the edit to the pipeline
        out[str(row["key"])] = EditDecision(
            key=str(row["key"]),
            decision=decision,
            target=row["target"],
            reviewer=str(row["reviewer"] or ""),
            note=str(row["note"] or ""),
            updated=row["updated"],
            seq=int(row["seq"]),
        )
    return EditDecisions(out)


def apply_decisions(edits: Sequence[Edit], decisions: EditDecisions) -> list[Edit]:
    """``edits`` with the reviewers' decisions applied: rejected ones dropped, accepted and edited
    ones applied at confidence 1.0 (so no threshold flags them again); the rest unchanged.

    Pure: call it on the proposals before ``repair.assemble``, which still resolves overlaps.
    """
    if not decisions:
        return list(edits)
    out: list[Edit] = []
    for e in edits:
        d = decisions.get(e)
        if d is None:
            out.append(e)
        elif d.decision == "rejected":
            continue
        elif d.decision == "edited" and d.target:
            out.append(replace(e, after=d.target, status="applied", confidence=1.0))
        elif d.decision == "accepted":
            out.append(replace(e, status="applied", confidence=1.0))
        else:
            out.append(e)
    return out


__all__ = [
    "DECISIONS",
    "Decision",
    "EditDecision",
    "EditDecisions",
    "apply_decisions",
    "edit_key",
    "key_expr",
    "load_decisions",
    "normalize",
]
