"""Transitional: the corpus's atomic output now lives in ``mtrepair.atomic`` (one writer for
the whole package, issue 11 part 3). This module only keeps the old import path working
until ``corpus/export/__init__.py``, ``corpus/export/moses.py`` and ``corpus/delta.py``
import from ``mtrepair.atomic``; then it is deleted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from .. import atomic
from ..atomic import fsync_dir, fsync_file, temp_name
from ..errors import CorpusError

__all__ = ["atomic_path", "fsync_dir", "fsync_file", "read_lines", "temp_name", "write_text_atomic"]


@contextlib.contextmanager
def atomic_path(path: Path, what: str = "file") -> Iterator[Path]:
    with atomic.atomic_path(path, what, error=CorpusError) as tmp:
        yield tmp


def write_text_atomic(path: Path, text: str, what: str = "file") -> None:
    atomic.write_text_atomic(path, text, what, error=CorpusError)


def read_lines(path: Path) -> list[str]:
    """The lines of an exported text file (Moses, TSV), without the final newline's empty line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read ({exc})", path=str(path)) from exc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
