r"""TSV with backslash escapes: one record per line, tabs only between fields.

Tabs, line breaks and backslashes inside a field are written \t \n \r \\ ; other
control characters and Unicode line separators as \uXXXX; a missing value as
\N (PostgreSQL's text format). ``cut -f`` and ``split("\n")`` therefore always
see whole records.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO

import polars as pl

from ...errors import CorpusError
from ..files import read_lines
from ..schema import export_schema
from .escape import TSV_SPECIAL, columns_with, tsv_field, write_lines

_UNESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))")
_SIMPLE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def write_tsv(lf: pl.LazyFrame, out: IO[bytes], batch_rows: int) -> int:
    names = export_schema().names()
    out.write(("\t".join(names) + "\n").encode("utf-8"))
    rows = 0
    for df in lf.collect_batches(chunk_size=batch_rows):
        if df.height:
            special = columns_with(df, TSV_SPECIAL)
            line = pl.concat_str([tsv_field(df.get_column(n), n in special) for n in names], separator="\t")
            write_lines(df, line, out)
            rows += df.height
    return rows


def _unescape(value: str, path: Path, line: int) -> str | None:
    if value == "\\N":
        return None
    if "\\" not in value:
        return value

    def one(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return chr(int(m.group(1), 16))
        ch = m.group(2)
        if ch not in _SIMPLE:
            raise CorpusError(f"unknown escape \\{ch}", path=str(path), line=line)
        return _SIMPLE[ch]

    return _UNESCAPE.sub(one, value)


def read_tsv(path: Path) -> pl.DataFrame:
    names = export_schema().names()
    lines = read_lines(path)
    if not lines or lines[0].split("\t") != names:
        raise CorpusError(f"the header must be {' '.join(names)}", path=str(path), line=1)
    columns: dict[str, list[str | None]] = {n: [] for n in names}
    for number, raw in enumerate(lines[1:], start=2):
        fields = raw.split("\t")
        if len(fields) != len(names):
            raise CorpusError(f"expected {len(names)} fields, found {len(fields)}", path=str(path), line=number)
        for n, f in zip(names, fields, strict=True):
            columns[n].append(_unescape(f, path, number))
    return pl.DataFrame(columns, schema={n: pl.String for n in names}).with_columns(
        pl.col("confidence").cast(pl.Float64),
        pl.col("date").str.to_date("%Y-%m-%d"),
        pl.col("count").cast(pl.Int64),
    )
