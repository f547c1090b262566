"""Translation memory (approved span translations) and the per-run engine cache.

An identical span already translated and approved is reused without calling the
engine; within one run, a source the engine has already translated is not sent again
(boilerplate-like phrases such as "dice" recur in every article of a feed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from ..stages import ContextTranslator, NumberKeepingTranslator, Translation, Translator

Window = tuple[tuple[str, bool], ...]
K = TypeVar("K")
V = TypeVar("V")


def normalize_source(text: str) -> str:
    """The memory key of a span: NFC, whitespace collapsed, case kept."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class TranslationMemory(Mapping[str, str]):
    """Approved ``source → English`` pairs, looked up by :func:`normalize_source`."""

    def __init__(self, pairs: Mapping[str, str] | None = None) -> None:
        self._pairs: dict[str, str] = {}
        for source, target in (pairs or {}).items():
            self._pairs[normalize_source(source)] = target

    def __getitem__(self, source: str) -> str:
        return self._pairs[normalize_source(source)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)


def lookup(memory: Mapping[str, str] | None, source: str) -> str | None:
    """Exact match first, then the normalized form (any Mapping works)."""
    if not memory:
        return None
    hit = memory.get(source)
    if hit is None:
        hit = memory.get(normalize_source(source))
    return hit


class CachedTranslator:
    """Wraps an engine so that a source is translated at most once per run.

    Satisfies the Translator protocol (and forwards ``translate_in_context``);
    ``calls`` counts the strings and windows actually sent to the engine.
    """

    def __init__(self, engine: Translator, *, max_entries: int = 200_000) -> None:
        self.engine = engine
        self.name = engine.name
        self.model_id = engine.model_id
        self.keeps_numbers = isinstance(engine, NumberKeepingTranslator) and engine.keeps_numbers
        self.max_entries = max_entries
        self.calls = 0
        self._cache: dict[str, Translation] = {}
        self._context_cache: dict[Window, list[Translation] | None] = {}

    def translate(self, batch: Sequence[str]) -> list[Translation]:
        todo = list(dict.fromkeys(s for s in batch if s not in self._cache))
        if todo:
            self.calls += len(todo)
            self._remember(self._cache, zip(todo, self.engine.translate(todo), strict=True))
        return [self._cache[s] for s in batch]

    def translate_in_context(self, windows: Sequence[Window]) -> list[list[Translation] | None]:
        """The engine's translations of marked spans in their sentences; ``None`` for
        every window when the engine cannot translate in context (a neural model)."""
        if not isinstance(self.engine, ContextTranslator):
            return [None] * len(windows)
        todo = list(dict.fromkeys(w for w in windows if w not in self._context_cache))
        if todo:
            self.calls += len(todo)
            results: list[list[Translation] | None] = self.engine.translate_in_context(todo)
            self._remember(self._context_cache, zip(todo, results, strict=True))
        return [self._context_cache[w] for w in windows]

    def close(self) -> None:
        self._cache.clear()
        self._context_cache.clear()
        self.engine.close()

    def _remember(self, cache: dict[K, V], items: Iterable[tuple[K, V]]) -> None:
        if len(cache) > self.max_entries:
            cache.clear()  # a bounded run cache; correctness never depends on it
        cache.update(items)
