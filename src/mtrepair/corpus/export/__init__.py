"""Exporters for the corpus, and the readers the round-trip tests (and users) read them back with.

Every format is written to a temporary file beside the destination and renamed
into place, so a failed export leaves any earlier file of that name intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

import polars as pl

from ...atomic import atomic_path
from ...errors import CorpusError
from .meta import ExportMeta

FORMATS: Final = ("tmx", "moses", "tsv", "jsonl", "parquet", "csv", "xliff")
EXTENSIONS: Final = {
    "tmx": ".tmx",
    "tsv": ".tsv",
    "jsonl": ".jsonl",
    "parquet": ".parquet",
    "csv": ".csv",
    "xliff": ".xlf",
}
# Rows per batch: large enough for polars to be fast, small enough to keep memory flat.
BATCH_ROWS: Final = 50_000


@dataclass(frozen=True)
class ExportResult:
    rows: int
    paths: tuple[Path, ...]
    dropped_controls: int = 0  # TMX: characters XML 1.0 cannot hold
    flattened: int = 0  # Moses: texts whose tabs, line breaks or control characters were replaced


def _open_out(tmp: Path) -> BinaryIO:
    # Binary: polars writes each batch's lines itself, and "\n" stays "\n" on every platform.
    return open(tmp, "wb", buffering=1 << 20)


def write_export(
    lf: pl.LazyFrame, path: Path, fmt: str, meta: ExportMeta, batch_rows: int = BATCH_ROWS
) -> ExportResult:
    """Write the export frame ``lf`` to ``path`` (for moses: a prefix, two files)."""
    if fmt not in FORMATS:
        raise CorpusError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        return _write(lf, path, fmt, meta, batch_rows)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        # PanicException: polars panics (not raises) on a data file shorter than its Delta log entry.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CorpusError(f"export failed ({first})", path=str(path)) from exc


def _write(lf: pl.LazyFrame, path: Path, fmt: str, meta: ExportMeta, batch_rows: int) -> ExportResult:
    if fmt == "tmx":
        from .tmx import write_tmx

        with atomic_path(path, "TMX export", error=CorpusError) as tmp, _open_out(tmp) as fh:
            rows, dropped = write_tmx(lf, fh, meta, batch_rows)
        return ExportResult(rows, (path,), dropped_controls=dropped)
    if fmt == "xliff":
        from .xliff import write_xliff

        with atomic_path(path, "XLIFF export", error=CorpusError) as tmp, _open_out(tmp) as fh:
            rows, _ = write_xliff(lf, fh, meta, batch_rows)
        return ExportResult(rows, (path,))
    if fmt == "tsv":
        from .tsv import write_tsv

        with atomic_path(path, "TSV export", error=CorpusError) as tmp, _open_out(tmp) as fh:
            rows = write_tsv(lf, fh, batch_rows)
        return ExportResult(rows, (path,))
    if fmt == "moses":
        from .moses import moses_paths, write_moses

        src_path, tgt_path = moses_paths(path, meta.src_lang, meta.tgt_lang)
        # Both files are complete under temporary names before either is renamed.
        with (
            atomic_path(src_path, "Moses export", error=CorpusError) as src_tmp,
            atomic_path(tgt_path, "Moses export", error=CorpusError) as tgt_tmp,
            _open_out(src_tmp) as src,
            _open_out(tgt_tmp) as tgt,
        ):
            rows, flattened = write_moses(lf, src, tgt, batch_rows)
        return ExportResult(rows, (src_path, tgt_path), flattened=flattened)
    from .columnar import sink

    with atomic_path(path, f"{fmt} export", error=CorpusError) as tmp:
        sink(lf, tmp, fmt)
        rows = _count_rows(tmp, fmt)
    return ExportResult(rows, (path,))


def _count_rows(path: Path, fmt: str) -> int:
    if fmt == "parquet":
        return int(pl.scan_parquet(path).select(pl.len()).collect().item())  # footer only
    if fmt == "csv":
        return int(pl.scan_csv(path, infer_schema=False).select(pl.len()).collect().item())
    count = 0
    with open(path, "rb") as fh:  # JSON escapes line breaks: one line per record
        for block in iter(lambda: fh.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def read_export(path: Path, fmt: str, src_lang: str = "es", tgt_lang: str = "en") -> pl.DataFrame:
    """Read an export back into a frame (moses: source and target only)."""
    if fmt == "tmx":
        from .tmx import read_tmx

        return read_tmx(path)
    if fmt == "xliff":
        from .xliff import read_xliff

        return read_xliff(path)
    if fmt == "tsv":
        from .tsv import read_tsv

        return read_tsv(path)
    if fmt == "moses":
        from .moses import moses_paths, read_moses

        return read_moses(*moses_paths(path, src_lang, tgt_lang))
    if fmt in ("csv", "jsonl", "parquet"):
        from .columnar import read_columnar

        return read_columnar(path, fmt)
    raise CorpusError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = ["EXTENSIONS", "FORMATS", "ExportMeta", "ExportResult", "read_export", "write_export"]
