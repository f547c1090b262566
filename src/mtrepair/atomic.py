"""The one atomic writer: a reader sees the old file or the new one, never half of one.

Only a regular file (or a path that does not exist yet) gets the temporary-file-and-
rename path. ``-`` means standard output; a FIFO, a character device (``/dev/stdout``,
``/dev/null``) or a process substitution is written through, never replaced (run as
root, ``--report /dev/stdout`` once replaced the device node with a regular file); a
symlink is followed, so its target is replaced and the link stays a link.

Two forms, one rule: ``write_atomic`` for data already in memory (repaired articles,
reports, the glossary TSV, model settings, shipped data files) and ``atomic_path`` for
writers that stream into a path of their own (corpus exports, Parquet sinks): it yields
a temporary path and, on success, renames it over the target, or copies it into the
stream when the target is one (``corpus export -o -`` used to create a file named ``-``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import MtrepairError, OutputError

STDOUT = "-"
TMP_SUFFIX = ".tmp"
_COPY_CHUNK = 1 << 20


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int:
    """The permissions a replacement of ``path`` gets: the old file's, or a new file's usual
    ones (mkstemp alone would leave every output readable by its owner only)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def is_stream_target(path: Path) -> bool:
    """``-``, or an existing FIFO, character device or socket: written through, not replaced."""
    if str(path) == STDOUT:
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


def temp_name(path: Path) -> Path:
    """A hidden temporary name beside ``path`` (same file system, so the rename is atomic)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TMP_SUFFIX}")


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be fsynced
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _write_stream(path: Path, payload: bytes) -> None:
    if str(path) == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    with open(path, "wb") as fh:
        fh.write(payload)


def write_atomic(path: Path, data: str | bytes, *, sync: bool = True) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over ``path``.

    The new file keeps the old one's permissions, or gets the usual ones for a new
    file. Streams (see ``is_stream_target``) are written through; a symlink's target is
    replaced, not the link. ``sync=False`` leaves the fsync to the caller, who syncs a
    whole batch of files at once (one fsync per file cost 5.8 s per 10,000 articles).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if is_stream_target(path):
        _write_stream(path, payload)
        return
    if path.is_symlink():
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync:
        fsync_dir(path.parent)


def _copy_into_stream(tmp: Path, path: Path) -> None:
    with open(tmp, "rb") as src:
        if str(path) == STDOUT:
            sys.stdout.flush()
            shutil.copyfileobj(src, sys.stdout.buffer, _COPY_CHUNK)
            sys.stdout.buffer.flush()
        else:
            with open(path, "wb") as dst:
                shutil.copyfileobj(src, dst, _COPY_CHUNK)


@contextlib.contextmanager
def atomic_path(path: Path, what: str = "file", *, error: type[MtrepairError] = OutputError) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` (a regular file or
    a new one) or is copied into it (``-``, a FIFO, a device: see ``is_stream_target``).

    On any failure the temporary file is removed and ``path`` is left as it was; an
    OSError becomes ``error`` (the caller's error family) naming ``path``.
    """
    if is_stream_target(path):
        # A stream cannot be renamed over: the temporary lives in the temp folder, so
        # `-` needs no writable working directory.
        fd, name = tempfile.mkstemp(prefix=".mtrepair-", suffix=TMP_SUFFIX)
        os.close(fd)
        tmp = Path(name)
        try:
            yield tmp
            _copy_into_stream(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return
    if path.is_symlink():
        path = path.resolve()
    if path.is_dir():
        raise error(f"is a directory; give a file name for the {what}", path=str(path))
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(f"cannot create the folder for the {what} ({_describe(exc)})", path=str(path)) from exc
    mode = file_mode(path)
    tmp = temp_name(path)
    try:
        yield tmp
        fsync_file(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        fsync_dir(parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise error(f"cannot write the {what} ({_describe(exc)}); choose a writable path", path=str(path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, what: str = "file", *, error: type[MtrepairError] = OutputError) -> None:
    """``text`` as UTF-8 (line endings untouched) through ``atomic_path``."""
    with atomic_path(path, what, error=error) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
