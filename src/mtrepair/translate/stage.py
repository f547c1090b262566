"""The translation stage as one typed object: an engine, the translation memory and the glossary.

The pipeline holds one ``SpanTranslationStage``; ``clean`` calls :meth:`translate_spans`
for a document's ``es`` spans and ``translate`` calls :meth:`translate_lines`, so both
commands go through the same masking, memory, glossary and engine path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..model import Edit, Segment, Span, SpanTranslation
from ..stages import Region, TermMatcher, Translator


@dataclass(frozen=True)
class SpanTranslationStage:
    """``translator`` None: memory and glossary still apply; other spans stay flagged."""

    translator: Translator | None
    memory: Mapping[str, str] | None = None
    glossary: TermMatcher | None = None

    @property
    def engine(self) -> str:
        return self.translator.name if self.translator is not None else "none"

    @property
    def model_id(self) -> str:
        return self.translator.model_id if self.translator is not None else ""

    def translate_spans(
        self,
        text: str,
        spans: Sequence[Span],
        segments: Sequence[Segment],
        *,
        protected: Sequence[Region],
        inner_edits: Sequence[Edit],
    ) -> tuple[list[Edit], list[SpanTranslation]]:
        from .spans import translate_spans

        return translate_spans(
            text,
            spans,
            segments,
            protected=protected,
            inner_edits=inner_edits,
            translator=self.translator,
            memory=self.memory,
            glossary=self.glossary,
        )

    def translate_lines(self, lines: Iterable[str]) -> Iterator[str]:
        from .spans import translate_lines

        return translate_lines(lines, self.translator, glossary=self.glossary, memory=self.memory)

    def close(self) -> None:
        if self.translator is not None:
            self.translator.close()
