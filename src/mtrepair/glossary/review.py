"""Reviewer operations on a glossary directory: add, edit, approve, reject, remove, import.

Every operation is one transaction:

1. take the directory's file lock (``.glossary.lock``), so two reviewers never interleave;
2. drop what a killed writer left (``journal.reconcile``: history lines of a commit the
   TSV never got, a torn last line, stale temp files);
3. re-read and re-parse ``glossary.tsv`` under the lock, so an edit made by someone else
   a moment ago is the base of this one and is never overwritten;
4. apply the change in memory and validate the result (a change that would make the
   glossary invalid is refused, and nothing is written);
5. commit by ``journal.commit``: the new TSV to a temp file, one history line per changed
   entry (author, UTC time, reason, the entry before and after, the TSV hashes), then the
   rename. A kill or a full disk at any instant leaves the two files consistent.

Work that does not need the current glossary (parsing an import, normalizing and
checking its entries) is done before the lock is taken: a 20,000-concept TBX import held
the lock for 112 s and every other reviewer's change failed meanwhile (issue 12).

The ``author`` and ``updated`` columns of an entry name its most recent change; the
full story of every entry, including who proposed and who approved it, is the history.
A glossary whose TSV has gone missing while its history exists was deleted by accident:
every operation then stops with a GlossaryError instead of starting an empty glossary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import GlossaryError
from . import journal
from .entry import Entry, Status, match_key
from .journal import Warn, entry_json, warn_stderr
from .tsvfile import GLOSSARY_FILE, HISTORY_FILE, Row, parse_tsv, read_bytes, render_tsv
from .validate import ID_PATTERN, entry_problems, find_problems, normalize_text

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
            "before": entry_json(self.before),
            "after": entry_json(self.after),
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
    has neither glossary.tsv nor history.jsonl. Keep ``mutate`` linear in the entries:
    every other reviewer waits while it runs.
    """
    root = Path(directory)
    if not root.is_dir():
        if not create:
            raise GlossaryError("glossary directory not found; pass --glossary DIR", path=str(root))
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GlossaryError(f"cannot create the glossary directory: {exc.strerror}", path=str(root)) from None
    tsv, history = root / GLOSSARY_FILE, root / HISTORY_FILE
    with journal.locked(root):
        journal.reconcile(root)
        journal.remove_stale_temps(root)
        if not tsv.exists() and history.exists() and history.stat().st_size > 0:
            raise GlossaryError(
                f"missing, but {HISTORY_FILE} is there: the glossary was deleted; restore it "
                "(e.g. `git checkout -- glossary/glossary.tsv`) before changing it",
                path=str(tsv),
            )
        # A new glossary starts empty; an existing one is re-read under the lock.
        data = read_bytes(tsv) if tsv.exists() or not create else None
        rows = parse_tsv(data, str(tsv)) if data is not None else []
        entries = [r.entry for r in rows]
        changes = mutate(entries, utc_now())
        if not changes:
            return []
        after_problems = find_problems([Row(i + 2, e) for i, e in enumerate(entries)])
        # A glossary broken by hand may still be repaired: a change that leaves fewer
        # problems than it found is accepted (the "before" check only runs when needed).
        if after_problems and (not (before := find_problems(rows)) or len(after_problems) >= len(before)):
            first = after_problems[0]
            raise GlossaryError(
                f"change refused, the glossary would be invalid: {first.message}", path=str(tsv), line=first.line
            )
        journal.commit(root, render_tsv(entries), [c.to_json() for c in changes], journal.digest(data))
        return changes


