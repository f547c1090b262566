"""The aligned bilingual corpus: a store of Delta Lake tables of every repair.

Tables: documents, segments (original and repaired text), spans (Spanish text,
English translation, engine, confidence, review status), edits, and the review
log. Approved span translations are the translation memory of the translate
stage; recurring spans become proposed glossary entries.

Importing this package imports no polars: ``open_corpus`` loads the store module
on first use, so ``mtrepair --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import AddSummary, Commit, CompactSummary, Corpus, ReviewDecision

DEFAULT_STORE = "corpus/store"

__all__ = ["DEFAULT_STORE", "AddSummary", "Commit", "CompactSummary", "Corpus", "ReviewDecision", "open_corpus"]


def open_corpus(directory: str | Path, *, as_of: int | None = None) -> Corpus:
    """Open the store in ``directory`` (created on the first write, not before).

    A store of the old format (Parquet parts + MANIFEST.json) is migrated to Delta
    tables first. ``as_of``: read the store as it was at that version of its documents
    table (read-only). Raises CorpusError naming the table for a damaged Delta log or a
    store written by a newer schema version.
    """
    from .store import open_store

    return open_store(Path(directory), as_of=as_of)


def __getattr__(name: str) -> Any:
    if name in ("AddSummary", "Commit", "CompactSummary", "Corpus", "ReviewDecision"):
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
