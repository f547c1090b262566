"""The reviewed glossary: file format, validation, matching engine, reviewer operations.

``load_glossary(DIR)`` reads ``DIR/glossary.tsv`` (columns of DESIGN.md), validates all
of it and compiles the approved entries into a ``Glossary`` that satisfies
``mtrepair.stages.TermMatcher``. Reviewer operations live in ``review``, TBX/CSV/OmegaT
exchange in ``tbx``, ``tabular`` and ``formats``; the ``mtrepair glossary`` commands in
``cli``. Importing this package reads nothing and compiles nothing, and imports its
modules only when a name is first used (``mtrepair --help`` imports ``cli`` only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .entry import CASES, COLUMNS, KINDS, STATUSES, Entry
    from .load import load_glossary
    from .matcher import Glossary

__all__ = ["CASES", "COLUMNS", "KINDS", "STATUSES", "Entry", "Glossary", "load_glossary"]

_HOMES = {
    "CASES": "entry",
    "COLUMNS": "entry",
    "KINDS": "entry",
    "STATUSES": "entry",
    "Entry": "entry",
    "load_glossary": "load",
    "Glossary": "matcher",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