def read_history(
    directory: str | Path, entry_id: str | None = None, *, warn: Warn = warn_stderr
) -> list[dict[str, Any]]:
    """History records, oldest first, optionally only those of one entry id.

    Lines of a commit that never reached the TSV and a torn last line are moved out first
    (``journal.reconcile``, one warning); any other line that is not a JSON object (a hand
    edit gone wrong) is skipped with a warning naming it, so ``history`` and ``show`` work.
    """
    root = Path(directory)
    records: list[dict[str, Any]] = []
    for line in journal.read_lines(root, warn=warn):
        record = line.record
        if record is None:
            warn(f"{root / HISTORY_FILE}:{line.number}: not a JSON object, skipped; the history is append-only")
            continue
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
    # A set is used as it is: an import calls this once per entry (copying was quadratic).
    used = taken if isinstance(taken, (set, frozenset)) else set(taken)
    candidate, n = slug, 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


def _find(entries: list[Entry], entry_id: str, path: str) -> int:
    for i, e in enumerate(entries):
        if e.id == entry_id:
            return i
    raise _no_entry(entry_id, path)


def _positions(entries: list[Entry], entry_ids: Sequence[str], path: str) -> dict[str, int]:
    """Each wanted id (once, in order) → the position of its first entry; one pass, not one
    scan per id (approving 20,000 ids at once scanned 20,000 × 20,000 entries under the lock)."""
    first: dict[str, int] = {}
    for i, e in enumerate(entries):
        first.setdefault(e.id, i)
    wanted = dict.fromkeys(entry_ids)
    for entry_id in wanted:
        if entry_id not in first:
            raise _no_entry(entry_id, path)
    return {entry_id: first[entry_id] for entry_id in wanted}


def _no_entry(entry_id: str, path: str) -> GlossaryError:
    return GlossaryError(f"no entry with id {entry_id!r}; see `mtrepair glossary list` or `search`", path=path)


def _same_rule(a: Entry, b: Entry) -> bool:
    """Whether two entries say the same thing (same kind, same text matched, same output)."""
    return rule_key(a) == rule_key(b)


def rule_key(entry: Entry) -> tuple[str, str, str, str]:
    """Equal for two entries exactly when they say the same thing: same kind, output and
    case rule, and the same text matched (any case, for a case-insensitive rule). A key
    so an import looks each entry up in a dict instead of comparing it with every other."""
    source = match_key(entry.source) if entry.case == "insensitive" else entry.source
    return entry.kind, entry.output, entry.case, source


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


# Called under the lock with an entry as it is before the change; raises to refuse the change.
# The web app passes a check that the entry is still the version its reviewer saw, so a CLI
# write landing between the page and the click is never overwritten (issue 13).
Expect = Callable[[Entry], None]

_STATUS_ACTION = {"approved": "approve", "rejected": "reject", "proposed": "propose"}


def edit_entry(
    directory: str | Path,
    entry_id: str,
    changes: dict[str, str],
    *,
    author: str,
    reason: str = "",
    expect: Expect | None = None,
    status: Status | None = None,
) -> tuple[Entry, Entry]:
    """Change fields of one entry (source, target, kind, case, note).

    Its status stays, unless ``status`` is given: then the edit and the status change are one
    commit (two history lines), e.g. a reviewer who corrects an approved target and approves
    it in the same action, or an edit that sends an approved entry back to ``proposed``.
    """
    tsv = str(Path(directory) / GLOSSARY_FILE)
    bad = [k for k in changes if k not in EDITABLE]
    if bad:
        raise GlossaryError(
            f"cannot edit {bad[0]!r}; editable fields: {', '.join(EDITABLE)} (use approve/reject for the status)"
        )
    if not changes and status is None:
        raise GlossaryError("nothing to change; give --source, --target, --kind, --case or --note")
    result: list[tuple[Entry, Entry]] = []

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        i = _find(entries, entry_id, tsv)
        before = entries[i]
        if expect is not None:
            expect(before)
        clean = {k: normalize_text(v.strip()) if k in ("source", "target") else v.strip() for k, v in changes.items()}
        after = before.with_changes(**clean, author=author, updated=now)
        _check_enums(after, tsv)
        _refuse_bad(after, tsv)
        out: list[Change] = []
        if not all(getattr(after, k) == getattr(before, k) for k in clean):
            out.append(Change(now, author, "edit", entry_id, reason, before, after))
        else:
            after = before
        if status is not None and after.status != status:
            moved = after.with_changes(status=status, author=author, updated=now)
            out.append(Change(now, author, _STATUS_ACTION[status], entry_id, reason, after, moved))
            after = moved
        if not out:
            return []
        entries[i] = after
        result.append((before, after))
        return out

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
    directory: str | Path,
    entry_ids: Sequence[str],
    status: Status,
    *,
    author: str,
    reason: str = "",
    expect: Expect | None = None,
) -> list[Change]:
    """Approve or reject (or re-propose) entries; all of them or none. Unchanged ids are skipped."""
    tsv = str(Path(directory) / GLOSSARY_FILE)
    action = _STATUS_ACTION[status]

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        out: list[Change] = []
        for entry_id, i in _positions(entries, entry_ids, tsv).items():
            before = entries[i]
            if expect is not None:
                expect(before)
            if before.status == status:
                continue
            after = before.with_changes(status=status, author=author, updated=now)
            entries[i] = after
            out.append(Change(now, author, action, entry_id, reason, before, after))
        return out

    return transact(directory, mutate)


