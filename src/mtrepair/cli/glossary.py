"""``mtrepair glossary …``: the reviewer commands (mounted by mtrepair.cli as a sub-app).

Thin: each command parses its options, calls one function of ``review``/``load``/
``formats`` and prints. Errors are GlossaryError; the group (``conventions``) turns them
into one ``mtrepair: error: …`` line and exit status 1. Only typer is imported here at
start-up.

The folder is ``glossary.location.resolve_glossary``'s choice (``--glossary``, then
``MTREPAIR_GLOSSARY``, ``mtrepair.toml``, ``./glossary``, the shipped default); commands that
change the glossary refuse the shipped read-only copy.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import GlossaryError
from .conventions import ConventionGroup
from .options import AuthorAlias, Json, Reviewer, check_engine, glossary_location, pick
from .output import status as say

app = typer.Typer(
    name="glossary",
    help=(
        "Review the glossary (terms, variants, names to keep): list, change, approve, import, export. "
        "Every change is recorded in history.jsonl beside glossary.tsv.\n\n"
        "Example: mtrepair glossary add IMSS-Wellness IMSS-Bienestar --kind variant --note 'seed 004'"
    ),
    cls=ConventionGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

GlossaryDir = Annotated[
    Path | None,
    typer.Option(
        "--glossary",
        "-g",
        help="Glossary folder (glossary.tsv and history.jsonl). Default: $MTREPAIR_GLOSSARY, mtrepair.toml, "
        "./glossary, then the shipped read-only glossary; `mtrepair glossary where` says which.",
    ),
]
Reason = Annotated[str, typer.Option("--reason", "-r", help="Why; recorded in the history.")]
Ids = Annotated[list[str], typer.Argument(help="Entry ids.", show_default=False)]
DEFAULT_DIR: Path | None = None


def _read(glossary: Path | None) -> Path:
    """The folder to read."""
    return glossary_location(glossary).path


def _write(glossary: Path | None) -> Path:
    """The folder to change; the shipped default is refused (a pip upgrade would lose the edits)."""
    from ..glossary.location import require_writable

    return require_writable(glossary_location(glossary))


def _author(reviewer: str | None, author: str | None = None) -> str:
    """``--reviewer`` (or its old name ``--author``), else the login name."""
    chosen = pick(reviewer, author, "--reviewer", "--author")
    if chosen and chosen.strip():
        return chosen.strip()
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name (a container without a passwd entry): still record something.
        return "unknown"


def _line(entry: object) -> str:
    from ..glossary.entry import Entry

    assert isinstance(entry, Entry)
    arrow = f" → {entry.target}" if entry.kind != "keep" else ""
    return f"{entry.id:<34} {entry.kind:<7} {entry.status:<8} {entry.source}{arrow}"


@app.command("list")
def list_entries(
    glossary: GlossaryDir = DEFAULT_DIR,
    status: Annotated[list[str] | None, typer.Option("--status", "-s", help="Only these statuses (repeat).")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="Only these kinds (repeat).")] = None,
    tsv: Annotated[bool, typer.Option("--tsv", help="Print the raw TSV rows.")] = False,
    as_json: Json = False,
) -> None:
    """List entries: id, kind, status, source → target.

    Example: mtrepair glossary list --status proposed --kind variant
    """
    import json

    from ..glossary.entry import COLUMNS
    from ..glossary.review import current_entries

    entries = [
        e
        for e in current_entries(_read(glossary))
        if (not status or e.status in status) and (not kind or e.kind in kind)
    ]
    if as_json:
        typer.echo(json.dumps([dict(zip(COLUMNS, e.row(), strict=True)) for e in entries], ensure_ascii=False))
        return
    for e in entries:
        typer.echo("\t".join(e.row()) if tsv else _line(e))


@app.command()
def show(entry_id: Annotated[str, typer.Argument(help="Entry id.")], glossary: GlossaryDir = DEFAULT_DIR) -> None:
    """Show every field of one entry and its history.

    Example: mtrepair glossary show imss-wellbeing
    """
    from ..glossary.entry import COLUMNS
    from ..glossary.review import current_entries, read_history

    folder = _read(glossary)
    entry = next((e for e in current_entries(folder) if e.id == entry_id), None)
    if entry is None:
        raise GlossaryError(f"no entry with id {entry_id!r}; see `mtrepair glossary search`", path=str(folder))
    for column in COLUMNS:
        typer.echo(f"{column:<8} {getattr(entry, column)}")
    for record in read_history(folder, entry_id):
        typer.echo(_history_line(record))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Text to look for (any case) in id, source, target and note.")],
    glossary: GlossaryDir = DEFAULT_DIR,
) -> None:
    """Find entries whose id, source, target or note contains QUERY.

    Example: mtrepair glossary search bienestar
    """
    from ..glossary.review import current_entries

    needle = query.casefold()
    for e in current_entries(_read(glossary)):
        if any(needle in field.casefold() for field in (e.id, e.source, e.target, e.note)):
            typer.echo(_line(e))


@app.command()
def where(glossary: GlossaryDir = DEFAULT_DIR) -> None:
    """Print the glossary folder commands use, and where that choice came from: --glossary,
    MTREPAIR_GLOSSARY, mtrepair.toml (with its path), ./glossary or the shipped default.

    Example: MTREPAIR_GLOSSARY=~/newsroom/glossary mtrepair glossary where
    """
    typer.echo(glossary_location(glossary).describe())


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to copy the shipped glossary into (created if needed).")],
) -> None:
    """Copy the glossary shipped with mtrepair into FOLDER, to review and extend it there
    (the shipped copy is read-only); then pass --glossary FOLDER or set MTREPAIR_GLOSSARY.

    Example: mtrepair glossary init ~/newsroom/glossary && export MTREPAIR_GLOSSARY=~/newsroom/glossary
    """
    from ..glossary.location import ENV_VAR, init_glossary

    written = init_glossary(folder)
    say(f"copied {len(written)} file(s) into {folder}; use it with --glossary {folder} or {ENV_VAR}={folder}")


@app.command()
def add(
    source: Annotated[str, typer.Argument(help="The text to match.")],
    target: Annotated[str, typer.Argument(help="What it becomes (empty for a keep entry).")] = "",
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="term (Spanish → English), variant, keep, or family (a Spanish name word → its "
            "renderings A|B|C, e.g. Bienestar 'Well-being|Wellness|Welfare').",
        ),
    ] = "term",
    case: Annotated[
        str | None,
        typer.Option("--case", help="sensitive or insensitive (default: insensitive for terms and families)."),
    ] = None,
    status: Annotated[str, typer.Option("--status", help="proposed, approved or rejected.")] = "proposed",
    note: Annotated[str | None, typer.Option("--note", help="Why the entry exists (cite the article).")] = None,
    note_alias: Annotated[str | None, typer.Option("-n", hidden=True, help="Old short name of --note.")] = None,
    entry_id: Annotated[str | None, typer.Option("--id", help="Entry id (default: made from the source).")] = None,
    glossary: GlossaryDir = DEFAULT_DIR,
    reviewer: Reviewer = None,
    author: AuthorAlias = None,
    reason: Reason = "",
) -> None:
    """Add an entry; it is proposed until someone approves it.

    Example: mtrepair glossary add derechohabientes beneficiaries --kind term --note "seed 003"
    """
    from ..glossary.review import add_entry

    chosen_case = case or ("insensitive" if kind in ("term", "family") else "sensitive")
    entry = add_entry(
        _write(glossary),
        source=source,
        target=target,
        kind=kind,
        case=chosen_case,
        status=status,
        note=pick(note, note_alias, "--note", "-n") or "",
        entry_id=entry_id,
        author=_author(reviewer, author),
        reason=reason,
    )
    typer.echo(f"added {_line(entry)}")


@app.command()
def edit(
    entry_id: Annotated[str, typer.Argument(help="Entry id.")],
    source: Annotated[str | None, typer.Option("--source", help="New source text.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="New target text.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="New kind.")] = None,
    case: Annotated[str | None, typer.Option("--case", help="New case rule.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="New note.")] = None,
    glossary: GlossaryDir = DEFAULT_DIR,
    reviewer: Reviewer = None,
    author: AuthorAlias = None,
    reason: Reason = "",
) -> None:
    """Change fields of an entry (its status stays; use approve/reject for that).

    Example: mtrepair glossary edit camas --target beds --reason "plural"
    """
    from ..glossary.review import edit_entry

    changes = {
        k: v
        for k, v in (("source", source), ("target", target), ("kind", kind), ("case", case), ("note", note))
        if v is not None
    }
    before, after = edit_entry(_write(glossary), entry_id, changes, author=_author(reviewer, author), reason=reason)
    typer.echo(f"edited {_line(after)}" if before != after else f"unchanged {_line(after)}")


def _set(ids: list[str], status: str, glossary: Path | None, author: str, reason: str) -> None:
    from ..glossary.review import set_status

    changes = set_status(_write(glossary), ids, status, author=author, reason=reason)  # type: ignore[arg-type]
    for change in changes:
        typer.echo(f"{change.action} {change.id}")
    if not changes:
        typer.echo(f"nothing to do: already {status}")


@app.command()
def approve(
    ids: Ids,
    glossary: GlossaryDir = DEFAULT_DIR,
    reviewer: Reviewer = None,
    author: AuthorAlias = None,
    reason: Reason = "",
) -> None:
    """Approve entries: from now on `mtrepair clean` applies them.

    Example: mtrepair glossary approve imss-wellbeing camas --reason "checked against seed 001"
    """
    _set(ids, "approved", glossary, _author(reviewer, author), reason)


@app.command()
def reject(
    ids: Ids,
    glossary: GlossaryDir = DEFAULT_DIR,
    reviewer: Reviewer = None,
    author: AuthorAlias = None,
    reason: Reason = "",
) -> None:
    """Reject entries: they stay in the file, marked, and are never applied.

    Example: mtrepair glossary reject clausura --reason "means shutdown in Profeco news"
    """
    _set(ids, "rejected", glossary, _author(reviewer, author), reason)


@app.command()
def rm(
    ids: Ids,
    glossary: GlossaryDir = DEFAULT_DIR,
    reviewer: Reviewer = None,
    author: AuthorAlias = None,
    reason: Reason = "",
) -> None:
    """Remove entries from the glossary (their last content stays in the history).

    Example: mtrepair glossary rm typo-entry --reason "duplicate of camas"
    """
    from ..glossary.review import remove_entries

    for change in remove_entries(_write(glossary), ids, author=_author(reviewer, author), reason=reason):
        typer.echo(f"removed {change.id}")


@app.command()
def validate(glossary: GlossaryDir = DEFAULT_DIR) -> None:
    """Check the whole glossary and list every problem with its line (exit 1 if any).

    Example: mtrepair glossary validate --glossary glossary
    """
    from collections import Counter

    from ..glossary.load import glossary_file
    from ..glossary.tsvfile import parse_tsv, read_bytes
    from ..glossary.validate import find_problems

    tsv = glossary_file(_read(glossary))
    rows = parse_tsv(read_bytes(tsv), str(tsv))
    problems = find_problems(rows)
    for p in problems[1:]:
        typer.echo(f"{tsv}:{p.line}: {p.message}", err=True)
    if problems:
        raise GlossaryError(problems[0].message, path=str(tsv), line=problems[0].line)
    counts = Counter(r.entry.status for r in rows)
    typer.echo(
        f"ok: {len(rows)} entries ({counts['approved']} approved, {counts['proposed']} proposed, "
        f"{counts['rejected']} rejected)"
    )


@app.command()
def explain(
    entry_id: Annotated[str, typer.Argument(help="Entry id.")],
    file: Annotated[Path, typer.Argument(help="A UTF-8 text file (one article), or - for standard input.")],
    glossary: GlossaryDir = DEFAULT_DIR,
    engine: Annotated[
        str, typer.Option("--engine", callback=check_engine, help="Translation engine for es spans (as for clean).")
    ] = "none",
) -> None:
    """Where an entry applied in a text (offsets, the form that matched) and why not elsewhere.

    Example: mtrepair glossary explain imss-bienestar article.txt
    """
    from ..glossary.explain import explain as run
    from ..glossary.explain import render

    folder = _read(glossary)
    if str(file) == "-":
        text = sys.stdin.read()
    else:
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise GlossaryError("file not found", path=str(file)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise GlossaryError(f"cannot read the text: {exc}", path=str(file)) from None
    for line in render(run(folder, entry_id, text, doc_id=file.name, engine=engine)):
        typer.echo(line)


def _history_line(record: dict[str, object]) -> str:
    before, after = record.get("before"), record.get("after")
    what = ""
    if isinstance(before, dict) and isinstance(after, dict):
        diff = [
            f"{k}: {before.get(k)!r} → {after.get(k)!r}"
            for k in after
            if k not in ("author", "updated") and before.get(k) != after.get(k)
        ]
        what = "; ".join(diff)
    elif isinstance(after, dict):
        what = f"{after.get('source')!r} → {after.get('target')!r} ({after.get('kind')}, {after.get('status')})"
    reason = f" [{record.get('reason')}]" if record.get("reason") else ""
    return f"{record.get('time')} {record.get('author')} {record.get('action')} {record.get('id')}: {what}{reason}"


@app.command()
def history(
    entry_id: Annotated[str | None, typer.Argument(help="Only this entry.")] = None,
    glossary: GlossaryDir = DEFAULT_DIR,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Only the last N changes (0: all).")] = 0,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print the raw JSON lines.")] = False,
    as_json: Json = False,
) -> None:
    """Show who changed what, when and why (oldest first).

    Example: mtrepair glossary history imss-wellbeing --limit 5
    """
    import json

    from ..glossary.review import read_history

    records = read_history(_read(glossary), entry_id)
    shown = records[-limit:] if limit > 0 else records
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False))
        return
    for record in shown:
        typer.echo(json.dumps(record, ensure_ascii=False) if jsonl else _history_line(record))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="TBX (v3 or v2), CSV, OmegaT .txt/.utf8, or glossary TSV.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="auto (by extension), tbx (TBX-Basic v3), tbx2 (TBX v2 martif), csv, omegat, tsv."
        ),
    ] = "auto",
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help="Status of entries the file gives none (TBX without administrativeStatus, "
            "OmegaT, CSV without a status column).",
        ),
    ] = "proposed",
    propose: Annotated[
        bool, typer.Option("--propose", help="Import every entry as proposed, whatever the file says.")
    ] = False,
    glossary: GlossaryDir = DEFAULT_DIR,
    reviewer: Reviewer = None,
    author: AuthorAlias = None,
    reason: Reason = "",
) -> None:
    """Import entries; the ones already in the glossary are left alone.

    Example: mtrepair glossary import terms.tbx --reason "IMSS style guide 2024"
    """
    from ..glossary.entry import STATUSES
    from ..glossary.formats import detect_format, read_entries
    from ..glossary.review import import_entries
    from ..glossary.tsvfile import read_bytes

    if status not in STATUSES:
        raise GlossaryError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    folder = _write(glossary)
    who = _author(reviewer, author)
    chosen = detect_format(str(file), fmt)
    drafts = read_entries(read_bytes(file), str(file), chosen, default_status=status)
    if propose:
        drafts = [d.with_changes(status="proposed") for d in drafts]
    summary = import_entries(folder, drafts, author=who, reason=reason, source_name=str(file))
    typer.echo(f"imported {summary.added} entries from {file} ({chosen}); {summary.unchanged} already there")


@app.command()
def export(
    file: Annotated[str | None, typer.Argument(hidden=True, help="Old form of -o FILE.", show_default=False)] = None,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Output file, or - for standard output.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="auto (by extension), tbx (TBX-Basic v3), tbx2 (TBX v2 martif), csv, omegat, tsv."
        ),
    ] = "auto",
    status: Annotated[
        list[str] | None,
        typer.Option("--status", "-s", help="Only these statuses (default: all; approved only for omegat)."),
    ] = None,
    glossary: GlossaryDir = DEFAULT_DIR,
) -> None:
    """Export the glossary as TBX-Basic v3, TBX v2 (martif, for translate-toolkit), CSV, OmegaT glossary or TSV.

    Example: mtrepair glossary export -o glossary.tbx --status approved

    Example: mtrepair glossary export -o - --format csv | head -3
    """
    import hashlib

    from ..atomic import write_atomic
    from ..glossary.formats import detect_format, write_entries
    from ..glossary.load import glossary_file, read_rows

    target_name = pick(output, file, "-o/--output", "FILE")
    if target_name is None:
        raise GlossaryError("give the output file with -o FILE (or -o - with --format for standard output)")
    if target_name == "-" and fmt == "auto":
        raise GlossaryError("writing to standard output: pass --format (tbx, tbx2, csv, omegat, tsv)")
    chosen = detect_format(target_name, fmt)
    target = Path(target_name)
    if target_name != "-" and not target.parent.is_dir():
        raise GlossaryError("the output directory does not exist", path=str(target.parent))
    wanted = set(status or (["approved"] if chosen == "omegat" else ["proposed", "approved", "rejected"]))
    tsv = glossary_file(_read(glossary))
    data, rows = read_rows(tsv)
    entries = [r.entry for r in rows if r.entry.status in wanted]
    description = f"mtrepair glossary {tsv} sha256:{hashlib.sha256(data).hexdigest()}"
    out, skipped = write_entries(entries, chosen, description=description)
    write_atomic(target, out)  # `-` is stdout; a FIFO or device is written through
    if skipped:
        say(f"left out {skipped} variant entries: {chosen} holds Spanish → English entries only")
    if target_name != "-":
        typer.echo(f"exported {len(entries) - skipped} entries to {target_name} ({chosen})")


def main() -> None:
    """``python -m mtrepair.cli.glossary``: the sub-app alone, with the same conventions."""
    app(prog_name="mtrepair glossary")


if __name__ == "__main__":
    main()
