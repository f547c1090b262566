"""One vocabulary of options for every command, and the old spellings kept for one release.

Issue 11 found the same idea under different names: ``--author`` and ``--reviewer``,
``--note`` for an entry's note and for the reason of a decision, ``-n`` for ``--note`` and
for ``--limit``, ``--json`` printing JSON Lines, ``-o DIR`` beside a positional output file.
The names now mean one thing each:

``--reviewer``  who makes a change or decision (recorded with it)
``--reason``    why (recorded with a decision or change)
``--note``      only the glossary entry's own note field
``-o/--output`` where the output goes (file or folder as the command needs; ``-`` = stdout)
``--format``    the output or input format
``--json``      one JSON document (an object or a list); ``--jsonl``: one JSON object a line
``-n/--limit``  at most this many rows

Each old spelling stays as a hidden option (not in ``--help``) that ``pick`` folds into the
new one; ``ALIASES`` lists them for the README table and the test that each still works.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final, TypeVar

import typer

from ..errors import InputError
from .output import detail

if TYPE_CHECKING:
    from ..glossary.location import GlossaryLocation


@dataclass(frozen=True)
class Alias:
    """An old option spelling and the option that replaces it."""

    old: str
    new: str
    commands: tuple[str, ...]


ALIASES: Final = (
    Alias("--author", "--reviewer", ("glossary add|edit|approve|reject|rm|import", "corpus suggest-terms")),
    Alias("--note", "--reason", ("corpus review approve|reject|edit",)),
    Alias("-n", "--note", ("glossary add",)),
    Alias("--json", "--jsonl", ("model list",)),
    Alias("FILE (positional)", "-o/--output", ("glossary export",)),
    Alias("--stdout", "-o -", ("clean",)),
)

T = TypeVar("T")


def pick(new: T | None, old: T | None, new_name: str, old_name: str) -> T | None:
    """The value of an option given under its new or its old (hidden) name; both at once
    with different values is an error, not a silent choice."""
    if old is None:
        return new
    if new is not None and new != old:
        raise InputError(f"{old_name} is the old name of {new_name}; give only {new_name}")
    return old


Reviewer = Annotated[str | None, typer.Option("--reviewer", help="Who decides; recorded with the change.")]
AuthorAlias = Annotated[str | None, typer.Option("--author", hidden=True, help="Old name of --reviewer.")]
Reason = Annotated[str | None, typer.Option("--reason", "-r", help="Why; recorded with the change.")]
NoteAlias = Annotated[str | None, typer.Option("--note", hidden=True, help="Old name of --reason.")]
Limit = Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many rows.")]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document (a list of rows).")]
Jsonl = Annotated[bool, typer.Option("--jsonl", help="Print JSON Lines: one JSON object a row.")]


def check_engine(value: str) -> str:
    """``--engine`` checked while the options are parsed, before any input is read (issue 11:
    a wrong engine was reported only after every input had been read)."""
    from ..translate import ENGINES

    if value not in ENGINES:
        raise InputError(f"unknown --engine {value!r}; use one of {', '.join(ENGINES)}")
    return value


def check_choice(option: str, values: list[str] | None, allowed: tuple[str, ...]) -> list[str]:
    """A repeatable filter option's values, each one of ``allowed``: an unknown filter value
    is an error, not an empty result (``corpus export --status bogus`` wrote 0 rows, exit 0)."""
    for value in values or ():
        if value not in allowed:
            raise InputError(f"unknown {option} {value!r}; use one of {', '.join(allowed)}")
    return list(values or ())


def glossary_location(value: str | Path | None) -> GlossaryLocation:
    """The glossary folder a command uses (``--glossary``, ``MTREPAIR_GLOSSARY``,
    ``mtrepair.toml``, ``./glossary``, the shipped default); -v says which and why."""
    from ..glossary.location import resolve_glossary

    location = resolve_glossary(value, cwd=Path.cwd(), env=os.environ)
    detail(f"glossary: {location.path} ({location.source}{', read-only' if location.read_only else ''})")
    return location


Engine = Annotated[
    str,
    typer.Option(
        "--engine",
        callback=check_engine,
        help="auto (ct2 if --model, else apertium if installed), apertium, ct2 or none.",
    ),
]
GLOSSARY_HELP = (
    "Glossary folder. Default: $MTREPAIR_GLOSSARY, then [glossary] path in mtrepair.toml, then ./glossary, "
    "then the glossary shipped with mtrepair (`mtrepair glossary where` says which)."
)
