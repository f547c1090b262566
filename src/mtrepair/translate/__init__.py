"""Translate stage: Spanish spans → English, with Apertium or a CTranslate2 model.

Public API (what repair.py and cli.py call):

- :func:`open_translator` picks and opens an engine (``auto|apertium|ct2|none``);
- :func:`translate_spans` turns a document's ``es`` spans into ``translation`` Edits;
- :func:`translate_lines` is ``mtrepair translate``: one Spanish line in, one English out.

Importing this package starts nothing and imports no heavy module: the Apertium
pipeline starts on the first translation, ctranslate2 loads when a model is opened.
The CLI imports cli/model.py at start-up, which imports this package, so the
submodules load on first use (PEP 562 ``__getattr__``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ModelError
from ..stages import Translation, Translator

if TYPE_CHECKING:
    from .apertium import ApertiumTranslator
    from .memory import CachedTranslator, TranslationMemory
    from .spans import translate_lines, translate_spans

DEFAULT_MODE = Path("/usr/share/apertium/modes/spa-eng.mode")
_LAZY = {
    "ApertiumTranslator": "apertium",
    "CachedTranslator": "memory",
    "TranslationMemory": "memory",
    "translate_lines": "spans",
    "translate_spans": "spans",
}

ENGINES = ("auto", "apertium", "ct2", "none")
NO_ENGINE_WARNING = (
    "warning: no translation engine available (Apertium is not installed and no model is "
    "configured): Spanish spans stay flagged for review. Install the Debian packages apertium "
    "and apertium-eng-spa, or import a model with `mtrepair model import`."
)

__all__ = [
    "ENGINES",
    "ApertiumTranslator",
    "CachedTranslator",
    "Translation",
    "TranslationMemory",
    "Translator",
    "open_translator",
    "translate_lines",
    "translate_spans",
]


def open_translator(
    engine: str,
    model_dir: Path | None = None,
    *,
    mode_file: Path = DEFAULT_MODE,
    compute_type: str = "int8",
    beam_size: int = 4,
    warn: TextIO | None = None,
) -> Translator | None:
    """Open the engine ``engine`` names; the result caches translations for the run.

    - ``ct2``: the CTranslate2 model at ``model_dir`` (a model directory, or a user
      model directory with a default model); ModelError without one.
    - ``apertium``: the embedded pipeline; ModelError if Apertium is not installed.
    - ``auto``: ``ct2`` when ``model_dir`` is given, else Apertium when installed, else
      None after one warning on ``warn`` (stderr): spans stay flagged for review.
    - ``none``: None, silently.
    """
    opener = _OPENERS.get(engine)
    if opener is None:
        raise ModelError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    return opener(_EngineRequest(model_dir, mode_file, compute_type, beam_size, warn))


@dataclass(frozen=True, slots=True)
class _EngineRequest:
    model_dir: Path | None
    mode_file: Path
    compute_type: str
    beam_size: int
    warn: TextIO | None


def _open_none(_request: _EngineRequest) -> Translator | None:
    return None


def _open_ct2(request: _EngineRequest) -> Translator | None:
    if request.model_dir is None:
        raise ModelError("--engine ct2 needs --model DIR (or `mtrepair model import` a default model)")
    from .ct2 import CT2Translator
    from .memory import CachedTranslator
    from .registry import resolve_model_dir

    model = CT2Translator(
        resolve_model_dir(request.model_dir), compute_type=request.compute_type, beam_size=request.beam_size
    )
    return CachedTranslator(model)


def _open_apertium(request: _EngineRequest) -> Translator | None:
    from .apertium import ApertiumTranslator
    from .memory import CachedTranslator

    return CachedTranslator(ApertiumTranslator(request.mode_file))


def _open_auto(request: _EngineRequest) -> Translator | None:
    """A model when one is given, else Apertium when installed, else nothing (with a warning)."""
    if request.model_dir is not None:
        return _open_ct2(request)
    try:
        return _open_apertium(request)
    except ModelError:
        print(NO_ENGINE_WARNING, file=request.warn if request.warn is not None else sys.stderr)
        return None


# One opener per engine name: a new engine is one entry here (and one in ENGINES).
_OPENERS: dict[str, Callable[[_EngineRequest], Translator | None]] = {
    "auto": _open_auto,
    "apertium": _open_apertium,
    "ct2": _open_ct2,
    "none": _open_none,
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
