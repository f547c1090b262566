"""The glossary's commit protocol: glossary.tsv and history.jsonl change together or not at all.

Issue 12 (part 3): a writer killed between the history append and the TSV replace left
history "add" records for entries the glossary never got, plus stale temp files, and a
torn last history line blocked ``history`` and ``show``. One commit, under the
directory's lock (``.glossary.lock``):

1. the new TSV goes to a temp file beside it (``.glossary.tsv.XXXX.tmp``), fsync'ed;
2. one history line per change is appended and fsync'ed; every line of one commit
   carries the same ``txn`` id, ``prev`` (sha256 of the TSV the change started from,
   ``""`` for a new glossary) and ``tsv`` (sha256 of the TSV it produces);
3. the temp file is renamed over glossary.tsv and the directory fsync'ed.

So a history line can only ever be ahead of the TSV, by the last commit at most.
``reconcile`` (run under the lock before every write and by ``read_history``) tells that
apart from a committed change: when the last commit's ``tsv`` hash is not the TSV's and
its ``prev`` hash is, the TSV is the one the commit started from, so the commit never
happened. Its lines, and a torn last line (a writer killed mid-append: the rename comes
after the append, so that commit never happened either), are moved to
``history.uncommitted.jsonl`` with a one-line warning on stderr: nothing is silently
lost, and the history says only what the TSV holds. A TSV changed by hand since the last
commit matches neither hash and keeps its history untouched (one put back by hand to exactly
the bytes before the last commit reads as that commit undone, and its lines move aside with
the same warning: the history then still says only what the TSV holds). History lines written
before this protocol have no hashes and are read as they are. Temp files of killed
writers are removed by the next write (under the lock, no live writer has one open).

A failure inside the commit (a full disk) truncates the history back, removes the temp
file and raises one GlossaryError: the glossary is unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import TMP_SUFFIX, file_mode, fsync_dir
from ..errors import GlossaryError
from .entry import COLUMNS
from .tsvfile import GLOSSARY_FILE, HISTORY_FILE, LOCK_FILE

UNCOMMITTED_FILE = "history.uncommitted.jsonl"
TEMP_PREFIX = f".{GLOSSARY_FILE}."
TEMP_SUFFIX = TMP_SUFFIX  # the one atomic writer's naming: .glossary.tsv.XXXX.tmp
LOCK_TIMEOUT_S = 60.0

# Test hook, read only by ``fault_point``: a comma-separated list of commit points
# (after-temp, mid-history, after-history, after-rename) where a writer announces itself on
# stderr and sleeps MTREPAIR_FAULT_PAUSE_S seconds (default 60), so a crash test can
# kill -9 it at exactly that instant (tests/test_glossary_crash.py, benchmarks/soak.py).
FAULT_ENV = "MTREPAIR_FAULT_PAUSE"
FAULT_SECONDS_ENV = "MTREPAIR_FAULT_PAUSE_S"
FAULT_POINTS = ("after-temp", "mid-history", "after-history", "after-rename")

Warn = Callable[[str], None]


def warn_stderr(message: str) -> None:
    sys.stderr.write(f"mtrepair: {message}\n")
    sys.stderr.flush()


def _fault_wanted(point: str) -> bool:
    return point in os.environ.get(FAULT_ENV, "").split(",")


def fault_point(point: str) -> None:
    """Pause here if the test hook names this point (see FAULT_ENV); otherwise nothing."""
    if not _fault_wanted(point):
        return
    sys.stderr.write(f"mtrepair: fault pause at {point} (pid {os.getpid()})\n")
    sys.stderr.flush()
    time.sleep(float(os.environ.get(FAULT_SECONDS_ENV, "60")))


def digest(data: bytes | None) -> str:
    """sha256 of a TSV's bytes; ``""`` for a glossary that does not exist yet."""
    return "" if data is None else hashlib.sha256(data).hexdigest()


# -- the history file, line by line ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One line of history.jsonl: where it is (bytes, 1-based number) and what it says."""

    number: int
    start: int
    end: int
    raw: bytes
    whole: bool  # ends with a newline

    @property
    def record(self) -> dict[str, Any] | None:
        """The JSON object on the line, None if it is not one. Parsed on each call, not when
        split: a write reconciles by the last few lines of a history that may hold 100,000."""
        return _parse(self.raw)


def split_lines(data: bytes) -> list[Line]:
    lines: list[Line] = []
    start = 0
    number = 0
    while start < len(data):
        number += 1
        newline = data.find(b"\n", start)
        end = len(data) if newline < 0 else newline + 1
        raw = data[start:end]
        if raw.strip():
            lines.append(Line(number, start, end, raw, newline >= 0))
        start = end
    return lines


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


