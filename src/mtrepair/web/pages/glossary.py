"""The glossary page: search, add, edit, approve, reject, delete, history, conflicts, import, export.

Every write is one call to ``glossary.review`` (the CLI's locked, validated, atomic
transaction with a history line), so a reviewer here and ``mtrepair glossary add`` in
a terminal never lose each other's changes. Forms carry the ``version`` of the entry
the reviewer saw (a hash of its row); if the entry changed since, the conflict page
shows both and nothing is written. The check runs inside the write's own transaction,
under the glossary's file lock (``expect=``), so neither a second browser session nor a
terminal command landing between the page and the click can be overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

from starlette.responses import Response

from ...errors import GlossaryError
from ...glossary.entry import CASES, COLUMNS, KINDS, STATUSES, Entry, Status
from ...glossary.formats import FORMATS, detect_format, read_entries, write_entries
from ...glossary.review import (
    EDITABLE,
    add_entry,
    current_entries,
    edit_entry,
    import_entries,
    read_history,
    remove_entries,
    set_status,
)
from ..queries import conflicts, glossary_rows
from ..routing import Conflict, Ctx, not_found, route
from ..security import safe_next

PAGE: Final = 100
EXPORT_TYPES: Final = {
    "tbx": ("application/x-tbx+xml", "glossary.tbx"),
    "csv": ("text/csv; charset=utf-8", "glossary.csv"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "glossary.tsv"),
    "omegat": ("text/plain; charset=utf-8", "glossary.txt"),
}


def version_of(entry: Entry) -> str:
    """What the reviewer saw, as a short hash of the entry's whole row."""
    return hashlib.sha256("\t".join(entry.row()).encode("utf-8")).hexdigest()[:16]


def _entry_or_404(entries: list[Entry], entry_id: str) -> Entry:
    found = next((e for e in entries if e.id == entry_id), None)
    if found is None:
        raise not_found("no glossary entry with that id")
    return found


def _shown(entry: Entry) -> dict[str, Any]:
    return {c: getattr(entry, c) for c in COLUMNS}


def _expecting(entry_id: str, version: str, yours: dict[str, Any]) -> Callable[[Entry], None]:
    """The check ``glossary.review`` runs under the glossary's file lock, on the entry as it is
    just before the write: a change by anyone (another browser, ``mtrepair glossary`` in a
    terminal) since the reviewer opened the page is a conflict, and nothing is written."""

    def expect(current: Entry) -> None:
        if version != version_of(current):
            raise Conflict(
                f"glossary entry {entry_id!r} was changed by {current.author or 'someone'} at {current.updated} "
                "after you opened it; nothing was written",
                _shown(current),
                yours,
                f"/glossary/entry/{quote(entry_id)}",
            )

    return expect


def _present(directory: Path, entry_id: str) -> Entry:
    return _entry_or_404(current_entries(directory), entry_id)


