"""The corpus store's tables, declared once, and the schema version they carry.

Every Parquet part of a table is written with exactly these columns and types;
the manifest records SCHEMA_VERSION so an older mtrepair refuses a store that a
newer one wrote instead of misreading it.

Row liveness: every document row has a ``rev`` (unique in the store) and the
rows of its segments, spans and edits carry the same ``rev``. Cleaning the same
article again (same ``doc_hash``) writes rows with a higher ``rev``; only the
highest ``rev`` per ``doc_hash`` is live, so a replacement never rewrites old
parts and a writer killed half-way never leaves a document half-replaced.
"""

from __future__ import annotations

from typing import Final

import polars as pl

SCHEMA_VERSION: Final = 1
STORE_FORMAT: Final = "mtrepair-corpus"
MANIFEST_NAME: Final = "MANIFEST.json"

DOCUMENTS: Final = "documents"
SEGMENTS: Final = "segments"
SPANS: Final = "spans"
EDITS: Final = "edits"
REVIEWS: Final = "reviews"

TABLES: Final[dict[str, dict[str, pl.DataType]]] = {
    DOCUMENTS: {
        "doc_hash": pl.String(),  # content hash of the original text: the identity of an article
        "rev": pl.Int64(),
        "doc_id": pl.String(),
        "source": pl.String(),
        "fmt": pl.String(),
        "title": pl.String(),
        "date": pl.String(),  # as the article gave it
        "day": pl.Date(),  # parsed from ``date`` when it starts with YYYY-MM-DD, for date-range exports
        "url": pl.String(),
        "text": pl.String(),  # the original
        "repaired": pl.String(),
        "version": pl.String(),
        "glossary_hash": pl.String(),
        "engine": pl.String(),
        "model_id": pl.String(),
        "added": pl.Datetime("us", "UTC"),
    },
    SEGMENTS: {
        "doc_hash": pl.String(),
        "rev": pl.Int64(),
        "seg": pl.Int32(),  # index of the segment in its document
        "start": pl.Int64(),  # offsets into the original text
        "end": pl.Int64(),
        "original": pl.String(),
        "repaired": pl.String(),
        "n_edits": pl.Int32(),  # applied edits that start inside the segment
        "confidence": pl.Float64(),  # lowest confidence among them; 1.0 when none
    },
    SPANS: {
        "doc_hash": pl.String(),
        "rev": pl.Int64(),
        "seg": pl.Int32(),  # -1 when the span lies in no segment
        "start": pl.Int64(),
        "end": pl.Int64(),
        "label": pl.String(),  # es | name
        "source": pl.String(),  # the Spanish text (or the name)
        "target": pl.String(),  # the English translation the pipeline chose; null when none
        "engine": pl.String(),
        "confidence": pl.Float64(),
        "status": pl.String(),  # as the pipeline left it: machine, memory, ..., untranslated, name
    },
    EDITS: {
        "doc_hash": pl.String(),
        "rev": pl.Int64(),
        "start": pl.Int64(),
        "end": pl.Int64(),
        "before": pl.String(),
        "after": pl.String(),
        "kind": pl.String(),
        "rule": pl.String(),
        "confidence": pl.Float64(),
        "engine": pl.String(),
    },
    # Review decisions are an append-only log keyed by the exact span source: the
    # latest decision for a source wins, and re-cleaning an article never touches it.
    REVIEWS: {
        "seq": pl.Int64(),
        "source": pl.String(),
        "target": pl.String(),
        "status": pl.String(),  # approved | edited | rejected
        "reviewer": pl.String(),
        "note": pl.String(),
        "updated": pl.Datetime("us", "UTC"),
    },
}

# Tables whose rows belong to a document revision (filtered by liveness).
DOCUMENT_TABLES: Final = (DOCUMENTS, SEGMENTS, SPANS, EDITS)

REVIEW_STATUSES: Final = ("approved", "edited", "rejected")
# Effective span statuses that feed the translation memory.
ACCEPTED_STATUSES: Final = ("approved", "edited")
UNTRANSLATED: Final = "untranslated"
NAME: Final = "name"

# One export schema for every kind and format, so every reader gives back the same frame.
EXPORT_COLUMNS: Final[dict[str, pl.DataType]] = {
    "source": pl.String(),
    "target": pl.String(),
    "status": pl.String(),
    "confidence": pl.Float64(),
    "engine": pl.String(),
    "doc_id": pl.String(),
    "date": pl.Date(),
    "count": pl.Int64(),
}


def schema_of(table: str) -> pl.Schema:
    return pl.Schema(TABLES[table])


def export_schema() -> pl.Schema:
    return pl.Schema(EXPORT_COLUMNS)