@dataclass(frozen=True, slots=True)
class Repair:
    """What reconcile drops: the history keeps its first ``keep`` bytes."""

    keep: int
    dropped: tuple[Line, ...]
    torn: bool

    @property
    def needed(self) -> bool:
        return bool(self.dropped)

    def message(self, history: Path) -> str:
        uncommitted = [ln for ln in self.dropped if ln.whole]
        parts = []
        if uncommitted:
            parts.append(f"{len(uncommitted)} record(s) of a change glossary.tsv never got")
        if self.torn:
            parts.append("a torn last line")
        return (
            f"{history}: {' and '.join(parts)} (a writer was killed or the disk was full) "
            f"moved to {UNCOMMITTED_FILE}; the glossary is as its last complete change left it"
        )


def plan_repair(lines: Sequence[Line], tsv_digest: str) -> Repair:
    """Which trailing lines record a commit that never reached a TSV whose hash is ``tsv_digest``."""
    rest = list(lines)
    dropped: list[Line] = []
    torn = bool(rest) and not rest[-1].whole
    if torn:
        dropped.append(rest.pop())
    last = rest[-1].record if rest else None
    # Lines written before this protocol carry no hashes: nothing to compare, kept as they are.
    if last is not None and last.get("prev") == tsv_digest and last.get("tsv") not in (None, tsv_digest):
        txn = last.get("txn")
        while rest and (rest[-1].record or {}).get("txn") == txn:
            dropped.append(rest.pop())
    dropped.reverse()
    keep = dropped[0].start if dropped else (lines[-1].end if lines else 0)
    return Repair(keep, tuple(dropped), torn)


def _save_dropped(root: Path, repair: Repair) -> None:
    """Append the dropped lines to history.uncommitted.jsonl, once even if a repair is retried."""
    path = root / UNCOMMITTED_FILE
    batch = hashlib.sha256(b"".join(ln.raw for ln in repair.dropped)).hexdigest()
    saved = path.read_bytes() if path.exists() else b""
    last = split_lines(saved)
    if last and (last[-1].record or {}).get("batch") == batch:
        return  # saved by a repair that was itself killed before truncating the history
    now = _utc_now()
    # A repair killed mid-write left a torn line here: start on a fresh line after it.
    out = ["\n"] if saved and not saved.endswith(b"\n") else []
    for ln in repair.dropped:
        wrapper: dict[str, Any] = {
            "dropped": now,
            "why": "uncommitted" if ln.whole else "torn",
            "line": ln.number,
            "batch": batch,
        }
        record = ln.record
        if record is not None and ln.whole:
            wrapper["record"] = record
        else:
            wrapper["text"] = ln.raw.decode("utf-8", errors="replace")
        out.append(json.dumps(wrapper, ensure_ascii=False) + "\n")
    _append(path, "".join(out).encode("utf-8"))


def _state(root: Path) -> tuple[list[Line], Repair]:
    """The history's lines and what reconcile would drop from them."""
    history = root / HISTORY_FILE
    try:
        data = history.read_bytes()
    except FileNotFoundError:
        return [], Repair(0, (), False)
    except OSError as exc:
        raise GlossaryError(f"cannot read the history: {exc.strerror}", path=str(history)) from None
    lines = split_lines(data)
    return lines, plan_repair(lines, digest(_read_tsv(root / GLOSSARY_FILE)))


def reconcile(root: Path, *, warn: Warn = warn_stderr, write: bool = True) -> list[Line]:
    """The history's lines once uncommitted trailing lines are dropped.

    With ``write`` (the caller holds the lock) the history file is repaired on disk;
    without it (a read-only glossary) only the returned view leaves them out. Either way
    one warning says what was dropped.
    """
    lines, repair = _state(root)
    if not repair.needed:
        return lines
    history = root / HISTORY_FILE
    if write:
        try:
            _save_dropped(root, repair)
            with open(history, "r+b") as fh:
                fh.truncate(repair.keep)
                os.fsync(fh.fileno())
        except OSError as exc:
            raise GlossaryError(
                f"cannot repair the history ({exc.strerror}); nothing changed", path=str(history)
            ) from None
    warn(repair.message(history))
    return lines[: len(lines) - len(repair.dropped)]


def _read_tsv(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror}", path=str(path)) from None


def remove_stale_temps(root: Path) -> None:
    """Temp files left by killed writers (the caller holds the lock, so none is live); beside
    the TSV's target too when glossary.tsv is a symlink (commit writes its temp file there)."""
    tsv = root / GLOSSARY_FILE
    folders = {root, tsv.resolve().parent} if tsv.is_symlink() else {root}
    for folder in folders:
        for path in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                path.unlink()


# -- the lock -------------------------------------------------------------------------------------


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the directory's lock, or raise GlossaryError after LOCK_TIMEOUT_S."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(root / LOCK_FILE), timeout=LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout:
        raise GlossaryError(
            f"another reviewer has held the glossary lock for {LOCK_TIMEOUT_S:.0f} s; try again",
            path=str(root / LOCK_FILE),
        ) from None
    try:
        yield
    finally:
        lock.release()


