"""The article view's two columns: the text cut into plain runs and marked edits.

Edits are offsets into the original text (model.Edit), so one pass over them gives
both sides: the original with each edit's ``before`` marked, and the repaired text
with each applied edit's ``after`` marked (a flagged edit keeps its ``before``, marked
as a flag). Overlapping proposals cannot all be marked inline; the ones that do not
fit are listed under the text instead. The templates escape every piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..glossary.entry import Entry
from ..glossary.variants import fold

GLOSSARY_RULE = "glossary:"


@dataclass(frozen=True)
class Piece:
    text: str
    edit: dict[str, Any] | None = None  # the edit row this piece shows, None for plain text


@dataclass(frozen=True)
class Sides:
    original: list[Piece]
    repaired: list[Piece]
    unplaced: list[dict[str, Any]]  # edits that overlap a marked one


def _applied(e: dict[str, Any]) -> bool:
    return bool(e["status"] == "applied" and e["before"] != e["after"])


def sides(text: str, edits: Sequence[dict[str, Any]]) -> Sides:
    changing = [e for e in edits if e["before"] != e["after"]]
    # Applied edits never overlap each other (assemble); flagged ones fill the gaps they leave.
    ordered = sorted(changing, key=lambda e: (not _applied(e), e["start"], -e["end"]))
    chosen: list[dict[str, Any]] = []
    unplaced: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for e in ordered:
        s, t = int(e["start"]), int(e["end"])
        if s < 0 or t > len(text) or s > t or text[s:t] != e["before"]:
            unplaced.append(e)
            continue
        if any(s < b and a < t for a, b in taken):
            unplaced.append(e)
            continue
        chosen.append(e)
        taken.append((s, t))
    chosen.sort(key=lambda e: (int(e["start"]), int(e["end"])))
    original: list[Piece] = []
    repaired: list[Piece] = []
    pos = 0
    for e in chosen:
        s, t = int(e["start"]), int(e["end"])
        if s > pos:
            original.append(Piece(text[pos:s]))
            repaired.append(Piece(text[pos:s]))
        original.append(Piece(text[s:t], e))
        repaired.append(Piece(str(e["after"]) if _applied(e) else text[s:t], e))
        pos = max(pos, t)
    if pos < len(text):
        original.append(Piece(text[pos:]))
        repaired.append(Piece(text[pos:]))
    return Sides(original, repaired, unplaced)


@dataclass(frozen=True)
class Usage:
    entry: Entry
    count: int
    how: str  # "glossary edit" or "inside a translation"


def glossary_usage(
    entries: Sequence[Entry], edits: Sequence[dict[str, Any]], text: str
) -> tuple[list[Usage], list[Entry]]:
    """Approved entries that applied in this article, and approved ones that occur in it but did not.

    An entry applied when an applied ``glossary:<id>`` edit names it, or when a translated
    Spanish span held its source and the translation its target (the translate stage applies
    terms inside spans). The second list is only a hint: its reason comes from
    ``glossary explain`` (the article view loads it per entry).
    """
    approved = [e for e in entries if e.status == "approved" and e.kind in ("term", "variant")]
    counts: dict[str, int] = {}
    how: dict[str, str] = {}
    for e in edits:
        rule = str(e["rule"])
        if _applied(e) and rule.startswith(GLOSSARY_RULE):
            entry_id = rule[len(GLOSSARY_RULE) :]
            counts[entry_id] = counts.get(entry_id, 0) + 1
            how[entry_id] = "glossary edit"
    translations = [
        (fold(str(e["before"])), fold(str(e["after"]))) for e in edits if _applied(e) and e["kind"] == "translation"
    ]
    for entry in approved:
        if entry.id in counts or not entry.target:
            continue
        source, target = fold(entry.source), fold(entry.target)
        n = sum(1 for b, a in translations if source in b and target in a)
        if n:
            counts[entry.id] = n
            how[entry.id] = "inside a translation"
    by_id = {e.id: e for e in entries}
    used = [Usage(by_id[i], n, how[i]) for i, n in sorted(counts.items()) if i in by_id]
    folded = fold(text)
    missed = [e for e in approved if e.id not in counts and len(e.source) >= 2 and fold(e.source) in folded]
    return used, missed
