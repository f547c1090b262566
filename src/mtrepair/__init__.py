"""mtrepair: repair machine-translated English news and build a bilingual corpus.

Importing the package does nothing: no files read, no model loaded, no
environment consulted. The functions below import their stages on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .model import RepairResult
    from .repair import Pipeline

__all__ = ["__version__", "load_glossary", "open_corpus", "open_pipeline", "repair_file", "repair_text"]


def open_pipeline(**options: Any) -> Pipeline:
    """The real pipeline (detector, glossary, numbers, glue, translation); see repair.open_pipeline."""
    from .repair import open_pipeline as _open

    return _open(**options)


def repair_text(text: str, pipeline: Pipeline | None = None, doc_id: str = "text") -> RepairResult:
    """Repair one article given as a string; builds a default pipeline when none is given."""
    from .repair import repair_text as _repair

    return _repair(text, pipeline if pipeline is not None else open_pipeline(), doc_id)


def repair_file(path: str, pipeline: Pipeline | None = None) -> list[RepairResult]:
    """Repair every document in one file (a JSONL file holds several)."""
    from .repair import repair_file as _repair

    return _repair(path, pipeline if pipeline is not None else open_pipeline())


def load_glossary(directory: str, **options: Any) -> Any:
    from .glossary import load_glossary as _load

    return _load(directory, **options)


def open_corpus(directory: str) -> Any:
    from .corpus import open_corpus as _open

    return _open(directory)
