"""CSV (RFC 4180 quoting), JSON Lines and Parquet: polars writes these itself, streaming."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ...csvcell import escape_columns, unescape_columns
from ...errors import CorpusError
from ..schema import export_schema


def sink(lf: pl.LazyFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        # Dates as ISO days; a quoted "" is an empty string and an empty field a missing value.
        # Cells that a spreadsheet would run as formulas are escaped (issue 12).
        escape_columns(lf).sink_csv(path, check_extension=False, quote_style="necessary")
    elif fmt == "jsonl":
        lf.sink_ndjson(path)
    elif fmt == "parquet":
        lf.sink_parquet(path, compression="zstd")
    else:  # pragma: no cover - guarded by the dispatcher
        raise ValueError(fmt)


def read_columnar(path: Path, fmt: str) -> pl.DataFrame:
    schema = export_schema()
    try:
        if fmt == "parquet":
            return pl.read_parquet(path).select(schema.names())
        as_text = {n: (pl.String if t == pl.Date else t) for n, t in schema.items()}
        if fmt == "csv":
            df = unescape_columns(pl.read_csv(path, schema=as_text))
        else:
            df = pl.read_ndjson(path, schema=as_text)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise CorpusError(f"cannot read the {fmt} export ({str(exc).strip().splitlines()[0]})", path=str(path)) from exc
    return df.with_columns(pl.col("date").str.to_date("%Y-%m-%d"))