def remove_entries(
    directory: str | Path,
    entry_ids: Sequence[str],
    *,
    author: str,
    reason: str = "",
    expect: Expect | None = None,
) -> list[Change]:
    """Delete entries from the TSV; their last content stays in the history."""
    tsv = str(Path(directory) / GLOSSARY_FILE)

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        positions = _positions(entries, entry_ids, tsv)
        if expect is not None:
            for i in positions.values():
                expect(entries[i])
        out = [Change(now, author, "rm", entry_id, reason, entries[i], None) for entry_id, i in positions.items()]
        gone = set(positions.values())
        entries[:] = [e for i, e in enumerate(entries) if i not in gone]
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

    Each draft is normalized and checked before the lock is taken; under the lock only
    the dict lookups, the validation of the result and the commit run.
    """
    tsv = str(Path(directory) / GLOSSARY_FILE)
    prepared = [_prepare(n, draft, author, source_name, tsv) for n, draft in enumerate(drafts, start=1)]
    counts = {"added": 0, "unchanged": 0}

    def mutate(entries: list[Entry], now: str) -> list[Change]:
        out: list[Change] = []
        known = {rule_key(e) for e in entries}
        taken = {e.id for e in entries}
        for draft, key in prepared:
            if key in known:
                counts["unchanged"] += 1
                continue
            usable = bool(ID_PATTERN.match(draft.id)) and draft.id not in taken
            new_id = draft.id if usable else make_id(draft.source, taken)
            entry = draft.with_changes(id=new_id, updated=draft.updated or now)
            entries.append(entry)
            known.add(key)
            taken.add(new_id)
            counts["added"] += 1
            out.append(Change(now, author, "import", new_id, reason, None, entry))
        return out

    changes = transact(directory, mutate, create=True)
    return ImportSummary(counts["added"], counts["unchanged"], tuple(changes))


def _prepare(n: int, draft: Entry, author: str, source_name: str, tsv: str) -> tuple[Entry, tuple[str, str, str, str]]:
    """A draft normalized and checked on its own (its id and time are settled under the lock)."""
    entry = draft.with_changes(
        source=normalize_text(draft.source.strip()),
        target=normalize_text(draft.target.strip()),
        author=draft.author or author,
    )
    # Checked with a stand-in id and time: a bad id is replaced, a missing time stamped.
    problems = entry_problems(entry.with_changes(id="x", updated=entry.updated or "2000-01-01"))
    if problems:
        where = f"{source_name} entry {n}" if source_name else f"entry {n}"
        raise GlossaryError(f"{where} ({draft.source!r}): {problems[0]}; nothing imported", path=tsv)
    return entry, rule_key(entry)


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
