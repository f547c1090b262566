"""Glossary suggestions from the corpus: recurring Spanish spans and recurring English variants.

- ``term``: a Spanish span seen at least ``min_count`` times becomes source → its
  reviewed (else most frequent) translation.
- ``variant``: when a Spanish source has a reviewed translation and the engines
  kept rendering it otherwise ("Instituto Mexicano del Seguro Social" → "Mexican
  Institute of Social Security", seed 000, where the reviewed form is "Mexican
  Social Security Institute"), the recurring wrong rendering becomes a variant of
  the reviewed one. Without a review, only a name-like rendering (several words,
  capitalised) that the majority translation outnumbers two to one qualifies.

Every suggestion has status ``proposed``: a person approves glossary entries,
never this module. Counts and examples go in the note.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from .schema import ACCEPTED_STATUSES, NAME, UNTRANSLATED
from .store import Corpus

# Function words the detector finds on their own (seed 000: "el", "al"); as glossary terms
# they would rewrite every Spanish span that contains them, so they are never proposed.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "al",
        "con",
        "de",
        "del",
        "e",
        "el",
        "en",
        "es",
        "la",
        "las",
        "le",
        "lo",
        "los",
        "mas",
        "o",
        "para",
        "pero",
        "por",
        "que",
        "se",
        "sin",
        "su",
        "sus",
        "un",
        "una",
        "y",
    ]
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
NOTE_LIMIT = 400


@dataclass(frozen=True)
class Suggestion:
    source: str
    target: str
    kind: Literal["term", "variant"]
    case: Literal["sensitive", "insensitive"]
    count: int
    documents: int
    note: str


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(_clean(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _worth_a_term(source: str) -> bool:
    words = source.split()
    if len(source) < 3 or _CONTROL.search(source):
        return False
    return not all(w.lower().strip(".,;:") in _FUNCTION_WORDS for w in words)


def _name_like(text: str) -> bool:
    return len(text.split()) >= 2 and any(c.isupper() for c in text)


def _span_table(corpus: Corpus) -> pl.DataFrame:
    """Per (source, target): occurrences, documents, reviewed or not, one example segment."""
    segs = corpus.segments().select("rev", "seg", "original")
    docs = corpus.documents().select("rev", "doc_id")
    spans = (
        corpus.reviewed_spans()
        .filter((pl.col("label") != NAME) & (pl.col("status") != UNTRANSLATED))
        .join(segs, on=["rev", "seg"], how="left")
        .join(docs, on="rev", how="left")
    )
    return corpus.collect(
        spans.group_by("source", "machine_target", "target")
        .agg(
            pl.len().alias("n"),
            pl.col("doc_hash").n_unique().alias("docs"),
            pl.col("status").is_in(ACCEPTED_STATUSES).any().alias("reviewed"),
            pl.col("original").drop_nulls().first().alias("example"),
            pl.col("doc_id").first().alias("doc_id"),
        )
        .sort(["source", "n", "machine_target"], descending=[False, True, False])
    )


def suggest_terms(
    corpus: Corpus, *, min_count: int = 2, existing: Collection[str] = (), limit: int | None = None
) -> list[Suggestion]:
    """Proposed entries, most frequent first; sources in ``existing`` (lower-cased) are skipped."""
    if not corpus.exists:
        return []
    table = _span_table(corpus)
    known = {e.lower() for e in existing}
    out: list[Suggestion] = []
    by_source: dict[str, list[dict[str, object]]] = {}
    for row in table.iter_rows(named=True):
        by_source.setdefault(str(row["source"]), []).append(row)
    for source, rows in by_source.items():
        total = sum(int(str(r["n"])) for r in rows)
        docs = max(int(str(r["docs"])) for r in rows)
        # Effective targets (after reviews) and what the engines produced.
        effective: dict[str, int] = {}
        machine: dict[str, int] = {}
        reviewed_target = None
        for r in rows:
            n = int(str(r["n"]))
            effective[str(r["target"])] = effective.get(str(r["target"]), 0) + n
            if r["machine_target"] is not None:
                machine[str(r["machine_target"])] = machine.get(str(r["machine_target"]), 0) + n
            if r["reviewed"]:
                reviewed_target = str(r["target"])
        target = reviewed_target or max(effective, key=lambda t: (effective[t], t))
        example = next((str(r["example"]) for r in rows if r["example"]), "")
        doc_id = next((str(r["doc_id"]) for r in rows if r["doc_id"]), "")
        if (
            total >= min_count
            and source.lower() not in known
            and _worth_a_term(source)
            and _clean(target)
            and target != source
        ):
            renderings = ", ".join(
                f"{_quote(t, 50)} ({n})" for t, n in sorted(machine.items(), key=lambda kv: -kv[1])[:3]
            )
            note = (
                f"corpus: seen {total}x in {docs} document(s); "
                f"{'reviewed translation' if reviewed_target else 'machine translations: ' + renderings}; "
                f"e.g. {doc_id}: «{_quote(example)}»"
            )
            case: Literal["sensitive", "insensitive"] = (
                "sensitive" if any(c.isupper() for c in source) else "insensitive"
            )
            out.append(Suggestion(source, _clean(target), "term", case, total, docs, note[:NOTE_LIMIT]))
        for wrong, n in machine.items():
            if wrong == target or n < min_count or wrong.lower() in known or _CONTROL.search(wrong):
                continue
            if reviewed_target is None and not (_name_like(wrong) and machine.get(target, 0) >= 2 * n):
                continue
            basis = (
                "the reviewed translation"
                if reviewed_target
                else f"the majority translation ({machine.get(target, 0)}x)"
            )
            note = f"corpus: {source!r} was rendered {_quote(wrong, 60)!r} {n}x; {basis} is {_quote(target, 60)!r}"
            out.append(Suggestion(wrong, _clean(target), "variant", "sensitive", n, docs, note[:NOTE_LIMIT]))
    out.sort(key=lambda s: (-s.count, s.kind, s.source))
    return out[:limit] if limit is not None else out


def glossary_entries(directory: Path) -> tuple[list[str], list[str]]:
    """(sources, ids) already in the glossary; any status counts, so a rejected entry is not proposed again."""
    if not (directory / "glossary.tsv").is_file():
        return [], []
    from ..glossary.review import current_entries

    entries = current_entries(directory)
    return [e.source for e in entries], [e.id for e in entries]


def suggestion_rows(
    suggestions: Sequence[Suggestion], *, author: str, updated: str, taken_ids: Collection[str] = ()
) -> list[list[str]]:
    """Glossary TSV rows (id, source, target, kind, case, status, note, author, updated)."""
    from ..glossary.review import make_id

    taken: list[str] = list(taken_ids)
    rows = []
    for s in suggestions:
        entry_id = make_id(s.source, taken)
        taken.append(entry_id)
        rows.append([entry_id, s.source, s.target, s.kind, s.case, "proposed", s.note, author, updated])
    return rows


def add_to_glossary(directory: Path, suggestions: Sequence[Suggestion], *, author: str) -> tuple[int, int]:
    """Import the suggestions as ``proposed`` entries through the glossary's locked transaction.

    Returns (added, already there). The glossary module validates every entry and
    writes glossary.tsv atomically with a history line per entry.
    """
    from ..glossary.entry import Entry
    from ..glossary.review import import_entries

    drafts = [Entry("", s.source, s.target, s.kind, s.case, "proposed", s.note, author, "") for s in suggestions]
    summary = import_entries(
        directory, drafts, author=author, reason="mtrepair corpus suggest-terms", source_name="corpus"
    )
    return summary.added, summary.unchanged
