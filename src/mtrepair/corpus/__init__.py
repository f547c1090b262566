"""The aligned bilingual corpus: a polars/Parquet store of every repair.

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
    from .store import AddSummary, CompactSummary, Corpus, ReviewDecision

DEFAULT_STORE = "corpus/store"

__all__ = ["DEFAULT_STORE", "AddSummary", "CompactSummary", "Corpus", "ReviewDecision", "open_corpus"]


def open_corpus(directory: str | Path) -> Corpus:
    """Open the store in ``directory`` (created on the first write, not before).

    Raises CorpusError naming the file for a corrupt manifest or Parquet part, or a
    store written by a newer schema version.
    """
    from .store import open_store

    return open_store(Path(directory))


def __getattr__(name: str) -> Any:
    if name in ("AddSummary", "CompactSummary", "Corpus", "ReviewDecision"):
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
