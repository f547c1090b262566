"""Reading and writing the glossary TSV: exact header, one entry per line, no quoting.

Fields may not contain tabs or line breaks (the writer refuses them), so a row is
always exactly one line and a reviewer can diff and hand-edit the file.
Reviewer changes replace the file by the commit protocol of ``journal.py`` (temp file in
the same directory, fsync, the hashed history append, os.replace), so a crash or a full
disk never leaves half a glossary behind, nor a history that disagrees with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import GlossaryError
from ..xmlparse import MAX_DOCUMENT_BYTES, MAX_FIELD_CHARS
from .entry import CASES, COLUMNS, KINDS, STATUSES, Case, Entry, Kind, Status

GLOSSARY_FILE = "glossary.tsv"
HISTORY_FILE = "history.jsonl"
LOCK_FILE = ".glossary.lock"


@dataclass(frozen=True, slots=True)
class Row:
    """An entry and the line it came from (1-based; the header is line 1)."""

    line: int
    entry: Entry


def decode(data: bytes, path: str) -> str:
    """UTF-8 (a BOM is tolerated) or a GlossaryError naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GlossaryError(
            f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8", path=path, line=line
        ) from None
    return text.removeprefix("\ufeff")


def parse_tsv(data: bytes, path: str) -> list[Row]:
    """Parse the TSV bytes; structural problems (header, field count, enums) raise here.

    Cross-entry rules (duplicates, conflicts, cycles) live in validate.py.
    """
    text = decode(data, path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise GlossaryError(f"empty file; the first line must be the header: {_header()}", path=path, line=1)
    header = lines[0].rstrip("\r").split("\t")
    _check_header(header, path)
    rows: list[Row] = []
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        longest = max(fields, key=len)
        if len(longest) > MAX_FIELD_CHARS:
            # A term base field of 200 MB was imported whole (issue 12): no glossary cell is
            # anywhere near this; the same limit as every other importer (xmlparse).
            raise GlossaryError(
                f"a field of {len(longest):,} characters is over the limit of {MAX_FIELD_CHARS:,}",
                path=path,
                line=number,
            )
        if len(fields) != len(COLUMNS):
            raise GlossaryError(
                f"expected {len(COLUMNS)} tab-separated fields ({', '.join(COLUMNS)}), found {len(fields)}",
                path=path,
                line=number,
            )
        rows.append(Row(number, _entry(fields, path, number)))
    return rows


def _header() -> str:
    return "\\t".join(COLUMNS)


def _check_header(header: list[str], path: str) -> None:
    if header == list(COLUMNS):
        return
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise GlossaryError(
            f"unknown column {unknown[0]!r}; the header must be exactly: {_header()}", path=path, line=1
        )
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise GlossaryError(
            f"missing column {missing[0]!r}; the header must be exactly: {_header()}", path=path, line=1
        )
    raise GlossaryError(f"columns out of order or repeated; the header must be exactly: {_header()}", path=path, line=1)


def _entry(fields: list[str], path: str, line: int) -> Entry:
    values = dict(zip(COLUMNS, fields, strict=True))
    kind, case, status = values["kind"], values["case"], values["status"]
    if kind not in KINDS:
        raise GlossaryError(f"kind {kind!r} is not one of {', '.join(KINDS)}", path=path, line=line)
    if case not in CASES:
        raise GlossaryError(f"case {case!r} is not one of {', '.join(CASES)}", path=path, line=line)
    if status not in STATUSES:
        raise GlossaryError(f"status {status!r} is not one of {', '.join(STATUSES)}", path=path, line=line)
    k: Kind = kind
    c: Case = case
    s: Status = status
    return Entry(
        id=values["id"],
        source=values["source"],
        target=values["target"],
        kind=k,
        case=c,
        status=s,
        note=values["note"],
        author=values["author"],
        updated=values["updated"],
    )


def render_tsv(entries: list[Entry] | tuple[Entry, ...]) -> bytes:
    """The file bytes for ``entries``, in their order. Raises on a field with a tab or newline."""
    out = ["\t".join(COLUMNS)]
    for entry in entries:
        row = entry.row()
        for column, value in zip(COLUMNS, row, strict=True):
            if any(ch in value for ch in "\t\r\n"):
                raise GlossaryError(f"entry {entry.id!r}: the {column} field contains a tab or line break; remove it")
        out.append("\t".join(row))
    return ("\n".join(out) + "\n").encode("utf-8")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a GlossaryError that says what to do when it is missing."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            # Refused before it is read: a glossary is kilobytes; this is the wrong file.
            raise GlossaryError(
                f"{size:,} bytes is over the limit of {MAX_DOCUMENT_BYTES:,} for a glossary file", path=str(path)
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise GlossaryError(
            "glossary file not found; restore it (e.g. `git checkout -- glossary/glossary.tsv`) "
            "or point --glossary at the directory that holds glossary.tsv",
            path=str(path),
        ) from None
    except IsADirectoryError:
        raise GlossaryError("is a directory, expected the glossary TSV file", path=str(path)) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror}", path=str(path)) from None
