"""The one exception family mtrepair raises on bad input or a failing edge.

The CLI maps every MtrepairError to a one-line message and exit code 1, so each
message must name the file (and line, where there is one) and say what to do.
"""

from __future__ import annotations


class MtrepairError(Exception):
    """Base class: a problem the user can act on, reported in one line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class InputError(MtrepairError):
    """An article that cannot be read: missing, binary, not UTF-8, malformed JSONL."""


class GlossaryError(MtrepairError):
    """A glossary file that fails validation, or a reviewer operation that cannot be applied."""


class ModelError(MtrepairError):
    """A translation engine or model that cannot be loaded or run."""


class CorpusError(MtrepairError):
    """A corpus store that cannot be read, written or exported."""


class OutputError(MtrepairError):
    """An output file or stream that cannot be written."""
