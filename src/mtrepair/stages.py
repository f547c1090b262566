"""The interfaces of the pipeline's pluggable stages (DESIGN.md, "One pipeline").

repair.py wires objects that satisfy these protocols; each stage package
(detect/, glossary/, translate/, corpus/) provides the real implementation.
Offsets everywhere are offsets into ``Document.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .model import Edit, Segment, Span

Region = tuple[int, int]


class Detector(Protocol):
    """Finds the Spanish left in an English segment, and the names to keep."""

    def detect(self, segment: Segment) -> tuple[Span, ...]: ...


class TermMatcher(Protocol):
    """The glossary as the pipeline sees it."""

    content_hash: str

    def keep_regions(self, text: str, start: int, end: int) -> list[Region]:
        """Regions of ``text[start:end]`` covered by approved keep entries (document offsets)."""
        ...

    def find_edits(
        self, text: str, segment: Segment, spans: Sequence[Span], protected: Sequence[Region]
    ) -> list[Edit]:
        """Term edits inside ``es`` spans and variant edits anywhere, never inside ``protected``."""
        ...


@dataclass(frozen=True, slots=True)
class Translation:
    text: str
    confidence: float


class Translator(Protocol):
    """A batch of Spanish strings in, one English string and a confidence (0..1) each out."""

    name: str
    model_id: str

    def translate(self, batch: Sequence[str]) -> list[Translation]: ...

    def close(self) -> None: ...
