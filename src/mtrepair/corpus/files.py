"""Atomic output for the store and the exports: a reader sees the old file or the new one.

Everything is written under a temporary name in the destination's own folder
(so os.replace is a rename on one file system), flushed to disk, then renamed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from ..errors import CorpusError

TMP_SUFFIX = ".tmp"


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TMP_SUFFIX}")


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems refuse fsync on directories
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


@contextlib.contextmanager
def atomic_path(path: Path, what: str = "file") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path``.

    On any failure the temporary file is removed and ``path`` is left as it was;
    an OSError becomes a CorpusError naming ``path``.
    """
    if path.is_dir():
        raise CorpusError(f"is a directory; give a file name for the {what}", path=str(path))
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError(f"cannot create the folder for the {what} ({describe(exc)})", path=str(path)) from exc
    tmp = temp_name(path)
    try:
        yield tmp
        fsync_file(tmp)
        os.replace(tmp, path)
        fsync_dir(parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CorpusError(f"cannot write the {what} ({describe(exc)}); choose a writable path", path=str(path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, what: str = "file") -> None:
    with atomic_path(path, what) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


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
