"""Reviewing span translations from the command line: approve, reject, edit.

A decision is about a Spanish source string, not one occurrence: approving
"clausura del Ciclo Académico …" → "closing of the … Academic Cycle …" puts the
pair in the translation memory, so every later article with that span gets the
reviewed translation before any engine runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ..errors import CorpusError
from .schema import ACCEPTED_STATUSES, NAME, REVIEW_STATUSES, UNTRANSLATED
from .store import Corpus, ReviewDecision


def candidates(corpus: Corpus) -> pl.LazyFrame:
    """One row per Spanish source: its current translation (reviewed, else most frequent), counts, status."""
    spans = corpus.reviewed_spans().filter(pl.col("label") != NAME)
    per_target = (
        spans.group_by("source", "target")
        .agg(pl.len().alias("n"), pl.col("status").first().alias("status"))
        .sort(["source", "n", "target"], descending=[False, True, False], nulls_last=True)
    )
    return (
        per_target.group_by("source", maintain_order=True)
        .agg(
            pl.col("target").first(),
            pl.col("status").first(),
            pl.col("n").sum().alias("count"),
            pl.col("target").drop_nulls().n_unique().alias("targets"),
        )
        .sort(["count", "source"], descending=[True, False])
    )


def pending(corpus: Corpus, limit: int = 20, statuses: Sequence[str] = ()) -> pl.DataFrame:
    """Sources waiting for a decision (translated, not yet approved, edited or rejected), most frequent first."""
    lf = candidates(corpus)
    if statuses:
        lf = lf.filter(pl.col("status").is_in(list(statuses)))
    else:
        lf = lf.filter(~pl.col("status").is_in([*REVIEW_STATUSES, UNTRANSLATED]))
    return corpus.collect(lf.head(limit))


def current_translation(corpus: Corpus, source: str) -> str | None:
    """The translation a decision about ``source`` would concern; CorpusError if the source is unknown."""
    df = corpus.collect(candidates(corpus).filter(pl.col("source") == source))
    if df.height == 0:
        raise CorpusError(
            f"no Spanish span {source!r} in the corpus; find the exact text with `mtrepair corpus query`",
            path=str(corpus.directory),
        )
    target = df["target"][0]
    if target is None or df["status"][0] == UNTRANSLATED:
        return None
    return str(target)


def approve(corpus: Corpus, sources: Sequence[str], *, reviewer: str, note: str = "") -> list[ReviewDecision]:
    """Approve the current translation of each source (all or nothing)."""
    decisions = []
    for source in sources:
        target = current_translation(corpus, source)
        if not target:
            raise CorpusError(
                f"{source!r} has no translation to approve; give one with `mtrepair corpus review edit`",
                path=str(corpus.directory),
            )
        decisions.append(ReviewDecision(source, target, "approved", reviewer, note))
    corpus.add_reviews(decisions)
    return decisions


def reject(corpus: Corpus, sources: Sequence[str], *, reviewer: str, note: str = "") -> list[ReviewDecision]:
    """Reject the current translation of each source: it leaves the memory and the default exports."""
    decisions = [ReviewDecision(s, current_translation(corpus, s), "rejected", reviewer, note) for s in sources]
    corpus.add_reviews(decisions)
    return decisions


def edit(corpus: Corpus, source: str, target: str, *, reviewer: str, note: str = "") -> ReviewDecision:
    """Set the translation of ``source`` by hand (status ``edited``; ``approved`` if it is unchanged)."""
    target = target.strip()
    if not target:
        raise CorpusError("the new translation is empty; use `review reject` to refuse a translation")
    current = current_translation(corpus, source)
    decision = ReviewDecision(source, target, "approved" if target == current else "edited", reviewer, note)
    corpus.add_reviews([decision])
    return decision


def apply_file(corpus: Corpus, path: Path, *, reviewer: str) -> list[ReviewDecision]:
    """Decisions from a TSV with the header ``source<TAB>target<TAB>decision`` (approve|reject|edit).

    All lines are checked before anything is written; an error names the line.
    """
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read the decisions file ({exc})", path=str(path)) from exc
    header = lines[0].rstrip("\r").split("\t") if lines else []
    if header != ["source", "target", "decision"]:
        raise CorpusError("the header must be: source<TAB>target<TAB>decision", path=str(path), line=1)
    known = {
        str(s): (str(t) if t is not None else None)
        for s, t in corpus.collect(candidates(corpus).select("source", "target")).iter_rows()
    }
    decisions: list[ReviewDecision] = []
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise CorpusError(f"expected 3 tab-separated fields, found {len(fields)}", path=str(path), line=number)
        source, target, verb = fields[0], fields[1].strip(), fields[2].strip().lower()
        if source not in known:
            raise CorpusError(f"no Spanish span {source!r} in the corpus", path=str(path), line=number)
        current = known[source]
        if verb == "approve":
            chosen = target or current
            if not chosen:
                raise CorpusError(f"{source!r} has no translation to approve; give one", path=str(path), line=number)
            decisions.append(ReviewDecision(source, chosen, "approved" if chosen == current else "edited", reviewer))
        elif verb == "edit":
            if not target:
                raise CorpusError("an edit needs a target", path=str(path), line=number)
            decisions.append(ReviewDecision(source, target, "approved" if target == current else "edited", reviewer))
        elif verb == "reject":
            decisions.append(ReviewDecision(source, target or current, "rejected", reviewer))
        else:
            raise CorpusError(f"decision {verb!r} is not approve, edit or reject", path=str(path), line=number)
    corpus.add_reviews(decisions)
    return decisions


__all__ = [
    "ACCEPTED_STATUSES",
    "apply_file",
    "approve",
    "candidates",
    "current_translation",
    "edit",
    "pending",
    "reject",
]
