"""Where the CLI's words go: data on stdout; status, progress, warnings and errors on stderr.

Every line the CLI writes to stderr starts with ``mtrepair:`` so a script that mixes the
streams can tell them apart, and every error reads ``mtrepair: error: …`` whatever the
command (issue 11: ``glossary`` and ``model`` said ``error:``, the others ``mtrepair: error:``).

Verbosity is per invocation: ``-q`` hides status lines and progress bars (warnings and
errors still show, as with git), ``-v`` adds details such as which glossary is in use.
It lives in the click context's ``meta`` (shared by the root and its sub-commands), so two
invocations in one process (tests with CliRunner) do not leak into each other.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

# typer 0.29 carries its own copy of click (typer._click); the click package beside it is a
# different one whose contexts typer's commands do not use.
from typer._click.globals import get_current_context
from typer._click.utils import echo

if TYPE_CHECKING:
    from typer._click.core import Context

PREFIX: Final = "mtrepair"
_LEVEL_KEY: Final = "mtrepair.verbosity"
QUIET: Final = -1
NORMAL: Final = 0
VERBOSE: Final = 1


def level() -> int:
    """The verbosity of the running command: QUIET, NORMAL or VERBOSE."""
    ctx = get_current_context(silent=True)
    if ctx is None:
        return NORMAL
    value = ctx.meta.get(_LEVEL_KEY, NORMAL)
    return value if isinstance(value, int) else NORMAL


def set_level(ctx: Context, value: int) -> None:
    ctx.meta[_LEVEL_KEY] = value


def status(message: str) -> None:
    """A status line (what was done, counts): stderr, hidden by -q."""
    if level() > QUIET:
        echo(f"{PREFIX}: {message}", err=True)


def detail(message: str) -> None:
    """A detail only -v asks for (which glossary, which engine)."""
    if level() >= VERBOSE:
        echo(f"{PREFIX}: {message}", err=True)


def warn(message: str) -> None:
    """Something the user should act on; shown even with -q."""
    echo(f"{PREFIX}: warning: {message}", err=True)


def notice(message: str) -> None:
    """A library notice that carries its own kind (``warning: …``); shown even with -q."""
    echo(f"{PREFIX}: {message}", err=True)


def error(message: str) -> None:
    """The one error format of every command."""
    echo(f"{PREFIX}: error: {message}", err=True)


def silence_stdout() -> None:
    """The reader of stdout went away (``… | head -1``): send the rest, and the final
    flush at exit, to /dev/null so the closed pipe is not reported as an error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (a test runner's buffer)
        pass


@dataclass(frozen=True)
class Bar:
    """Hooks a long task reports through; no-ops when no bar is shown."""

    advance: Callable[[int], None]
    total: Callable[[int], None]


def _no_bar() -> Bar:
    return Bar(lambda _n: None, lambda _n: None)


def show_progress() -> bool:
    """A bar only for a person watching: stderr is a terminal and -q was not given."""
    return level() > QUIET and sys.stderr.isatty()


@contextmanager
def progress(label: str, unit: str) -> Iterator[Bar]:
    """A rich progress bar on stderr: count of ``unit`` done, rate, elapsed time and, once
    ``total`` is called, an ETA. Without a known total it is a spinner with the count."""
    if not show_progress():
        yield _no_bar()
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (
        SpinnerColumn(),
        TextColumn(f"{label}: {{task.completed:,.0f}} {unit}"),
        BarColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            elapsed = bar.tasks[0].elapsed or 0.0
            if elapsed > 0:
                bar.update(task, rate=f"{bar.tasks[0].completed / elapsed:,.1f}/s")

        yield Bar(advance, lambda n: bar.update(task, total=n))


@contextmanager
def working(label: str) -> Iterator[None]:
    """A spinner with the elapsed time for one long call that reports no steps (an export,
    a compaction, a model conversion)."""
    if not show_progress():
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn(label), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        bar.add_task(label, total=None)
        yield
