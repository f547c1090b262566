"""Reading exported XML back without trusting it: the project's one hardened parser
(``mtrepair.xmlparse``: no entities, no DTD, no network, field limits), as CorpusError."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import CorpusError
from ...xmlparse import iterparse_document, local_name

if TYPE_CHECKING:
    import polars as pl

__all__ = ["frame_from_strings", "iterparse_safely", "local_name"]


def iterparse_safely(path: Path, events: tuple[str, ...]) -> Iterator[tuple[str, str, Any]]:
    """Yields (event, local tag name, element); a malformed or hostile file raises a
    CorpusError naming the file and line."""
    return iterparse_document(path, events, CorpusError)


def frame_from_strings(columns: dict[str, list[str | None]]) -> pl.DataFrame:
    """The export frame from the string columns an XML reader collected (TMX, XLIFF)."""
    import polars as pl

    from ..schema import export_schema

    return (
        pl.DataFrame(columns, schema={c: pl.String for c in columns})
        .with_columns(
            pl.col("confidence").cast(pl.Float64),
            pl.col("date").str.to_date("%Y-%m-%d"),
            pl.col("count").cast(pl.Int64),
        )
        .select(export_schema().names())
    )