@route("/glossary")
async def glossary_page(ctx: Ctx) -> Response:
    entries = await ctx.run(ctx.web.stores.entries)
    q, status, kind = ctx.query("q").strip(), ctx.query("status"), ctx.query("kind")
    rows = glossary_rows(entries, q, status if status in STATUSES else "", kind if kind in KINDS else "")
    try:
        number = max(1, int(ctx.query("page", "1")))
    except ValueError:
        number = 1
    pages = max(1, -(-len(rows) // PAGE))
    number = min(number, pages)
    params = {k: v for k, v in (("q", q), ("status", status), ("kind", kind)) if v}
    return ctx.render(
        "glossary.html",
        rows=[(e, version_of(e)) for e in rows[(number - 1) * PAGE : number * PAGE]],
        total=len(rows),
        count=len(entries),
        page=number,
        pages=pages,
        prev_link=f"/glossary?{urlencode({**params, 'page': number - 1})}" if number > 1 else None,
        next_link=f"/glossary?{urlencode({**params, 'page': number + 1})}" if number < pages else None,
        q=q,
        status_filter=status,
        kind=kind,
        statuses=STATUSES,
        kinds=KINDS,
        cases=CASES,
        formats=FORMATS,
        conflicts=conflicts(entries),
    )


@route("/glossary/add", "POST")
async def add(ctx: Ctx) -> Response:
    author = ctx.reviewer()
    status = "approved" if ctx.field("status") == "approved" else "proposed"
    entry = await ctx.run(
        add_entry,
        ctx.writable_glossary(),
        source=ctx.field("source"),
        target=ctx.field("target"),
        kind=ctx.field("kind", "term") or "term",
        case=ctx.field("case", "insensitive") or "insensitive",
        status=status,
        note=ctx.field("note"),
        author=author,
        reason=ctx.field("reason"),
    )
    ctx.web.stores.glossary_changed()
    return ctx.redirect(f"/glossary/entry/{quote(entry.id)}")


@route("/glossary/entry/{entry_id}")
async def entry_page(ctx: Ctx) -> Response:
    entry_id = str(ctx.request.path_params["entry_id"])
    entries = await ctx.run(ctx.web.stores.entries)
    entry = _entry_or_404(entries, entry_id)
    history = await ctx.run(read_history, ctx.web.stores.glossary_dir, entry_id)
    return ctx.render(
        "entry.html",
        entry=entry,
        version=version_of(entry),
        history=list(reversed(history)),
        kinds=KINDS,
        cases=CASES,
    )


def _edit(
    directory: Path, entry_id: str, version: str, fields: dict[str, str], approve: bool, author: str, reason: str
) -> None:
    current = _present(directory, entry_id)
    expect = _expecting(entry_id, version, {**fields, "approve": "yes" if approve else "no"})
    changes = {k: v for k, v in fields.items() if v.strip() != getattr(current, k)}
    rule_changed = any(k in changes for k in ("source", "target"))
    status: Status | None = None
    if approve:
        status = "approved"
    elif current.status == "approved" and rule_changed:
        # A changed approved rule is a new rule: it waits for a second look (issue 13).
        status = "proposed"
        reason = (f"{reason}; " if reason else "") + "edited after approval: needs approval again"
    if not changes and (status is None or status == current.status):
        expect(current)  # nothing to write, but a stale form is still a conflict
        return
    # One commit under the file lock: the version check, the edit and the status change.
    edit_entry(directory, entry_id, changes, author=author, reason=reason, expect=expect, status=status)


@route("/glossary/entry/{entry_id}/edit", "POST")
async def edit(ctx: Ctx) -> Response:
    entry_id = str(ctx.request.path_params["entry_id"])
    author = ctx.reviewer()
    assert ctx.form is not None
    fields = {k: ctx.field(k) for k in EDITABLE if k in ctx.form}
    await ctx.run(
        _edit,
        ctx.writable_glossary(),
        entry_id,
        ctx.field("version"),
        fields,
        ctx.field("approve") in ("1", "on", "yes"),
        author,
        ctx.field("reason"),
    )
    ctx.web.stores.glossary_changed()
    return ctx.redirect(f"/glossary/entry/{quote(entry_id)}")


def _set_status(directory: Path, entry_id: str, version: str, status: str, author: str, reason: str) -> None:
    _present(directory, entry_id)
    expect = _expecting(entry_id, version, {"status": status})
    set_status(directory, [entry_id], status, author=author, reason=reason, expect=expect)  # type: ignore[arg-type]


@route("/glossary/entry/{entry_id}/status", "POST")
async def change_status(ctx: Ctx) -> Response:
    entry_id = str(ctx.request.path_params["entry_id"])
    author = ctx.reviewer()
    status = ctx.field("status")
    if status not in STATUSES:
        raise GlossaryError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    await ctx.run(
        _set_status, ctx.writable_glossary(), entry_id, ctx.field("version"), status, author, ctx.field("reason")
    )
    ctx.web.stores.glossary_changed()
    back = safe_next(ctx.field("back"), "/glossary")
    return ctx.redirect(back if ctx.field("back") else f"/glossary/entry/{quote(entry_id)}")


def _delete(directory: Path, entry_id: str, version: str, author: str, reason: str) -> None:
    _present(directory, entry_id)
    remove_entries(
        directory, [entry_id], author=author, reason=reason, expect=_expecting(entry_id, version, {"action": "delete"})
    )


@route("/glossary/entry/{entry_id}/delete", "POST")
async def delete(ctx: Ctx) -> Response:
    entry_id = str(ctx.request.path_params["entry_id"])
    author = ctx.reviewer()
    await ctx.run(_delete, ctx.writable_glossary(), entry_id, ctx.field("version"), author, ctx.field("reason"))
    ctx.web.stores.glossary_changed()
    return ctx.redirect("/glossary")


@route("/glossary/export")
async def export(ctx: Ctx) -> Response:
    fmt = ctx.query("format", "tbx")
    if fmt not in EXPORT_TYPES:
        raise GlossaryError(f"format {fmt!r} is not one of {', '.join(EXPORT_TYPES)}")
    entries = await ctx.run(ctx.web.stores.entries)
    data, _lost = await ctx.run(write_entries, entries, fmt)
    media, name = EXPORT_TYPES[fmt]
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@route("/glossary/import", "POST")
async def import_file(ctx: Ctx) -> Response:
    author = ctx.reviewer()
    upload = ctx.upload("file")
    if upload is None or not upload.filename:
        raise GlossaryError("choose a TBX, CSV or TSV file to import")
    data = await upload.read()
    # The upload's name only tells the format (its extension); nothing is opened by it.
    label = Path(upload.filename).name[:200]
    fmt = detect_format(label, ctx.field("format", "auto") or "auto")
    status: Status = "approved" if ctx.field("status") == "approved" else "proposed"
    drafts = await ctx.run(read_entries, data, label, fmt, default_status=status)
    # "Import as" is the reviewer's decision, not a default: another desk's "approved" is not
    # this newsroom's approval, so it never applies on the next clean unless chosen here.
    # A term the file rejects stays rejected.
    drafts = [d if d.status in (status, "rejected") else d.with_changes(status=status) for d in drafts]
    summary = await ctx.run(
        import_entries,
        ctx.writable_glossary(),
        drafts,
        author=author,
        reason=ctx.field("reason") or f"imported from {label}",
        source_name=label,
    )
    ctx.web.stores.glossary_changed()
    return ctx.render("imported.html", label=label, added=summary.added, unchanged=summary.unchanged)
