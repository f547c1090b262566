"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV Injection").

A cell that begins with ``= + - @``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula; article text and glossary rows are
untrusted, so every CSV mtrepair writes prefixes such a cell with ``'``. The mapping
is reversible: a cell that already is ``'`` characters before a trigger gets one more
``'``, and the importers remove exactly one, so an export read back is equal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the glossary's CSV path must not load polars
    import polars as pl

_TRIGGER = r"^'*[=+\-@\t\r]"
_ESCAPED = r"^'+[=+\-@\t\r]"
_TRIGGER_RE = re.compile(_TRIGGER)
_ESCAPED_RE = re.compile(_ESCAPED)


def escape_cell(value: str) -> str:
    return "'" + value if _TRIGGER_RE.match(value) else value


def unescape_cell(value: str) -> str:
    return value[1:] if _ESCAPED_RE.match(value) else value


def escape_columns(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Every string column of ``lf`` escaped as :func:`escape_cell` does."""
    import polars as pl

    names = [n for n, t in lf.collect_schema().items() if t == pl.String]
    return lf.with_columns(
        pl.when(pl.col(n).str.contains(_TRIGGER)).then(pl.lit("'") + pl.col(n)).otherwise(pl.col(n)).alias(n)
        for n in names
    )


def unescape_columns(df: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    names = [n for n, t in df.schema.items() if t == pl.String]
    return df.with_columns(
        pl.when(pl.col(n).str.contains(_ESCAPED)).then(pl.col(n).str.slice(1)).otherwise(pl.col(n)).alias(n)
        for n in names
    )
