"""Reading segment gold (``seed_gold.jsonl`` / ``dev/real/gold.jsonl``) with its articles.

One JSON record per annotated segment: ``doc, start, end, source, spans, numbers, terms,
glued, boiler`` and an optional ``reference`` (see ../shared/dev/real/PROVENANCE.md).
Offsets are character offsets into the article text as ``mtrepair clean`` reads it, so
the articles are read through the same ``ingest.read_source`` the CLI uses; a record whose
``source`` does not slice its article exactly is an input error, never silently scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Document

# The gold's item lists and the fields that hold each item's repaired form.
ITEM_FIELDS: dict[str, str] = {"numbers": "fix", "terms": "fix", "glued": "fix"}


@dataclass(frozen=True, slots=True)
class GoldItem:
    """An annotated region and, when the gold gives one, what it should become."""

    start: int
    end: int
    text: str
    fix: str | None
    field: str  # "es", "name", "numbers", "terms", "glued"


@dataclass(frozen=True, slots=True)
class GoldSegment:
    doc: str
    start: int
    end: int
    source: str
    boiler: bool
    es: tuple[GoldItem, ...]
    names: tuple[GoldItem, ...]
    items: tuple[GoldItem, ...]  # numbers, terms and glued words, each with its fix
    reference: str | None

    def fixes(self) -> tuple[GoldItem, ...]:
        """Every gold item that says what the text should be (the oracle's edits)."""
        return tuple(sorted((*self.items, *(s for s in self.es if s.fix is not None)), key=lambda i: i.start))


@dataclass(frozen=True, slots=True)
class GoldSet:
    segments: tuple[GoldSegment, ...]
    documents: Mapping[str, Document]

    def by_doc(self) -> dict[str, list[GoldSegment]]:
        out: dict[str, list[GoldSegment]] = {}
        for seg in self.segments:
            out.setdefault(seg.doc, []).append(seg)
        return out


def _item(raw: Mapping[str, Any], field: str, fix_key: str | None) -> GoldItem:
    fix = raw.get(fix_key) if fix_key else None
    if fix is None and field in ITEM_FIELDS:
        fix = raw.get("canonical")
    return GoldItem(int(raw["start"]), int(raw["end"]), str(raw["text"]), None if fix is None else str(fix), field)


def parse_segment(raw: Mapping[str, Any]) -> GoldSegment:
    spans = raw.get("spans", [])
    es = tuple(_item(s, "es", "fix") for s in spans if s.get("label") == "es")
    names = tuple(_item(s, "name", None) for s in spans if s.get("label") == "name")
    items = tuple(_item(i, field, fix) for field, fix in ITEM_FIELDS.items() for i in raw.get(field, []))
    ref = raw.get("reference")
    return GoldSegment(
        doc=str(raw["doc"]),
        start=int(raw["start"]),
        end=int(raw["end"]),
        source=str(raw["source"]),
        boiler=bool(raw.get("boiler", False)),
        es=es,
        names=names,
        items=tuple(sorted(items, key=lambda i: i.start)),
        reference=str(ref) if ref else None,
    )


def _read_lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file; give the gold JSONL file", path=str(path)) from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield lineno, line


def articles_folder(gold_path: str | Path) -> Path:
    """The folder a gold file's offsets refer to, as its ``gold.articles`` file names it.

    dev/real ships ``gold.articles`` ("articles") beside ``gold.jsonl``; the seed gold
    has none, so its folder must be given.
    """
    gpath = Path(gold_path)
    named = gpath.parent / "gold.articles"
    if not named.is_file():
        raise InputError("no gold.articles beside the gold file; give --articles DIR", path=str(gpath))
    return gpath.parent / named.read_text(encoding="utf-8").strip()


def read_gold(gold_path: str | Path, articles_dir: str | Path | None = None) -> GoldSet:
    """The gold records and the documents they annotate, checked against each other."""
    from ..ingest import Source, read_source

    gpath = Path(gold_path)
    adir = Path(articles_dir) if articles_dir is not None else articles_folder(gpath)
    if not adir.is_dir():
        raise InputError("no such folder; give the folder of the annotated articles", path=str(adir))
    segments: list[GoldSegment] = []
    documents: dict[str, Document] = {}
    for lineno, line in _read_lines(gpath):
        try:
            seg = parse_segment(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"not a gold segment record ({exc})", path=str(gpath), line=lineno) from None
        if seg.doc not in documents:
            article = adir / seg.doc
            if not article.is_file():
                raise InputError(f"article {seg.doc} is not in {adir}", path=str(gpath), line=lineno)
            docs = read_source(Source(str(article), article.name))
            documents[seg.doc] = docs[0]
        text = documents[seg.doc].text
        bad = [i for i in (*seg.es, *seg.names, *seg.items) if text[i.start : i.end] != i.text]
        if text[seg.start : seg.end] != seg.source or bad:
            raise InputError("gold offsets do not slice the article text", path=str(gpath), line=lineno)
        segments.append(seg)
    return GoldSet(tuple(segments), documents)
