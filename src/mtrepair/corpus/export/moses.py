"""Moses plain text: two files, line i of one is the translation of line i of the other.

A segment holds no tab or line break here (each becomes a space, other control
characters are dropped): Moses, fairseq and Marian all split on them, and one
stray line break would shift every pair after it.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import polars as pl

from ...errors import CorpusError
from .escape import MOSES_SPECIAL, columns_with, moses_line, write_lines


def moses_paths(prefix: Path, src_lang: str, tgt_lang: str) -> tuple[Path, Path]:
    """``-o data/train`` → data/train.es and data/train.en (the Moses convention)."""
    if src_lang == tgt_lang:
        raise CorpusError(f"source and target language are both {src_lang!r}; Moses needs two file names")
    return prefix.with_name(f"{prefix.name}.{src_lang}"), prefix.with_name(f"{prefix.name}.{tgt_lang}")


def write_moses(lf: pl.LazyFrame, src: IO[bytes], tgt: IO[bytes], batch_rows: int) -> tuple[int, int]:
    """Returns (pairs, values that had to be flattened onto one line)."""
    rows = changed = 0
    for df in lf.collect_batches(chunk_size=batch_rows):
        if not df.height:
            continue
        special = columns_with(df.select("source", "target"), MOSES_SPECIAL)
        source, n_source = moses_line(df.get_column("source"), "source" in special)
        target, n_target = moses_line(df.get_column("target"), "target" in special)
        write_lines(df, source, src)
        write_lines(df, target, tgt)
        changed += n_source + n_target
        rows += df.height
    return rows, changed


def read_moses(src_path: Path, tgt_path: Path) -> pl.DataFrame:
    """The two files back into a (source, target) frame; unequal line counts are an error."""
    sides = []
    for path in (src_path, tgt_path):
        sides.append(read_lines(path))
    if len(sides[0]) != len(sides[1]):
        raise CorpusError(
            f"{len(sides[0])} lines here but {len(sides[1])} in {tgt_path.name}; the pair files do not align",
            path=str(src_path),
        )
    return pl.DataFrame({"source": sides[0], "target": sides[1]}, schema={"source": pl.String, "target": pl.String})


def read_lines(path: Path) -> list[str]:
    """The lines of an exported Moses file, without the final newline's empty line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read ({exc})", path=str(path)) from exc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
