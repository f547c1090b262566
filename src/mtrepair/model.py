"""The records that flow through the pipeline (see DESIGN.md, "The records").

All offsets are character offsets into ``Document.text``, the original input,
so every report can be audited against the file the user gave us.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

SpanLabel = Literal["es", "name"]
EditKind = Literal["boilerplate", "glossary", "number", "translation", "glue", "whitespace"]
EDIT_KINDS: tuple[EditKind, ...] = ("boilerplate", "glossary", "number", "translation", "glue", "whitespace")
# ``applied``: part of the repaired text. ``flagged``: a repair that was considered and
# left for a reviewer (below the confidence threshold, ambiguous, or refused); it never
# changes the text and is never counted as an edit.
EditStatus = Literal["applied", "flagged"]


@dataclass(frozen=True, slots=True)
class Document:
    """One article. ``text`` is the original body the offsets refer to."""

    doc_id: str
    text: str
    source: str = "-"
    fmt: str = "txt"
    title: str | None = None
    date: str | None = None
    url: str | None = None
    # The page an HTML article was read from: ``text`` is extracted from it, and the
    # repaired page is written by putting the edits back into its text nodes (htmldoc.py).
    markup: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence (or one input line with ``--lines``) and its tokens."""

    doc_id: str
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """``es``: Spanish to translate; ``name``: a proper name to keep as it is."""

    start: int
    end: int
    label: SpanLabel
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label}


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to the original text: replace ``text[start:end]`` (== before) by ``after``.

    An edit whose ``after`` equals ``before`` records a repair that was considered and
    refused (for example a translation that lost a protected name); it changes nothing.
    An edit with ``status == "flagged"`` is a proposal left for a reviewer: its ``after``
    is what it would write, but it changes nothing either.
    """

    start: int
    end: int
    before: str
    after: str
    kind: EditKind
    rule: str
    confidence: float = 1.0
    engine: str = ""
    status: EditStatus = "applied"
    # For an article read from HTML: the element holding the edited text
    # ("html/body/article/p[3]"); empty for every other format.
    path: str = ""

    @property
    def applied(self) -> bool:
        return self.status == "applied" and self.before != self.after

    @property
    def flagged(self) -> bool:
        """Considered and not applied: below the threshold, ambiguous, or refused."""
        return not self.applied

    def flag(self) -> Edit:
        return replace(self, status="flagged")

    def to_json(self, doc_id: str) -> dict[str, Any]:
        return {
            "doc": doc_id,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "kind": self.kind,
            "rule": self.rule,
            "confidence": round(self.confidence, 4),
            "engine": self.engine,
            "status": "applied" if self.applied else "flagged",
            **({"path": self.path} if self.path else {}),
        }


@dataclass(frozen=True, slots=True)
class Provenance:
    version: str
    glossary_hash: str
    engine: str
    model_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SpanTranslation:
    """A Spanish span and what became of it, for the corpus and the translation memory."""

    start: int
    end: int
    source: str
    target: str
    engine: str
    confidence: float
    status: str = "machine"


@dataclass(frozen=True, slots=True)
class RepairResult:
    document: Document
    edits: tuple[Edit, ...]
    text: str
    provenance: Provenance
    segments: tuple[Segment, ...] = ()
    spans: tuple[Span, ...] = ()
    translations: tuple[SpanTranslation, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return any(e.applied for e in self.edits)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Return ``text`` with non-overlapping ``edits`` applied (the assemble stage's core).

    Raises ValueError if two applied edits overlap or an edit's ``before`` does not
    match the text: both mean a stage produced an inconsistent report.
    """
    out: list[str] = []
    pos = 0
    for e in sorted((e for e in edits if e.applied), key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}: {e.rule}")
        if text[e.start : e.end] != e.before:
            raise ValueError(f"edit {e.rule} at {e.start} does not match the text")
        out.append(text[pos : e.start])
        out.append(e.after)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
