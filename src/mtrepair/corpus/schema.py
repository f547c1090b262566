"""The corpus store's tables, declared once, and the schema version they carry.

Each table is a Delta Lake table in its own folder under the store (``documents/``,
``segments/``, ``spans/``, ``edits/``, ``reviews/``) with exactly these columns and
types. Every table's Delta description records SCHEMA_VERSION, so an older mtrepair
refuses a store that a newer one wrote instead of misreading it.

Row liveness: every document row has a ``rev`` and the rows of its segments, spans
and edits carry the same ``rev``. A ``rev`` is the writer's clock in microseconds
(shifted left by REV_TOKEN_BITS) plus a random per-writer token, so it is unique
across concurrent writers and later revisions have higher ones. A writer appends
the child rows first and the document rows last: the documents table is the commit
point. Only the highest ``rev`` per ``doc_hash`` in the documents table is live;
child rows of any other ``rev`` (superseded, or left by a writer killed before its
documents commit) are invisible and deleted by the writer or by ``corpus compact``.
"""

from __future__ import annotations

from typing import Final

import polars as pl

# 1: Parquet parts + MANIFEST.json (mtrepair <= 0.x, read by legacy.py for migration).
# 2: Delta Lake tables; edits gain ``status`` (applied | flagged), segments ``pair_id``.
SCHEMA_VERSION: Final = 2
STORE_FORMAT: Final = "mtrepair-corpus"
# Written as each Delta table's description; the number is the schema version.
DESCRIPTION_PREFIX: Final = "mtrepair-corpus schema "
REV_TOKEN_BITS: Final = 12

DOCUMENTS: Final = "documents"
SEGMENTS: Final = "segments"
SPANS: Final = "spans"
EDITS: Final = "edits"
REVIEWS: Final = "reviews"
EDIT_REVIEWS: Final = "edit_reviews"

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
        "pair_id": pl.String(),  # pairid.pair_id(original, repaired): the segment pair's TMX tuid
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
        # applied | flagged (model.Edit.status): a flagged edit is a proposal left for a reviewer
        # and did not change the repaired text.
        "status": pl.String(),
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
    # Reviewer decisions about edits (the web app's review queue), an append-only log like
    # ``reviews``. A decision is about "the same text", not one occurrence: it is keyed by the
    # edit's rule, before and after (``decisions.edit_key``), so a rejected repair is not
    # proposed again on the next clean of any article. ``doc_hash``/``rev`` say where the
    # reviewer saw it (``rev`` also gives the Delta statistics their key, as in every table).
    EDIT_REVIEWS: {
        "seq": pl.Int64(),
        "doc_hash": pl.String(),
        "rev": pl.Int64(),
        "kind": pl.String(),
        "rule": pl.String(),
        "before": pl.String(),
        "after": pl.String(),  # what the edit proposed
        "key": pl.String(),  # decisions.edit_key(rule, before, after)
        "decision": pl.String(),  # accepted | rejected | edited
        "target": pl.String(),  # the English to write: ``after``, the reviewer's text, null when rejected
        "reviewer": pl.String(),
        "note": pl.String(),
        "updated": pl.Datetime("us", "UTC"),
    },
}

# Tables every write creates; ``edit_reviews`` is created by its first decision, so a store
# nobody reviewed in the web app has exactly the tables it always had.
EAGER_TABLES: Final = (DOCUMENTS, SEGMENTS, SPANS, EDITS, REVIEWS)
EDIT_DECISIONS: Final = ("accepted", "rejected", "edited")

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
