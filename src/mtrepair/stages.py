"""The interfaces of the pipeline's pluggable stages (DESIGN.md, "One pipeline").

repair.py wires objects that satisfy these protocols; each stage package
(detect/, glossary/, translate/, corpus/) provides the real implementation.
Offsets everywhere are offsets into ``Document.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

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
        """Term edits where the source stands as a Spanish word (inside ``es`` spans, or anywhere
        for a source that is no everyday English word) and variant edits anywhere, never inside
        ``protected``."""
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


# ---- optional abilities: a stage has one when it satisfies the protocol -------------------
# (isinstance with these replaces getattr probing; each is runtime-checkable.)

Window = Sequence[tuple[str, bool]]


@runtime_checkable
class NumberKeepingTranslator(Protocol):
    """An engine that copies digits through unchanged (Apertium): numbers stay unmasked and
    are compared after translation instead."""

    keeps_numbers: bool


@runtime_checkable
class ContextTranslator(Protocol):
    """An engine that translates marked pieces inside their whole sentence (Apertium)."""

    def translate_in_context(self, windows: Sequence[Window]) -> list[list[Translation] | None]: ...


@runtime_checkable
class RespellingTranslator(Protocol):
    """An engine that can restore the accents of words it does not know ("todavia")."""

    def respell(self, batch: Sequence[str]) -> list[str]: ...


@runtime_checkable
class TermLookup(Protocol):
    """A glossary that answers "what is the approved English for this Spanish term?"."""

    def lookup_term(self, spanish: str) -> str | None: ...
