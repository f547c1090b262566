"""Read articles into Documents: txt, Markdown, HTML, JSONL, folders and stdin.

Offsets in every later record refer to ``Document.text``. For plain text and
Markdown that is the file exactly as decoded; for HTML it is the extracted article
text (markup is not article text); for JSONL it is the record's ``text`` field.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Document

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# A NUL byte in the first block is the cheapest reliable sign of a binary file:
# UTF-8 text never contains one. (UTF-16/32 text does, so a BOM is looked for first.)
_BINARY_PROBE = 8192

# Byte-order marks of the encodings we decode besides UTF-8; UTF-32 before UTF-16
# because the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# One article larger than this is no news article (a 50 MB batch file once ran for
# hours and wrote nothing): it is refused with one line unless --max-bytes says otherwise.
MAX_BYTES = 16 * 1024 * 1024

# JSON nested deeper than this is no article record; json.loads would recurse
# until RecursionError (a 100k-deep line crashed the whole run).
_MAX_JSON_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Source:
    """One input named on the command line, expanded: a file, or stdin as ``-``."""

    path: str
    relative: str  # the name the repaired file gets under the output directory


def expand_sources(paths: list[str]) -> Iterator[Source | InputError]:
    """Expand files and folders (recursively, by suffix) in the order given.

    Missing paths and empty folders come back as InputError values, not raised,
    so the caller can report them and go on with the other inputs.
    """
    for raw in paths:
        if raw == "-":
            yield Source("-", "stdin.txt")
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                yield InputError(
                    "folder holds no .txt, .md, .html or .jsonl files; point at the articles themselves",
                    path=raw,
                )
            for p in found:
                yield Source(str(p), str(p.relative_to(path)))
        elif path.is_file():
            yield Source(raw, path.name)
        elif path.exists():
            yield InputError("not a regular file; give a file, a folder or - for stdin", path=raw)
        else:
            yield InputError("no such file or folder; check the path", path=raw)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode UTF-8, or UTF-16/32 with a BOM; refuse binary data with a clear message.

    This is the only place text enters the program, so the text is also normalised
    here, once: Windows line ends become ``\\n`` and the text becomes Unicode NFC (an
    NFD "Zoé", e with a combining accent, must match the glossary's NFC "Zoé").
    Offsets in every report refer to this normalised text.
    """
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:_BINARY_PROBE]:
        raise InputError("looks like a binary file (NUL bytes); give UTF-8 text, Markdown, HTML or JSONL", path=name)
    try:
        text = data.decode(encoding).removeprefix("\ufeff") if encoding else data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        enc = encoding or "UTF-8"
        raise InputError(
            f"invalid {enc} at byte {exc.start}; re-save the file as UTF-8", path=name, line=line
        ) from None
    return normalize_text(text)


