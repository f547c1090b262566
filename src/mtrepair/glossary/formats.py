"""Choosing an import/export format by name or file extension, and dispatching to it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import GlossaryError
from .entry import Entry, Status

FORMATS = ("tbx", "csv", "omegat", "tsv")
_BY_SUFFIX = {
    ".tbx": "tbx",
    ".xml": "tbx",
    ".csv": "csv",
    ".txt": "omegat",
    ".utf8": "omegat",
    ".tab": "omegat",
    ".tsv": "tsv",
}


def detect_format(path: str, fmt: str = "auto") -> str:
    if fmt != "auto":
        if fmt not in FORMATS:
            raise GlossaryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    found = _BY_SUFFIX.get(Path(path).suffix.lower())
    if found is None:
        raise GlossaryError(
            f"cannot tell the format from the file name; pass --format ({', '.join(FORMATS)})", path=path
        )
    return found


def read_entries(data: bytes, path: str, fmt: str, *, default_status: Status = "proposed") -> list[Entry]:
    """Entries from an import file; ids may be empty (the import assigns them)."""
    if fmt == "tbx":
        from .tbx import read_tbx

        return read_tbx(data, path, default_status=default_status)
    if fmt == "csv":
        from .tabular import read_csv

        return read_csv(data, path, default_status=default_status)
    if fmt == "omegat":
        from .tabular import read_omegat

        return read_omegat(data, path, default_status=default_status)
    from .tsvfile import parse_tsv

    return [row.entry for row in parse_tsv(data, path)]


def write_entries(entries: Sequence[Entry], fmt: str, *, description: str = "mtrepair glossary") -> tuple[bytes, int]:
    """The exported bytes and how many entries the format could not hold."""
    if fmt == "tbx":
        from .tbx import write_tbx

        return write_tbx(entries, description=description), 0
    if fmt == "csv":
        from .tabular import write_csv

        return write_csv(entries), 0
    if fmt == "omegat":
        from .tabular import write_omegat

        return write_omegat(entries)
    from .tsvfile import render_tsv

    return render_tsv(list(entries)), 0
