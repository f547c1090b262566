"""CSV and OmegaT glossary import and export.

CSV: a header row, then one entry per row; the columns are those of glossary.tsv (any
order). Only ``source`` is required; ``kind`` defaults to ``term``, ``case`` to
``insensitive`` for terms and ``sensitive`` otherwise, ``status`` to the import status.

OmegaT: its tab-separated glossary (``.txt``/``.utf8``, UTF-8): ``source<TAB>target``
with an optional third column, the comment; lines starting with ``#`` are comments.
OmegaT glossaries map source-language (Spanish) terms to the target language, so export
writes term and keep entries (a keep entry as ``source<TAB>source``) and leaves variants
out; import makes a keep entry where the target equals the source, a term otherwise.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..csvcell import escape_cell, unescape_cell
from ..errors import GlossaryError
from ..xmlparse import MAX_FIELD_CHARS
from .entry import CASES, COLUMNS, KINDS, STATUSES, Case, Entry, Kind, Status
from .tsvfile import decode


def _case_for(kind: str) -> Case:
    return "insensitive" if kind in ("term", "family") else "sensitive"


def read_csv(data: bytes, path: str, *, default_status: Status = "proposed") -> list[Entry]:
    text = decode(data, path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise GlossaryError(
            "empty CSV; the first row must name the columns (at least 'source')", path=path, line=1
        ) from None
    except csv.Error as exc:
        raise GlossaryError(f"malformed CSV: {exc}", path=path, line=1) from None
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in COLUMNS]
    if unknown:
        raise GlossaryError(f"unknown column {unknown[0]!r}; columns are {', '.join(COLUMNS)}", path=path, line=1)
    if "source" not in names:
        raise GlossaryError("the header has no 'source' column", path=path, line=1)
    entries: list[Entry] = []
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(names):
                raise GlossaryError(f"expected {len(names)} fields, found {len(fields)}", path=path, line=line)
            values = {k: unescape_cell(v.strip()) for k, v in zip(names, fields, strict=True)}
            entries.append(_from_values(values, path, line, default_status))
    except csv.Error as exc:
        raise GlossaryError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None
    return entries


def _from_values(values: dict[str, str], path: str, line: int, default_status: Status) -> Entry:
    kind = values.get("kind") or "term"
    status = values.get("status") or default_status
    case = values.get("case") or _case_for(kind)
    for column, value, allowed in (("kind", kind, KINDS), ("case", case, CASES), ("status", status, STATUSES)):
        if value not in allowed:
            raise GlossaryError(f"{column} {value!r} is not one of {', '.join(allowed)}", path=path, line=line)
    if not values.get("source"):
        raise GlossaryError("empty source", path=path, line=line)
    k: Kind = kind  # type: ignore[assignment]
    c: Case = case  # type: ignore[assignment]
    s: Status = status  # type: ignore[assignment]
    return Entry(
        id=values.get("id", ""),
        source=values["source"],
        target=values.get("target", ""),
        kind=k,
        case=c,
        status=s,
        note=" ".join(values.get("note", "").split()),
        author=values.get("author", ""),
        updated=values.get("updated", ""),
    )


def write_csv(entries: Iterable[Entry]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([escape_cell(v) for v in entry.row()])
    return buf.getvalue().encode("utf-8")


def read_omegat(data: bytes, path: str, *, default_status: Status = "proposed") -> list[Entry]:
    text = decode(data, path)
    entries: list[Entry] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if any(len(f) > MAX_FIELD_CHARS for f in fields):
            # The same bound as a TBX field (issue 12: a 200 MB term-base field was imported whole).
            raise GlossaryError(
                f"refused: a field is longer than {MAX_FIELD_CHARS:,} characters", path=path, line=number
            )
        if len(fields) < 2 or not fields[0] or not fields[1]:
            raise GlossaryError("an OmegaT glossary line is 'source<TAB>target[<TAB>comment]'", path=path, line=number)
        source, target = fields[0], fields[1]
        kind: Kind = "keep" if source == target else "term"
        entries.append(
            Entry(
                id="",
                source=source,
                target="" if kind == "keep" else target,
                kind=kind,
                case=_case_for(kind),
                status=default_status,
                note=" ".join(" ".join(fields[2:]).split()),
            )
        )
    return entries


def write_omegat(entries: Iterable[Entry]) -> tuple[bytes, int]:
    """The OmegaT glossary text and how many variant and family entries it had to leave out."""
    lines = ["# mtrepair glossary: Spanish term<TAB>English<TAB>comment"]
    skipped = 0
    for entry in entries:
        if entry.kind in ("variant", "family"):
            skipped += 1
            continue
        comment = entry.note if entry.kind == "term" else f"keep as is. {entry.note}".strip()
        lines.append("\t".join((entry.source, entry.output, comment)))
    return ("\n".join(lines) + "\n").encode("utf-8"), skipped
