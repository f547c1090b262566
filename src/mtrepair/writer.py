"""Render repaired documents for output files and terminals."""

from __future__ import annotations

import difflib
import html
import json
import sys
from collections.abc import Callable, Sequence

from .model import RepairResult
from .terminal import safe_for_terminal


def render_document(results: Sequence[RepairResult]) -> str:
    """The text written for one input file: its documents in their own format."""
    if not results:
        return ""
    return RENDERERS.get(results[0].document.fmt, _render_plain)(results)


def _render_plain(results: Sequence[RepairResult]) -> str:
    return "".join(r.text for r in results)


def _render_jsonl(results: Sequence[RepairResult]) -> str:
    rows = []
    for r in results:
        d = r.document
        record = {"id": d.doc_id, "text": r.text, "title": d.title, "date": d.date, "url": d.url}
        rows.append(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False))
    return "".join(row + "\n" for row in rows)


def _render_html(results: Sequence[RepairResult]) -> str:
    return "".join(render_html(r) for r in results)


def render_html(result: RepairResult) -> str:
    """The article's own page with the repairs in its text nodes (htmldoc.render_page):
    links, headings, figures and attributes as they were."""
    if result.document.markup is not None:
        from .htmldoc import render_page

        try:
            return render_page(result.document, result.edits)
        except ValueError:
            # The page no longer yields the document's text (a Document built by hand with
            # other text): the repaired text still reaches the user, as a page of its own,
            # rather than one article stopping a whole run.
            pass
    return render_text_page(result)


def render_text_page(result: RepairResult) -> str:
    """A minimal, escaped HTML page for a document that has no page of its own: article text is untrusted."""
    d = result.document
    title = html.escape(d.title or d.doc_id)
    paragraphs = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in result.text.split("\n") if p.strip())
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n{paragraphs}\n</body>\n</html>\n"
    )


# One renderer per output format, the same names as ingest.READERS.
RENDERERS: dict[str, Callable[[Sequence[RepairResult]], str]] = {
    "txt": _render_plain,
    "md": _render_plain,
    "html": _render_html,
    "jsonl": _render_jsonl,
}


def unified_diff(result: RepairResult) -> list[str]:
    name = result.document.doc_id
    return list(
        difflib.unified_diff(
            result.document.text.splitlines(keepends=True),
            result.text.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )


def print_diff(result: RepairResult) -> None:
    """Coloured unified diff on stdout (colour only when stdout is a terminal)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    styles = {"+": "green", "-": "red", "@": "cyan"}
    for line in unified_diff(result):
        body = safe_for_terminal(line.rstrip("\n"))
        style = "bold" if line.startswith(("+++", "---")) else styles.get(line[:1], "")
        console.print(Text(body, style=style))
