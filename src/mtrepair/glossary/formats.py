"""Choosing an import/export format by name or file extension, and dispatching to it.

One registry row per format: its reader, its writer, and the file extensions that mean
it. ``tbx`` is TBX-Basic v3; ``tbx2`` is TBX v2 (``martif``), the version translate-toolkit
and older CAT tools read (issue 11). Both readers accept either version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import GlossaryError
from .entry import Entry, Status

Reader = Callable[[bytes, str, Status], list[Entry]]
Writer = Callable[[Sequence[Entry], str], tuple[bytes, int]]


def _read_tbx(data: bytes, path: str, default_status: Status) -> list[Entry]:
    from .tbx import read_tbx

    return read_tbx(data, path, default_status=default_status)


def _write_tbx(entries: Sequence[Entry], description: str) -> tuple[bytes, int]:
    from .tbx import write_tbx

    return write_tbx(entries, description=description), 0


def _write_tbx2(entries: Sequence[Entry], description: str) -> tuple[bytes, int]:
    from .tbx import write_tbx2

    return write_tbx2(entries, description=description), 0


def _read_csv(data: bytes, path: str, default_status: Status) -> list[Entry]:
    from .tabular import read_csv

    return read_csv(data, path, default_status=default_status)


def _write_csv(entries: Sequence[Entry], description: str) -> tuple[bytes, int]:
    from .tabular import write_csv

    return write_csv(entries), 0


def _read_omegat(data: bytes, path: str, default_status: Status) -> list[Entry]:
    from .tabular import read_omegat

    return read_omegat(data, path, default_status=default_status)


def _write_omegat(entries: Sequence[Entry], description: str) -> tuple[bytes, int]:
    from .tabular import write_omegat

    return write_omegat(entries)


def _read_tsv(data: bytes, path: str, default_status: Status) -> list[Entry]:
    from .tsvfile import parse_tsv

    return [row.entry for row in parse_tsv(data, path)]


def _write_tsv(entries: Sequence[Entry], description: str) -> tuple[bytes, int]:
    from .tsvfile import render_tsv

    return render_tsv(list(entries)), 0


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    read: Reader
    write: Writer
    suffixes: tuple[str, ...]


REGISTRY: dict[str, Format] = {
    f.name: f
    for f in (
        Format("tbx", _read_tbx, _write_tbx, (".tbx", ".xml")),
        Format("tbx2", _read_tbx, _write_tbx2, ()),
        Format("csv", _read_csv, _write_csv, (".csv",)),
        Format("omegat", _read_omegat, _write_omegat, (".txt", ".utf8", ".tab")),
        Format("tsv", _read_tsv, _write_tsv, (".tsv",)),
    )
}
FORMATS = tuple(REGISTRY)
_BY_SUFFIX = {suffix: f.name for f in REGISTRY.values() for suffix in f.suffixes}


def detect_format(path: str, fmt: str = "auto") -> str:
    if fmt != "auto":
        if fmt not in REGISTRY:
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
    return REGISTRY[detect_format(path, fmt)].read(data, path, default_status)


def write_entries(entries: Sequence[Entry], fmt: str, *, description: str = "mtrepair glossary") -> tuple[bytes, int]:
    """The exported bytes and how many entries the format could not hold."""
    if fmt not in REGISTRY:
        raise GlossaryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return REGISTRY[fmt].write(entries, description)
