"""Reviewer operations on a glossary directory: add, edit, approve, reject, remove, import.

Every operation is one transaction:

1. take the directory's file lock (``.glossary.lock``), so two reviewers never interleave;
2. re-read and re-parse ``glossary.tsv`` under the lock, so an edit made by someone else
   a moment ago is the base of this one and is never overwritten;
3. apply the change in memory and validate the result (a change that would make the
   glossary invalid is refused, and nothing is written);
4. append one line per changed entry to ``history.jsonl`` (author, UTC time, reason,
   the entry before and after), fsync'ed;
5. write the new TSV to a temp file and ``os.replace`` it over the old one.

The ``author`` and ``updated`` columns of an entry name its most recent change; the
full story of every entry, including who proposed and who approved it, is the history.
A glossary whose TSV has gone missing while its history exists was deleted by accident:
every operation then stops with a GlossaryError instead of starting an empty glossary.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..errors import GlossaryError
from .entry import Entry, Status, match_key
from .tsvfile import GLOSSARY_FILE, HISTORY_FILE, LOCK_FILE, Row, parse_tsv, read_bytes, render_tsv
from .validate import ID_PATTERN, entry_problems, find_problems, normalize_text

LOCK_TIMEOUT_S = 60.0
EDITABLE = ("source", "target", "kind", "case", "note")


@dataclass(frozen=True, slots=True)
class Change:
    """One line of history.jsonl."""

    time: str
    author: str
    action: str
    id: str
    reason: str
    before: Entry | None
    after: Entry | None

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "author": self.author,
            "action": self.action,
            "id": self.id,
            "reason": self.reason,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
        }


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: int
    unchanged: int
    changes: tuple[Change, ...]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- the transaction ------------------------------------------------------------------------------


Mutation = Callable[[list[Entry], str], list[Change]]


def transact(directory: str | Path, mutate: Mutation, *, create: bool = False) -> list[Change]:
    """Run ``mutate(entries, now)`` on the current entries under the lock and commit its result.

    ``mutate`` edits the list in place and returns the changes it made; it raises
    GlossaryError to refuse. ``create`` allows starting a glossary in a directory that
    has neither glossary.tsv nor history.jsonl.
    """
    from filelock import FileLock, Timeout

    root = Path(directory)
    if not root.is_dir():
        if not create:
            raise GlossaryError("glossary directory not found; pass --glossary DIR", path=str(root))
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GlossaryError(f"cannot create the glossary directory: {exc.strerror}", path=str(root)) from None
    tsv, history = root / GLOSSARY_FILE, root / HISTORY_FILE
    lock = FileLock(str(root / LOCK_FILE), timeout=LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout:
        raise GlossaryError(
            f"another reviewer has held the glossary lock for {LOCK_TIMEOUT_S:.0f} s; try again",
            path=str(root / LOCK_FILE),
        ) from None
    try:
        if not tsv.exists() and history.exists():
            raise GlossaryError(
                f"missing, but {HISTORY_FILE} is there: the glossary was deleted; restore it "
                "(e.g. `git checkout -- glossary/glossary.tsv`) before changing it",
                path=str(tsv),
            )
        # A new glossary starts empty; an existing one is re-read under the lock.
        rows = parse_tsv(read_bytes(tsv), str(tsv)) if tsv.exists() or not create else []
        before_problems = find_problems(rows)
        entries = [r.entry for r in rows]
        changes = mutate(entries, utc_now())
        if not changes:
            return []
        after_problems = find_problems([Row(i + 2, e) for i, e in enumerate(entries)])
        if after_problems and (not before_problems or len(after_problems) >= len(before_problems)):
            first = after_problems[0]
            raise GlossaryError(
                f"change refused, the glossary would be invalid: {first.message}", path=str(tsv), line=first.line
            )
        data = render_tsv(entries)
        append_history(history, changes)
        write_atomic(tsv, data)
        return changes
    finally:
        lock.release()


def append_history(path: Path, changes: Sequence[Change]) -> None:
    """Append the changes as JSON lines; fsync before the TSV is replaced."""
    import os

    payload = "".join(json.dumps(c.to_json(), ensure_ascii=False) + "\n" for c in changes).encode("utf-8")
    try:
        with open(path, "a+b") as fh:
            if fh.tell() > 0:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    # A previous writer died mid-line: start on a fresh line, keep its bytes.
                    payload = b"\n" + payload
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise GlossaryError(f"cannot write the history, nothing changed: {exc.strerror}", path=str(path)) from None


def read_history(directory: str | Path, entry_id: str | None = None) -> list[dict[str, Any]]:
    """History records, oldest first, optionally only those of one entry id."""
    path = Path(directory) / HISTORY_FILE
    if not path.exists():
        return []
    records: list[dict[str, Any]] = []
    text = read_bytes(path).decode("utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GlossaryError(
                f"not a JSON line ({exc.msg}); the history is append-only, fix that line by hand",
                path=str(path),
                line=number,
            ) from None
        if not isinstance(record, dict):
            raise GlossaryError("not a JSON object", path=str(path), line=number)
        if entry_id is None or record.get("id") == entry_id:
            records.append(record)
    return records


# -- ids ------------------------------------------------------------------------------------------


def make_id(source: str, taken: Iterable[str]) -> str:
    """A readable, unused id from the source: ``IMSS-Wellbeing`` → ``imss-wellbeing``."""
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")
    if not slug or not slug[0].isalpha():
        slug = f"g-{slug}" if slug else "entry"
    used = set(taken)
    candidate, n = slug, 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


def _find(entries: list[Entry], entry_id: str, path: str) -> int:
    for i, e in enumerate(entries):
        if e.id == entry_id:
            return i
    raise GlossaryError(f"no entry with id {entry_id!r}; see `mtrepair glossary list` or `search`", path=path)


def _same_rule(a: Entry, b: Entry) -> bool:
    """Whether two entries say the same thing (same kind, same text matched, same output)."""
    if a.kind != b.kind or a.output != b.output or match_key(a.source) != match_key(b.source):
        return False
    return a.case == b.case and (a.case == "insensitive" or a.source == b.source)


def _refuse_bad(entry: Entry, path: str) -> None:
    problems = entry_problems(entry)
    if problems:
        raise GlossaryError(problems[0], path=path)


# -- operations -----------------------------------------------------------------------------------


def add_entry(
    directory: str | Path,
    *,
    source: str,
    target: str = "",
    kind: str = "term",
    case: str = "insensitive",
    status: str = "proposed",
    note: str = "",
    entry_id: str | None = None,
    author: str,
    reason: str = "",
) -> Entry:
    """Add one entry (``proposed`` unless told otherwise) and return it."""
    tsv = str(Path(directory) / GLOSSARY_FILE)
    result: list[Entry] = []

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        new_id = entry_id or make_id(source, (e.id for e in entries))
        if any(e.id == new_id for e in entries):
            raise GlossaryError(f"id {new_id!r} is already used; choose another with --id", path=tsv)
        entry = Entry(
            id=new_id,
            source=normalize_text(source.strip()),
            target=normalize_text(target.strip()),
            kind=kind,  # type: ignore[arg-type]
            case=case,  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
            note=note.strip(),
            author=author,
            updated=now,
        )
        _check_enums(entry, tsv)
        _refuse_bad(entry, tsv)
        same = next((e for e in entries if _same_rule(e, entry) and e.status != "rejected"), None)
        if same is not None:
            raise GlossaryError(f"already in the glossary as {same.id!r} ({same.status})", path=tsv)
        entries.append(entry)
        result.append(entry)
        return [Change(now, author, "add", entry.id, reason, None, entry)]

    transact(directory, mutate, create=True)
    return result[0]


def _check_enums(entry: Entry, path: str) -> None:
    from .entry import CASES, KINDS, STATUSES

    for column, allowed in (("kind", KINDS), ("case", CASES), ("status", STATUSES)):
        value = getattr(entry, column)
        if value not in allowed:
            raise GlossaryError(f"{column} {value!r} is not one of {', '.join(allowed)}", path=path)


def edit_entry(
    directory: str | Path, entry_id: str, changes: dict[str, str], *, author: str, reason: str = ""
) -> tuple[Entry, Entry]:
    """Change fields of one entry (source, target, kind, case, note); its status stays."""
    tsv = str(Path(directory) / GLOSSARY_FILE)
    bad = [k for k in changes if k not in EDITABLE]
    if bad:
        raise GlossaryError(
            f"cannot edit {bad[0]!r}; editable fields: {', '.join(EDITABLE)} (use approve/reject for the status)"
        )
    if not changes:
        raise GlossaryError("nothing to change; give --source, --target, --kind, --case or --note")
    result: list[tuple[Entry, Entry]] = []

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        i = _find(entries, entry_id, tsv)
        before = entries[i]
        clean = {k: normalize_text(v.strip()) if k in ("source", "target") else v.strip() for k, v in changes.items()}
        after = before.with_changes(**clean, author=author, updated=now)
        _check_enums(after, tsv)
        _refuse_bad(after, tsv)
        if all(getattr(after, k) == getattr(before, k) for k in clean):
            return []
        entries[i] = after
        result.append((before, after))
        return [Change(now, author, "edit", entry_id, reason, before, after)]

    transact(directory, mutate)
    if not result:
        entry = _current(directory, entry_id)
        return entry, entry
    return result[0]


def _current(directory: str | Path, entry_id: str) -> Entry:
    tsv = Path(directory) / GLOSSARY_FILE
    rows = parse_tsv(read_bytes(tsv), str(tsv))
    entries = [r.entry for r in rows]
    return entries[_find(entries, entry_id, str(tsv))]


def set_status(
    directory: str | Path, entry_ids: Sequence[str], status: Status, *, author: str, reason: str = ""
) -> list[Change]:
    """Approve or reject (or re-propose) entries; all of them or none. Unchanged ids are skipped."""
    tsv = str(Path(directory) / GLOSSARY_FILE)
    action = {"approved": "approve", "rejected": "reject", "proposed": "propose"}[status]

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        out: list[Change] = []
        for entry_id in dict.fromkeys(entry_ids):
            i = _find(entries, entry_id, tsv)
            before = entries[i]
            if before.status == status:
                continue
            after = before.with_changes(status=status, author=author, updated=now)
            entries[i] = after
            out.append(Change(now, author, action, entry_id, reason, before, after))
        return out

    return transact(directory, mutate)


def remove_entries(directory: str | Path, entry_ids: Sequence[str], *, author: str, reason: str = "") -> list[Change]:
    """Delete entries from the TSV; their last content stays in the history."""
    tsv = str(Path(directory) / GLOSSARY_FILE)

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        out: list[Change] = []
        for entry_id in dict.fromkeys(entry_ids):
            i = _find(entries, entry_id, tsv)
            out.append(Change(now, author, "rm", entry_id, reason, entries.pop(i), None))
        return out

    return transact(directory, mutate)


def import_entries(
    directory: str | Path, drafts: Sequence[Entry], *, author: str, reason: str = "", source_name: str = ""
) -> ImportSummary:
    """Add imported entries; ones the glossary already has (same rule) are left as they are.

    A draft with an empty id, or an id already used by a different entry, gets a fresh id.
    Drafts without author/updated are stamped with the importer and the time. The whole
    import is refused (nothing written) if the result would be invalid, e.g. an approved
    import conflicting with an approved entry: import with ``--status proposed`` then.
    """
    tsv = str(Path(directory) / GLOSSARY_FILE)
    counts = {"added": 0, "unchanged": 0}

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        out: list[Change] = []
        for n, draft in enumerate(drafts, start=1):
            if any(_same_rule(e, draft) for e in entries):
                counts["unchanged"] += 1
                continue
            taken = {e.id for e in entries}
            usable = bool(ID_PATTERN.match(draft.id)) and draft.id not in taken
            new_id = draft.id if usable else make_id(draft.source, taken)
            entry = draft.with_changes(
                id=new_id,
                source=normalize_text(draft.source.strip()),
                target=normalize_text(draft.target.strip()),
                author=draft.author or author,
                updated=draft.updated or now,
            )
            problems = entry_problems(entry)
            if problems:
                where = f"{source_name} entry {n}" if source_name else f"entry {n}"
                raise GlossaryError(f"{where} ({draft.source!r}): {problems[0]}; nothing imported", path=tsv)
            entries.append(entry)
            counts["added"] += 1
            out.append(Change(now, author, "import", new_id, reason, None, entry))
        return out

    changes = transact(directory, mutate, create=True)
    return ImportSummary(counts["added"], counts["unchanged"], tuple(changes))


def current_entries(directory: str | Path) -> list[Entry]:
    """All entries of the glossary (every status), parsed but not cross-validated."""
    from .load import glossary_file

    tsv = glossary_file(directory)
    return [r.entry for r in parse_tsv(read_bytes(tsv), str(tsv))]


__all__ = [
    "Change",
    "ImportSummary",
    "add_entry",
    "current_entries",
    "edit_entry",
    "import_entries",
    "make_id",
    "read_history",
    "remove_entries",
    "set_status",
    "transact",
]
