"""Read articles into Documents: txt, Markdown, HTML, JSONL, folders and stdin.

Offsets in every later record refer to ``Document.text``. For plain text and
Markdown that is the file exactly as decoded; for HTML it is the extracted main
text (markup is not article text); for JSONL it is the record's ``text`` field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .model import Document

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# A NUL byte in the first block is the cheapest reliable sign of a binary file:
# UTF-8 text (the only encoding we accept) never contains one.
_BINARY_PROBE = 8192


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
    """Decode UTF-8 (a BOM is dropped), refusing binary data with a clear message."""
    if b"\x00" in data[:_BINARY_PROBE]:
        raise InputError("looks like a binary file (NUL bytes); give UTF-8 text, Markdown, HTML or JSONL", path=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"invalid UTF-8 at byte {exc.start}; re-save the file as UTF-8", path=name, line=line
        ) from None
    # Windows line ends would make every offset differ from what an editor shows
    # after a save; normalise once here, the only place text enters the program.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(source: Source, stdin_bytes: bytes | None = None) -> list[Document]:
    """Read one source into Documents (JSONL gives one per line). Raises InputError."""
    if source.path == "-":
        data = stdin_bytes if stdin_bytes is not None else _read_stdin()
        suffix = ".txt"
    else:
        try:
            data = Path(source.path).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=source.path) from None
        suffix = Path(source.path).suffix.lower()
    text = decode_bytes(data, source.path)
    if not text.strip():
        raise InputError("empty file: nothing to repair", path=source.path)
    if suffix in JSONL_SUFFIXES:
        return list(parse_jsonl(text, source))
    if suffix in HTML_SUFFIXES:
        return [parse_html(text, source)]
    fmt = "md" if suffix in MARKDOWN_SUFFIXES else "txt"
    return [Document(doc_id=source.relative, text=text, source=source.path, fmt=fmt, title=_first_line_title(text))]


def _read_stdin() -> bytes:
    import sys

    return sys.stdin.buffer.read()


def _first_line_title(text: str) -> str | None:
    """A short first line followed by a blank line is the headline (every seed has one)."""
    first, sep, rest = text.lstrip("\n").partition("\n")
    if sep and rest.startswith("\n") and 0 < len(first.strip()) <= 200:
        return first.strip()
    return None


def parse_jsonl(text: str, source: Source) -> Iterator[Document]:
    """One article per line: ``text`` required; ``id``, ``title``, ``date``, ``url`` optional."""
    stem = Path(source.relative).stem
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON ({exc.msg}); one JSON object per line", path=source.path, line=lineno
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError('each line needs a "text" string field', path=source.path, line=lineno)
        doc_id = str(record.get("id", f"{stem}:{lineno}"))
        yield Document(
            doc_id=doc_id,
            text=record["text"],
            source=source.path,
            fmt="jsonl",
            title=_optional_str(record.get("title")),
            date=_optional_str(record.get("date")),
            url=_optional_str(record.get("url")),
        )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def parse_html(html: str, source: Source) -> Document:
    """Main text of a web page with trafilatura; scripts, styles and navigation never reach us."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    meta = trafilatura.extract_metadata(html)
    if not text or not text.strip():
        text = _html_body_text(html)
    if not text.strip():
        raise InputError("HTML page has no readable text", path=source.path)
    # Paragraphs are separated by a blank line, as in the plain-text seeds, so that
    # boilerplate detection and segmentation see the same shape for every format.
    body = "\n\n".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"
    return Document(
        doc_id=source.relative,
        text=body,
        source=source.path,
        fmt="html",
        title=getattr(meta, "title", None) if meta else None,
        date=getattr(meta, "date", None) if meta else None,
        url=getattr(meta, "url", None) if meta else None,
    )


def _html_body_text(html: str) -> str:
    """Fallback for pages trafilatura finds no article in: all visible text, no script/style."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises several types on garbage; all mean "no text"
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in root.iter("p", "h1", "h2", "h3", "li")]
    if not any(blocks):
        blocks = [" ".join(root.text_content().split())]
    return "\n".join(b for b in blocks if b)
