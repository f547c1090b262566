"""Loading a glossary directory: read once, validate everything, compile the approved entries."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path

from ..errors import GlossaryError
from .entry import STATUSES
from .matcher import Glossary
from .tsvfile import GLOSSARY_FILE, Row, parse_tsv, read_bytes
from .validate import check


def glossary_file(directory: str | Path) -> Path:
    """``DIR/glossary.tsv``; a path to the TSV itself is accepted too."""
    path = Path(directory)
    if path.suffix.lower() == ".tsv" and not path.is_dir():
        return path
    if not path.exists():
        raise GlossaryError(
            "glossary directory not found; pass --glossary DIR (the directory holding glossary.tsv)", path=str(path)
        )
    if not path.is_dir():
        raise GlossaryError("expected a glossary directory holding glossary.tsv", path=str(path))
    return path / GLOSSARY_FILE


def read_rows(tsv: Path) -> tuple[bytes, list[Row]]:
    """The file's bytes and its validated rows (raises GlossaryError on the first problem)."""
    data = read_bytes(tsv)
    rows = parse_tsv(data, str(tsv))
    check(rows, str(tsv))
    return data, rows


def load_glossary(directory: str | Path, *, statuses: Collection[str] = ("approved",)) -> Glossary:
    """Load, validate and compile ``DIR/glossary.tsv``, keeping entries whose status is in ``statuses``.

    The whole file is validated whatever ``statuses`` says, so a glossary that loads here
    is one every reviewer command accepts. ``content_hash`` is the sha256 of the bytes read.
    """
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise GlossaryError(f"unknown status {unknown[0]!r}; use {', '.join(STATUSES)}")
    tsv = glossary_file(directory)
    data, rows = read_rows(tsv)
    wanted = set(statuses)
    return Glossary(
        (r.entry for r in rows if r.entry.status in wanted),
        hashlib.sha256(data).hexdigest(),
        str(tsv),
    )
