"""Reading exported XML back without trusting it: no external entities, no DTD, no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import CorpusError

if TYPE_CHECKING:
    import polars as pl


def local_name(tag: Any) -> str:
    """``{urn:…}unit`` → ``unit``; comments and processing instructions give ""."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def iterparse_safely(path: Path, events: tuple[str, ...]) -> Iterator[tuple[str, str, Any]]:
    """lxml iterparse with entity resolution, DTD loading and network access off.

    Yields (event, local tag name, element); a malformed file raises a
    CorpusError naming the file and line.
    """
    from lxml import etree

    try:
        for event, el in etree.iterparse(
            str(path),
            events=events,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        ):
            yield event, local_name(el.tag), el
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise CorpusError(f"not well-formed XML ({exc.msg})", path=str(path), line=line) from exc
    except OSError as exc:
        raise CorpusError(f"cannot read ({exc})", path=str(path)) from exc


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
