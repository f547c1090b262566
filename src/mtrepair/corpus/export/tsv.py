r"""TSV as pandas' and polars' CSV readers read it with their defaults and a tab separator.

The dialect is RFC 4180 with a tab for the comma: a field holding a tab, a line
break, a carriage return or a double quote is put in double quotes, with its
quotes doubled; every other field is written as it is. A missing value is an
empty field (and an empty text is written as missing too: pandas cannot tell them
apart). So ``pandas.read_csv(path, sep="\t")`` and ``polars.read_csv(path,
separator="\t")`` both give back the exported rows (tested in test_corpus_export).

Why not backslash escapes any more (schema 1 wrote ``\N`` for null and ``\t``
for a tab): both readers took ``\N`` as text, and a field starting with ``"``
opened a quoted field that swallowed the following lines (issue 11).

One caveat, pandas' own: by default it also reads a field that is exactly
``NA``, ``null``, ``None``, ``nan`` (and a few more) as missing. The README gives
the call that keeps them: ``pd.read_csv(path, sep="\t", keep_default_na=False,
na_values=[""])``.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import polars as pl

from ...errors import CorpusError
from ..schema import export_schema


def _batch(df: pl.DataFrame) -> pl.DataFrame:
    strings = [n for n, t in df.schema.items() if t == pl.String]
    return df.with_columns(pl.when(pl.col(n) != "").then(pl.col(n)).alias(n) for n in strings)


def write_tsv(lf: pl.LazyFrame, out: IO[bytes], batch_rows: int) -> int:
    names = export_schema().names()
    out.write(("\t".join(names) + "\n").encode("utf-8"))
    rows = 0
    for df in lf.collect_batches(chunk_size=batch_rows):
        if df.height:
            _batch(df.select(names)).write_csv(
                out, include_header=False, separator="\t", quote_style="necessary", null_value=""
            )
            rows += df.height
    return rows


def read_tsv(path: Path) -> pl.DataFrame:
    """An exported TSV back into the export frame (the reader the README shows, with the column types)."""
    names = export_schema().names()
    try:
        with open(path, encoding="utf-8") as fh:
            header = fh.readline().rstrip("\r\n").split("\t")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read ({exc})", path=str(path)) from exc
    if header != names:
        raise CorpusError(f"the header must be {' '.join(names)}", path=str(path), line=1)
    try:
        return pl.read_csv(path, separator="\t", schema=export_schema())
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CorpusError(f"not an mtrepair TSV export ({first})", path=str(path)) from exc