def normalize_text(text: str) -> str:
    """Line ends to ``\\n`` and Unicode NFC, as every input gets them (files, JSONL fields, HTML)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def read_source(
    source: Source,
    stdin_bytes: bytes | None = None,
    errors: list[InputError] | None = None,
    max_bytes: int = MAX_BYTES,
) -> list[Document]:
    """Read one source into Documents (JSONL gives one per line). Raises InputError.

    With ``errors``, a bad JSONL line is appended there and the file's other lines
    are still read (one bad record never costs the rest); without it, the first
    bad line raises.
    """
    if source.path == "-":
        data = stdin_bytes if stdin_bytes is not None else _read_stdin()
        suffix = ".txt"
        if len(data) > max_bytes:
            raise _too_large(len(data), max_bytes, source.path)
    else:
        try:
            size = Path(source.path).stat().st_size
            if size > max_bytes and Path(source.path).suffix.lower() not in JSONL_SUFFIXES:
                raise _too_large(size, max_bytes, source.path)
            data = Path(source.path).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=source.path) from None
        suffix = Path(source.path).suffix.lower()
    text = decode_bytes(data, source.path)
    if not text.strip():
        raise InputError("empty file: nothing to repair", path=source.path)
    reader = READERS[FORMAT_BY_SUFFIX.get(suffix, "txt")]
    docs: list[Document] = []
    for item in reader(text, source):
        if isinstance(item, InputError):
            if errors is None:
                raise item
            errors.append(item)
        else:
            docs.append(item)
    return docs


def _read_plain(fmt: str) -> Reader:
    def read(text: str, source: Source) -> Iterator[Document | InputError]:
        yield Document(doc_id=source.relative, text=text, source=source.path, fmt=fmt, title=_first_line_title(text))

    return read


def _read_html(text: str, source: Source) -> Iterator[Document | InputError]:
    yield parse_html(text, source)


def _too_large(size: int, max_bytes: int, path: str, line: int | None = None) -> InputError:
    return InputError(
        f"{size:,} bytes is more than --max-bytes {max_bytes:,} for one article; split it or raise --max-bytes",
        path=path,
        line=line,
    )


def holds_many(source: Source) -> bool:
    """A JSONL file: many articles, read line by line; every other input is one article."""
    return source.path != "-" and Path(source.path).suffix.lower() in JSONL_SUFFIXES


def iter_documents(source: Source, errors: list[InputError], max_bytes: int = MAX_BYTES) -> Iterator[Document]:
    """Documents of one source, one at a time; bad records go to ``errors``.

    A UTF-8 JSONL file is read line by line, so a 100 MB archive never sits in
    memory whole; everything else is read as one file (an article is small).
    Raises InputError for a source that cannot be read at all.
    """
    if holds_many(source):
        yield from _iter_jsonl_file(source, errors, max_bytes)
        return
    yield from read_source(source, errors=errors, max_bytes=max_bytes)


def _iter_jsonl_file(source: Source, errors: list[InputError], max_bytes: int) -> Iterator[Document]:
    path = Path(source.path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=source.path) from None
    with fh:
        head = fh.read(4)
        if any(head.startswith(bom) for bom, _ in _BOMS):
            fh.close()
            yield from read_source(source, errors=errors, max_bytes=max_bytes)  # UTF-16/32: decode whole
            return
        fh.seek(0)
        found = False
        for item in _parse_lines(_decoded_lines(fh, source, max_bytes), source):
            found = True
            if isinstance(item, InputError):
                errors.append(item)
            else:
                yield item
        if not found:
            raise InputError("empty file: nothing to repair", path=source.path)


def _decoded_lines(
    fh: Iterable[bytes], source: Source, max_bytes: int
) -> Iterator[tuple[int, str | InputError]]:
    """A JSONL file's non-blank lines, decoded one by one; a line that cannot be JSON text
    (too large, not UTF-8, a NUL byte) comes as an InputError naming the line."""
    for lineno, raw in enumerate(fh, start=1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield lineno, _too_large(len(raw), max_bytes, source.path, lineno)
        elif b"\x00" in raw:
            yield lineno, InputError("NUL byte in a JSON line; is this a binary file?", path=source.path, line=lineno)
        else:
            try:
                yield lineno, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                message = f"invalid UTF-8 at byte {exc.start} of the line; re-save as UTF-8"
                yield lineno, InputError(message, path=source.path, line=lineno)


def _read_stdin() -> bytes:
    import sys

    return sys.stdin.buffer.read()


def _first_line_title(text: str) -> str | None:
    """A short first line followed by a blank line is the headline (every seed has one)."""
    first, sep, rest = text.lstrip("\n").partition("\n")
    if sep and rest.startswith("\n") and 0 < len(first.strip()) <= 200:
        return first.strip()
    return None


def parse_jsonl(text: str, source: Source) -> Iterator[Document | InputError]:
    """One article per line: ``text`` required; ``id``, ``title``, ``date``, ``url`` optional.

    A bad line comes back as an InputError value naming the file and line, and the
    lines after it are still read.
    """
    return _parse_lines(enumerate(text.split("\n"), start=1), source)


def _parse_lines(lines: Iterable[tuple[int, str | InputError]], source: Source) -> Iterator[Document | InputError]:
    """Numbered JSONL lines to Documents; a bad line becomes an InputError naming its line."""
    stem = Path(source.relative).stem
    for lineno, line in lines:
        if isinstance(line, InputError):
            yield line
        elif line.strip():
            try:
                yield _jsonl_document(line, source, f"{stem}:{lineno}")
            except InputError as exc:
                yield InputError(exc.message, path=source.path, line=lineno)


def _json_depth_ok(line: str) -> bool:
    """Bracket depth outside strings stays under the limit (checked before json.loads recurses)."""
    depth = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > _MAX_JSON_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _jsonl_document(line: str, source: Source, default_id: str) -> Document:
    if not _json_depth_ok(line):
        raise InputError(f"JSON nested deeper than {_MAX_JSON_DEPTH} levels; one flat object per line")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg}); one JSON object per line") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise InputError(f"not usable JSON ({exc}); one JSON object per line") from None
    if not isinstance(record, dict):
        raise InputError('each line needs a "text" string field')
    return document_from_record(record, source.path, default_id)


def document_from_record(record: Mapping[str, Any], source_path: str, default_id: str) -> Document:
    """A Document from one archive record (a JSONL line, a Parquet row): the same checks for both.

    ``text`` must be a string; ``id`` a string or a number; ``title``, ``date``, ``url``
    strings when present. Raises InputError without a path; the caller adds where.
    """
    if not isinstance(record.get("text"), str):
        raise InputError('each line needs a "text" string field')
    raw_id = record.get("id")
    if raw_id is None and "id" not in record:
        raw_id = default_id
    elif raw_id is None or isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, float)):
        raise InputError('"id" must be a string or a number')
    fields: dict[str, str | None] = {"text": record["text"], "id": str(raw_id)}
    for key in ("title", "date", "url"):
        value = record.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise InputError(f'"{key}" must be a string')
        fields[key] = None if value is None else str(value)
    for key, value in fields.items():
        if value is not None and not _encodable(value):
            raise InputError(f'"{key}" holds a lone surrogate (\\ud800-\\udfff), which is not text; fix the record')
    text = normalize_text(record["text"])
    if not text.strip():
        raise InputError('"text" is empty: nothing to repair')
    return Document(
        doc_id=str(fields["id"]),
        text=text,
        source=source_path,
        fmt="jsonl",
        title=fields["title"],
        date=fields["date"],
        url=fields["url"],
    )


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


Reader = Callable[[str, "Source"], Iterator[Document | InputError]]

# One reader per input format (a newsroom format is one entry here, not another branch).
READERS: dict[str, Reader] = {
    "txt": _read_plain("txt"),
    "md": _read_plain("md"),
    "html": _read_html,
    "jsonl": parse_jsonl,
}
FORMAT_BY_SUFFIX: dict[str, str] = {
    **dict.fromkeys(TEXT_SUFFIXES, "txt"),
    **dict.fromkeys(MARKDOWN_SUFFIXES, "md"),
    **dict.fromkeys(HTML_SUFFIXES, "html"),
    **dict.fromkeys(JSONL_SUFFIXES, "jsonl"),
}


def parse_html(html: str, source: Source) -> Document:
    """An HTML page: its article text extracted with lxml, and the page kept for writing back.

    ``htmldoc.read_page`` decides what is article text (block elements inside the page's
    article, not scripts, styles or the site's nav/aside/footer) and keeps the map from
    that text to the page's text nodes, so ``clean`` writes the page back with its markup.
    """
    from .htmldoc import PageError, page_metadata, read_page

    try:
        page = read_page(html)
    except PageError as exc:
        raise InputError(str(exc), path=source.path) from None
    meta = page_metadata(page)
    return Document(
        doc_id=source.relative,
        text=page.text,
        source=source.path,
        fmt="html",
        title=meta["title"],
        date=meta["date"],
        url=meta["url"],
        markup=html,
    )
