"""RepairResult records → rows of the store's tables (plain Python, no polars).

The repaired text of a segment is the original segment with the edits inside it
applied. An edit belongs to the segment its start lies in; one that runs past
the segment's end is applied whole there and removed from the next segment (a
whitespace edit may straddle a sentence boundary, seed 001: "personnel. . The
same"), so the repaired segments joined with their gaps give the repaired text.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import CorpusError
from ..model import Edit, RepairResult, Segment, SpanTranslation, apply_edits
from .pairid import pair_id
from .schema import DOCUMENTS, EDITS, NAME, SEGMENTS, SPANS, TABLES, UNTRANSLATED

_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def content_hash(text: str) -> str:
    """The identity of an article: the same original text is the same document."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def parse_day(value: str | None) -> date | None:
    """A calendar day from ``value`` when it starts with YYYY-MM-DD (seed 002: "date 2022-02-27")."""
    if not value:
        return None
    m = _ISO_DAY.match(value)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


class BoundaryMap:
    """Maps a boundary offset in the original text to the repaired text."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._edits = sorted((e for e in edits if e.applied), key=lambda e: (e.start, e.end))
        self._starts = [e.start for e in self._edits]
        self._delta = [0]
        for e in self._edits:
            self._delta.append(self._delta[-1] + len(e.after) - (e.end - e.start))

    def __call__(self, pos: int) -> int:
        k = bisect_left(self._starts, pos)  # edits[:k] start strictly before pos
        if k and self._edits[k - 1].end > pos:
            # pos is inside an edit: the edit belongs to the text before pos.
            e = self._edits[k - 1]
            return e.start + self._delta[k - 1] + len(e.after)
        return pos + self._delta[k]


@dataclass
class RowBuffer:
    """Column lists for one table, flushed to a Parquet part when large enough."""

    table: str
    columns: dict[str, list[Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.columns = {name: [] for name in TABLES[self.table]}

    def __len__(self) -> int:
        return len(self.columns["rev"])

    def append(self, **row: Any) -> None:
        for name, values in self.columns.items():
            values.append(row[name])

    def take(self) -> dict[str, list[Any]]:
        out = self.columns
        self.__post_init__()
        return out


def line_segments(result: RepairResult) -> tuple[Segment, ...]:
    """Non-empty lines, for a result built without sentence segments."""
    out: list[Segment] = []
    pos = 0
    text = result.document.text
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + (len(body) - len(body.lstrip()))
            out.append(Segment(result.document.doc_id, start, start + len(stripped), stripped))
        pos += len(line)
    return tuple(out)


def _translation_for(
    translations: dict[tuple[int, int], SpanTranslation], start: int, end: int
) -> SpanTranslation | None:
    return translations.pop((start, end), None)


def tabulate_result(
    result: RepairResult, rev: int, added: datetime, buffers: dict[str, RowBuffer]
) -> tuple[str, int, int, int]:
    """Append one result's rows; returns (doc_hash, segments, spans, edits) written."""
    doc = result.document
    text = doc.text
    doc_hash = content_hash(text)
    try:
        repaired = apply_edits(text, result.edits)
    except ValueError as exc:
        raise CorpusError(f"inconsistent edits, not added to the corpus: {exc}", path=doc.doc_id) from exc
    prov = result.provenance
    buffers[DOCUMENTS].append(
        doc_hash=doc_hash,
        rev=rev,
        doc_id=doc.doc_id,
        source=doc.source,
        fmt=doc.fmt,
        title=doc.title,
        date=doc.date,
        day=parse_day(doc.date),
        url=doc.url,
        text=text,
        repaired=repaired,
        version=prov.version,
        glossary_hash=prov.glossary_hash,
        engine=prov.engine,
        model_id=prov.model_id,
        added=added,
    )

    segments = sorted(result.segments or line_segments(result), key=lambda s: (s.start, s.end))
    to_repaired = BoundaryMap(result.edits)
    applied = sorted((e for e in result.edits if e.applied), key=lambda e: (e.start, e.end))
    edit_starts = [e.start for e in applied]
    seg_buf = buffers[SEGMENTS]
    for i, seg in enumerate(segments):
        lo = bisect_left(edit_starts, seg.start)
        hi = bisect_left(edit_starts, seg.end)
        inside = applied[lo:hi]
        original = text[seg.start : seg.end]
        # Stripped: an edit that ran over the boundary can leave the gap's space at the start.
        seg_repaired = repaired[to_repaired(seg.start) : to_repaired(seg.end)].strip()
        seg_buf.append(
            doc_hash=doc_hash,
            rev=rev,
            seg=i,
            start=seg.start,
            end=seg.end,
            original=original,
            repaired=seg_repaired,
            n_edits=len(inside),
            confidence=min((e.confidence for e in inside), default=1.0),
            pair_id=pair_id(original, seg_repaired),
        )

    seg_starts = [s.start for s in segments]

    def segment_of(start: int) -> int:
        k = bisect_right(seg_starts, start) - 1
        return k if k >= 0 and start < segments[k].end else -1

    by_offsets = {(t.start, t.end): t for t in result.translations}
    span_buf = buffers[SPANS]
    n_spans = 0
    for span in sorted(result.spans, key=lambda s: (s.start, s.end)):
        t = _translation_for(by_offsets, span.start, span.end) if span.label == "es" else None
        source = span.text or text[span.start : span.end]
        if t is not None:
            source = t.source or source
        status = NAME if span.label == "name" else (t.status if t is not None else UNTRANSLATED)
        span_buf.append(
            doc_hash=doc_hash,
            rev=rev,
            seg=segment_of(span.start),
            start=span.start,
            end=span.end,
            label=span.label,
            source=source,
            target=t.target if t is not None else None,
            engine=t.engine if t is not None else None,
            confidence=t.confidence if t is not None else None,
            status=status,
        )
        n_spans += 1
    # Translations the detector's spans did not announce are still Spanish → English pairs.
    for t in sorted(by_offsets.values(), key=lambda t: (t.start, t.end)):
        span_buf.append(
            doc_hash=doc_hash,
            rev=rev,
            seg=segment_of(t.start),
            start=t.start,
            end=t.end,
            label="es",
            source=t.source,
            target=t.target,
            engine=t.engine,
            confidence=t.confidence,
            status=t.status,
        )
        n_spans += 1

    edit_buf = buffers[EDITS]
    for e in result.edits:
        edit_buf.append(
            doc_hash=doc_hash,
            rev=rev,
            start=e.start,
            end=e.end,
            before=e.before,
            after=e.after,
            kind=e.kind,
            rule=e.rule,
            confidence=e.confidence,
            engine=e.engine,
            status=e.status,
        )
    return doc_hash, len(segments), n_spans, len(result.edits)
