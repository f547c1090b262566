"""What the store holds: documents, segments, spans by status, edits by kind, what is left untranslated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from .schema import DOCUMENTS, NAME, REVIEWS, SCHEMA_VERSION, UNTRANSLATED
from .store import Corpus


@dataclass(frozen=True)
class CorpusStats:
    directory: str
    schema_version: int
    documents: int = 0
    segments: int = 0
    segments_repaired: int = 0
    spans_by_label: dict[str, int] = field(default_factory=dict)
    spans_by_status: dict[str, int] = field(default_factory=dict)  # Spanish spans, review decisions applied
    edits_by_kind: dict[str, int] = field(default_factory=dict)  # applied edits
    edits_flagged: int = 0  # proposals left for a reviewer (Edit.status "flagged")
    review_decisions: int = 0
    translation_memory: int = 0
    top_untranslated: list[tuple[str, int]] = field(default_factory=list)
    parts: int = 0  # Parquet data files of all Delta tables
    superseded_documents: int = 0  # replaced document rows not deleted yet (`corpus compact` drops them)
    version: int | None = None  # the documents table's Delta version (for `--as-of`)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["top_untranslated"] = [{"source": s, "count": n} for s, n in self.top_untranslated]
        return out


def _counts(lf: pl.LazyFrame, col: str, corpus: Corpus) -> dict[str, int]:
    df = corpus.collect(lf.group_by(col).agg(pl.len()).sort("len", col, descending=[True, False]))
    return {str(k): int(v) for k, v in df.iter_rows()}


def untranslated_spans(corpus: Corpus) -> pl.LazyFrame:
    """Spanish spans still without an English translation, most frequent first."""
    return (
        corpus.reviewed_spans()
        .filter((pl.col("label") != NAME) & (pl.col("status") == UNTRANSLATED))
        .group_by("source")
        .agg(pl.len().alias("count"), pl.col("doc_hash").n_unique().alias("documents"))
        .sort(["count", "source"], descending=[True, False])
    )


def compute_stats(corpus: Corpus, top: int = 10) -> CorpusStats:
    base = CorpusStats(directory=str(corpus.directory), schema_version=SCHEMA_VERSION)
    if not corpus.exists:
        return base
    seg = corpus.collect(corpus.segments().select(pl.len().alias("n"), (pl.col("n_edits") > 0).sum().alias("repaired")))
    spans = corpus.reviewed_spans()
    untranslated = corpus.collect(untranslated_spans(corpus).head(top).select("source", "count"))
    memory = len(corpus.translation_memory())
    decisions = corpus.collect(corpus.decisions().select(pl.len())).item() if corpus.table(REVIEWS) else 0
    doc_rows = int(corpus.collect(corpus.scan(DOCUMENTS).select(pl.len())).item())
    documents = int(corpus.collect(corpus.documents().select(pl.len())).item())
    return CorpusStats(
        directory=base.directory,
        schema_version=base.schema_version,
        documents=documents,
        segments=int(seg["n"][0]),
        segments_repaired=int(seg["repaired"][0] or 0),
        spans_by_label=_counts(spans, "label", corpus),
        spans_by_status=_counts(spans.filter(pl.col("label") != NAME), "status", corpus),
        edits_by_kind=_counts(
            corpus.edits().filter((pl.col("before") != pl.col("after")) & (pl.col("status") == "applied")),
            "kind",
            corpus,
        ),
        edits_flagged=int(corpus.collect(corpus.edits().filter(pl.col("status") == "flagged").select(pl.len())).item()),
        review_decisions=int(decisions),
        translation_memory=memory,
        top_untranslated=[(str(s), int(n)) for s, n in untranslated.iter_rows()],
        parts=sum(len(files) for files in corpus.data_files().values()),
        superseded_documents=doc_rows - documents,
        version=corpus.version,
    )


def render_stats(s: CorpusStats) -> str:
    """The plain-text report `mtrepair corpus stats` prints."""

    def mapping(d: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    lines = [
        f"store          {s.directory} (schema {s.schema_version}, version {s.version}, {s.parts} data files)",
        f"documents      {s.documents}",
        f"segments       {s.segments} ({s.segments_repaired} repaired)",
        f"spans          {mapping(s.spans_by_label)}",
        f"spanish spans  {mapping(s.spans_by_status)}",
        f"edits          {mapping(s.edits_by_kind)}"
        + (f" ({s.edits_flagged} flagged for review)" if s.edits_flagged else ""),
        f"reviews        {s.review_decisions} decisions, {s.translation_memory} in the translation memory",
    ]
    if s.superseded_documents:
        lines.append(f"superseded     {s.superseded_documents} document versions (run `mtrepair corpus compact`)")
    if s.top_untranslated:
        lines.append("most frequent untranslated spans:")
        lines += [f"  {n:6d}  {src}" for src, n in s.top_untranslated]
    return "\n".join(lines)