def read_lines(root: Path, *, warn: Warn = warn_stderr) -> list[Line]:
    """The committed history lines, for readers.

    Read without the lock when nothing needs repairing (every read but the first after a
    crash, and no lock file appears beside a glossary that is only read). Otherwise the
    lock is taken and the state looked at again (a live writer between its append and its
    rename is waited for, not mistaken for a dead one) and repaired. A glossary in a
    directory this user cannot write (a read-only install) is never repaired: the view
    leaves the uncommitted lines out all the same.
    """
    lines, repair = _state(root)
    if not repair.needed:
        return lines
    try:
        with locked(root):
            return reconcile(root, warn=warn)
    except OSError:
        return reconcile(root, warn=warn, write=False)


# -- the commit -----------------------------------------------------------------------------------


def entry_json(entry: Any) -> dict[str, str] | None:
    """An entry as a history object (field by field: dataclasses.asdict was a third of a
    20,000-entry import's commit)."""
    return None if entry is None else {c: getattr(entry, c) for c in COLUMNS}


def commit(root: Path, data: bytes, records: Sequence[dict[str, Any]], prev: str) -> None:
    """Write ``data`` as the new TSV and ``records`` as its history, by the protocol above.

    The caller holds the lock, has reconciled, and read the TSV whose hash is ``prev``.
    """
    tsv = root / GLOSSARY_FILE
    if tsv.is_symlink():
        tsv = tsv.resolve()
    history = root / HISTORY_FILE
    txn = {"txn": uuid.uuid4().hex[:16], "prev": prev, "tsv": digest(data)}
    payload = "".join(json.dumps({**r, **txn}, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    tmp: str | None = None
    size: int | None = None
    try:
        mode = file_mode(tsv)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=tsv.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        fault_point("after-temp")
        size = history.stat().st_size if history.exists() else 0
        _append(history, payload, fault=True)
        fault_point("after-history")
        os.replace(tmp, tsv)
        tmp = None
    except OSError as exc:
        _undo(history, size, tmp)
        raise GlossaryError(
            f"cannot write the glossary ({exc.strerror or exc}); nothing changed", path=str(tsv)
        ) from None
    except BaseException:
        _undo(history, size, tmp)
        raise
    fsync_dir(tsv.parent)
    fault_point("after-rename")


def _append(path: Path, payload: bytes, *, fault: bool = False) -> None:
    """Append and fsync; ``fault``: the commit's history append, where the mid-history hook applies."""
    with open(path, "ab") as fh:
        if fault and _fault_wanted("mid-history"):
            fh.write(payload[: max(1, len(payload) // 2)])
            fh.flush()
            os.fsync(fh.fileno())
            fault_point("mid-history")
            payload = payload[max(1, len(payload) // 2) :]
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())


def _undo(history: Path, size: int | None, tmp: str | None) -> None:
    """Take back a failed commit: the history to its old length, the temp file away.
    Should this fail too, the next reconcile drops what is left (its TSV hash never came)."""
    if size is not None:
        with contextlib.suppress(OSError), open(history, "r+b") as fh:
            fh.truncate(size)
            os.fsync(fh.fileno())
    if tmp is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _utc_now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- checking that the history and the TSV agree (tests, benchmarks/soak.py) -----------------------

_SETS = ("add", "import", "edit", "approve", "reject", "propose")


def replay_problems(root: Path) -> list[str]:
    """What is wrong between the history and the TSV: the history replayed from empty must
    give the TSV's entries, and each commit must start from the TSV the one before made.

    Empty list: every history record is a change the TSV holds, and every entry of the
    TSV was made by a recorded change. (Only for glossaries never edited by hand.)
    """
    from .tsvfile import parse_tsv

    data = _read_tsv(root / GLOSSARY_FILE)
    history = root / HISTORY_FILE
    lines = split_lines(history.read_bytes()) if history.exists() else []
    problems: list[str] = []
    state: dict[str, dict[str, Any]] = {}
    previous_tsv = ""
    previous_txn: object = None
    for ln in lines:
        record = ln.record or {}
        if not record or not ln.whole:
            problems.append(f"history line {ln.number} is not a whole JSON object")
        if "txn" in record and record["txn"] != previous_txn:
            if record.get("prev") != previous_tsv:
                problems.append(f"history line {ln.number}: starts from a TSV no earlier commit made")
            previous_txn, previous_tsv = record["txn"], record.get("tsv", "")
        action, entry_id = record.get("action"), record.get("id")
        if action in _SETS and isinstance(record.get("after"), dict):
            state[str(entry_id)] = record["after"]
        elif action == "rm":
            state.pop(str(entry_id), None)
    if previous_txn is not None and previous_tsv != digest(data):
        problems.append("the last commit's TSV hash is not glossary.tsv's")
    entries = {} if data is None else {r.entry.id: entry_json(r.entry) for r in parse_tsv(data, "glossary.tsv")}
    if entries != state:
        missing = sorted(set(state) - set(entries))[:3]
        extra = sorted(set(entries) - set(state))[:3]
        problems.append(
            f"history replay differs from glossary.tsv: {len(state)} vs {len(entries)} entries "
            f"(only in history: {missing}, only in the TSV: {extra})"
        )
    return problems
