"""Reviewing span translations from the command line: approve, reject, edit.

A decision is about a Spanish source string, not one occurrence: approving
"clausura del Ciclo Académico …" → "closing of the … Academic Cycle …" puts the
pair in the translation memory, so every later article with that span gets the
reviewed translation before any engine runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import CorpusError
from .schema import ACCEPTED_STATUSES, EDIT_REVIEWS, NAME, REVIEW_STATUSES, REVIEWS, UNTRANSLATED
from .store import Corpus, EditReview, ReviewDecision


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


# -- decisions from the web app's review queue: they carry the version the reviewer saw -----------


class StaleReview(CorpusError):
    """What the reviewer decided on changed since the page was drawn; nothing was written.

    ``current``: the item as it is now (the latest decision, or the document's new revision),
    for the conflict page to show beside what the reviewer sent.
    """

    def __init__(self, message: str, *, current: dict[str, Any], path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.current = current


# The queue's verbs → what the edit review log records.
_EDIT_VERBS = {"accept": "accepted", "reject": "rejected", "edit": "edited"}
_SPAN_VERBS = ("accept", "reject", "edit")


def _need_reviewer(reviewer: str) -> str:
    name = " ".join(reviewer.split())
    if not name:
        raise CorpusError("a reviewer name is required: every decision records who made it")
    return name


def _refuse_stale(corpus: Corpus, latest: dict[str, Any] | None, seen: int | None, message: str, empty: str) -> None:
    """StaleReview when a decision came after the one the reviewer saw (``seen``: its ``seq``, 0: none)."""
    if seen is not None and (int(latest["seq"]) if latest else 0) != seen:
        raise StaleReview(message, current=latest or {empty: None}, path=str(corpus.directory))


def find_edit(corpus: Corpus, doc_hash: str, rev: int, start: int, end: int, rule: str) -> dict[str, Any] | None:
    """The live edit row at that place of that document revision (None when the document was
    cleaned again since, or there is no such edit)."""
    df = corpus.collect(
        corpus.edits()
        .filter(
            (pl.col("doc_hash") == doc_hash)
            & (pl.col("rev") == rev)
            & (pl.col("start") == start)
            & (pl.col("end") == end)
            & (pl.col("rule") == rule)
        )
        .head(1)
    )
    return df.row(0, named=True) if df.height else None


def latest_edit_decision(corpus: Corpus, key: str) -> dict[str, Any] | None:
    """The latest decision recorded for an edit key (``decisions.edit_key``), or None."""
    if corpus.table(EDIT_REVIEWS) is None:
        return None
    df = corpus.collect(corpus.edit_decisions().filter(pl.col("key") == key))
    return df.row(0, named=True) if df.height else None


def latest_span_decision(corpus: Corpus, source: str) -> dict[str, Any] | None:
    """The latest review decision about a span source, or None."""
    if corpus.table(REVIEWS) is None:
        return None
    df = corpus.collect(corpus.decisions().filter(pl.col("source") == source))
    return df.row(0, named=True) if df.height else None


def decide_edit(
    corpus: Corpus,
    *,
    doc_hash: str,
    rev: int,
    start: int,
    end: int,
    rule: str,
    verb: str,
    reviewer: str,
    target: str = "",
    note: str = "",
    seen: int | None = None,
) -> EditReview:
    """Accept, reject or rewrite (``verb`` accept|reject|edit) the edit the reviewer saw.

    ``seen``: the ``seq`` of the latest decision about that edit's key when the page was
    drawn (0: none). If another decision came since, or the document was cleaned again, a
    StaleReview is raised and nothing is written.
    """
    from ..decisions import edit_key

    name = _need_reviewer(reviewer)
    if verb not in _EDIT_VERBS:
        raise CorpusError(f"decision {verb!r} is not accept, reject or edit")
    row = find_edit(corpus, doc_hash, rev, start, end, rule)
    if row is None:
        now = corpus.collect(corpus.documents().filter(pl.col("doc_hash") == doc_hash).select("doc_id", "rev"))
        current = now.row(0, named=True) if now.height else {"doc_hash": doc_hash, "rev": None}
        raise StaleReview(
            "this edit is no longer in the store (the article was cleaned again or removed)",
            current=current,
            path=str(corpus.directory),
        )
    key = edit_key(rule, str(row["before"]), str(row["after"]))
    _refuse_stale(
        corpus,
        latest_edit_decision(corpus, key),
        seen,
        "another reviewer decided about this edit after you opened the page",
        "decision",
    )
    decision = _EDIT_VERBS[verb]
    english: str | None = str(row["after"])
    if verb == "edit":
        english = " ".join(target.split())
        if not english:
            raise CorpusError("the new English is empty; reject the edit instead")
        if english == row["after"]:
            decision = "accepted"
    elif verb == "reject":
        english = None
    review = EditReview(
        doc_hash=doc_hash,
        rev=rev,
        kind=str(row["kind"]),
        rule=rule,
        before=str(row["before"]),
        after=str(row["after"]),
        decision=decision,
        target=english,
        reviewer=name,
        note=note.strip(),
    )
    corpus.add_edit_reviews([review])
    return review


def decide_span(
    corpus: Corpus,
    source: str,
    *,
    verb: str,
    reviewer: str,
    target: str = "",
    note: str = "",
    seen: int | None = None,
) -> ReviewDecision:
    """Approve, reject or rewrite the translation of a Spanish span source (feeds the memory).

    ``seen``: the ``seq`` of the latest decision about ``source`` when the page was drawn (0:
    none); a later one raises StaleReview and nothing is written.
    """
    name = _need_reviewer(reviewer)
    if verb not in _SPAN_VERBS:
        raise CorpusError(f"decision {verb!r} is not accept, reject or edit")
    _refuse_stale(
        corpus,
        latest_span_decision(corpus, source),
        seen,
        "another reviewer decided about this translation after you opened the page",
        "status",
    )
    if verb == "accept":
        return approve(corpus, [source], reviewer=name, note=note)[0]
    if verb == "reject":
        return reject(corpus, [source], reviewer=name, note=note)[0]
    return edit(corpus, source, target, reviewer=name, note=note)


__all__ = [
    "ACCEPTED_STATUSES",
    "StaleReview",
    "apply_file",
    "approve",
    "candidates",
    "current_translation",
    "decide_edit",
    "decide_span",
    "edit",
    "find_edit",
    "latest_edit_decision",
    "latest_span_decision",
    "pending",
    "reject",
]
