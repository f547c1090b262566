"""``mtrepair glossary explain ENTRY FILE``: where one entry applied in a text, and why not elsewhere.

The text goes through the real pipeline (``repair.open_pipeline``, engine ``none`` unless
asked otherwise) with the matcher's ``trace`` switched on, so every reason given is the
one the matcher or ``assemble`` acted on, not a re-derivation. Places the matcher never
saw (part of a longer word, another case, boilerplate, an entry not approved) are found
by a loose search for the entry's forms: any case, hyphen or space, no word boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import GlossaryError
from ..model import Edit
from .entry import Entry
from .variants import approved_families, entry_forms, fold, members, plain_separators


@dataclass(frozen=True, slots=True)
class Place:
    """One place in the text where the entry (or something like it) occurs."""

    start: int
    end: int
    text: str
    applied: bool
    result: str  # the replacement, "kept" for a protected keep match, "" when not applied
    how: str  # which form matched: "entry", "family Bienestar: Wellness", ...
    reason: str  # why not applied ("" when applied)


@dataclass(frozen=True, slots=True)
class Explanation:
    entry: Entry
    forms: int
    places: tuple[Place, ...]


def explain(
    directory: str | Path, entry_id: str, text: str, *, doc_id: str = "text", engine: str = "none"
) -> Explanation:
    """Run ``text`` through the pipeline with the glossary in ``directory`` and explain ``entry_id``."""
    from ..model import Document
    from ..repair import open_pipeline, repair_document
    from .matcher import Decision, Glossary
    from .review import current_entries

    entries = current_entries(directory)
    entry = next((e for e in entries if e.id == entry_id), None)
    if entry is None:
        raise GlossaryError(f"no entry with id {entry_id!r}; see `mtrepair glossary search`", path=str(directory))
    pipeline = open_pipeline(glossary_dir=str(directory), engine=engine)
    glossary = pipeline.glossary
    assert isinstance(glossary, Glossary)
    trace: list[Decision] = []
    glossary.trace = trace
    try:
        result = repair_document(Document(doc_id=doc_id, text=text), pipeline)
    finally:
        glossary.trace = None
    mine = _mine(entry, trace)
    places = _traced(text, mine, trace, result.edits)
    families = approved_families(entries)
    if entry.kind == "family":
        surfaces = [v for m in members(entry) for v in (m, m.replace("-", ""))]
    else:
        surfaces = [f.surface for f in entry_forms(entry, families)]
    from ..repair import find_protected

    protected = [r for seg in result.segments for r in find_protected(text, seg)]
    segments = [(seg.start, seg.end) for seg in result.segments]
    places += _loose(entry, text, surfaces, places, result.edits, segments, protected)
    return Explanation(entry, len(set(surfaces)), tuple(sorted(places, key=lambda p: (p.start, p.end))))


def _mine(entry: Entry, trace: Sequence[object]) -> list[object]:
    from .matcher import Decision

    tag = f"family {entry.source}:"
    out: list[object] = []
    for d in trace:
        assert isinstance(d, Decision)
        if d.entry_id == entry.id or (entry.kind == "family" and d.how.startswith(tag)):
            out.append(d)
    return out


def _traced(text: str, mine: Sequence[object], trace: Sequence[object], edits: Sequence[Edit]) -> list[Place]:
    from .matcher import Decision

    places: dict[tuple[int, int], Place] = {}
    for d in mine:
        assert isinstance(d, Decision)
        span = (d.start, d.end)
        if span in places and places[span].applied:
            continue
        text_here = text[d.start : d.end]
        if d.verdict == "kept":
            places[span] = Place(d.start, d.end, text_here, True, "kept", d.how, "")
            continue
        if d.verdict == "applied":
            final = next((e for e in edits if (e.start, e.end) == span and e.rule.startswith("glossary:")), None)
            if final is not None and final.applied:
                places[span] = Place(d.start, d.end, final.before, True, final.after, d.how, "")
                continue
            other = next((e for e in edits if e.applied and e.start < d.end and d.start < e.end), None)
            why = (
                f"overlapped by a higher-priority {other.kind} edit ({other.rule}: {other.before!r} → {other.after!r})"
                if other is not None
                else "proposed, but not chosen when the edits were assembled"
            )
            places[span] = Place(d.start, d.end, text_here, False, "", d.how, why)
            continue
        reason = d.verdict
        if reason.startswith("overlapped by a longer glossary match"):
            winner = next(
                (
                    o
                    for o in trace
                    if isinstance(o, Decision)
                    and o.entry_id != d.entry_id
                    and o.verdict in ("applied", "kept")
                    and o.start < d.end
                    and d.start < o.end
                ),
                None,
            )
            if winner is not None:
                reason = f"overlapped by a longer glossary match of {winner.entry_id!r} ({winner.surface!r})"
        places[span] = Place(d.start, d.end, text_here, False, "", d.how, reason)
    return list(places.values())


def _loose(
    entry: Entry,
    text: str,
    surfaces: Sequence[str],
    known: Sequence[Place],
    edits: Sequence[Edit],
    segments: Sequence[tuple[int, int]],
    protected: Sequence[tuple[int, int]],
) -> list[Place]:
    """Occurrence-like places the matcher did not decide on, each with the reason."""
    folded = fold(text)
    seen = [(p.start, p.end) for p in known]
    out: list[Place] = []
    for surface in sorted(set(surfaces), key=len, reverse=True):
        needle = fold(surface)
        if not needle.strip():
            continue
        at = folded.find(needle)
        while at != -1:
            end = at + len(needle)
            # A word that merely holds the form ("heir" in "their") is not like it: the
            # place must at least start a word.
            starts_word = at == 0 or not (_word_char(text[at - 1]) and _word_char(surface[0]))
            if starts_word and all(end <= a or at >= b for a, b in seen):
                seen.append((at, end))
                spelled = plain_separators(text[at:end]).lower()
                surface = next((f for f in surfaces if f.lower() == spelled), surface)
                out.append(
                    Place(
                        at,
                        end,
                        text[at:end],
                        False,
                        "",
                        f"like {surface!r}",
                        _why(entry, text, at, end, surface, edits, segments, protected),
                    )
                )
            at = folded.find(needle, at + 1)
    return out


def _why(
    entry: Entry,
    text: str,
    start: int,
    end: int,
    surface: str,
    edits: Sequence[Edit],
    segments: Sequence[tuple[int, int]],
    protected: Sequence[tuple[int, int]],
) -> str:
    if entry.kind == "family":
        return "a family matches nothing itself: only entries whose English holds this word get its renderings"
    if entry.status != "approved":
        return f"status {entry.status}: only approved entries apply"
    removed = next((e for e in edits if e.kind == "boilerplate" and e.start <= start and end <= e.end), None)
    if removed is not None or not any(a <= start and end <= b for a, b in segments):
        rule = f" ({removed.rule})" if removed is not None else ""
        return f"inside boilerplate or metadata removed before the glossary stage{rule}"
    if any(a < end and start < b for a, b in protected):
        return "inside a URL or e-mail address (never edited)"
    left = start > 0 and _word_char(text[start - 1]) and _word_char(surface[0])
    right = end < len(text) and _word_char(text[end]) and _word_char(surface[-1])
    if left or right:
        a, b = start, end
        while a > 0 and _word_char(text[a - 1]):
            a -= 1
        while b < len(text) and _word_char(text[b]):
            b += 1
        return f"part of the longer word {text[a:b]!r}"
    found = plain_separators(text[start:end])
    if entry.case == "sensitive" and found != surface:
        return f"another case: the entry is case-sensitive and matches {surface!r}, its all-caps and title-case forms"
    return f"spelled {found!r}, which is none of the entry's forms"


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def render(explanation: Explanation) -> list[str]:
    """The lines ``mtrepair glossary explain`` prints."""
    e = explanation.entry
    arrow = f" → {e.target}" if e.kind not in ("keep",) and e.target else ""
    applied = sum(1 for p in explanation.places if p.applied)
    lines = [
        f"{e.id} ({e.kind}, {e.status}): {e.source}{arrow}; {explanation.forms} forms; "
        f"applied at {applied} of {len(explanation.places)} places"
    ]
    for p in explanation.places:
        where = f"{p.start}-{p.end}"
        if p.applied:
            what = "kept as is" if p.result == "kept" else f"→ {p.result!r}"
            lines.append(f"  applied {where:<11} {p.text!r} {what} [{p.how}]")
        else:
            lines.append(f"  not     {where:<11} {p.text!r}: {p.reason} [{p.how}]")
    return lines
