"""The conventions every mtrepair command follows, in one click group class.

Each ``typer.Typer`` of the CLI is made with ``cls=ConventionGroup``. When typer builds the
click tree, the group

* gives itself and every command below it ``-q/--quiet`` and ``-v/--verbose`` (one
  callback, so no command can forget them: issue 11 found commands without);
* turns an ``MtrepairError`` into one ``mtrepair: error: …`` line and exit status 1, and
  a usage error into the usage, a hint and ``mtrepair: error: …`` with exit status 2,
  whether it runs as the ``mtrepair`` program, as ``python -m mtrepair.cli.glossary`` or
  under click's test runner;
* treats a closed stdout (``mtrepair detect … | head -1``) as success: click exits 1 on
  EPIPE, which made ``detect | head`` fail in scripts with ``set -o pipefail``.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._click.utils import echo
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit
from typer.main import _get_params_name_from_function

from ..errors import MtrepairError
from .output import QUIET, VERBOSE, error, set_level, silence_stdout

QUIET_NAME = "quiet"
VERBOSE_NAME = "verbose"


def _set_quiet(ctx: typer.Context, value: bool) -> None:
    # Only a given flag sets the level: a sub-command's unset -q must not undo the root's.
    if value:
        set_level(ctx, QUIET)


def _set_verbose(ctx: typer.Context, value: bool) -> None:
    if value:
        set_level(ctx, VERBOSE)


def _verbosity(
    quiet: Annotated[
        bool,
        typer.Option(
            "-q",
            "--quiet",
            callback=_set_quiet,
            expose_value=False,
            help="Print only data, warnings and errors: no status lines, no progress bar.",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "-v",
            "--verbose",
            callback=_set_verbose,
            expose_value=False,
            help="Also print details (which glossary is in use and why).",
        ),
    ] = False,
) -> None:
    """Never called: typer reads the two options from this signature, as from a command's."""


def _verbosity_options() -> list[Parameter]:
    # typer's own builder (what it does for every command), so the options are typer's kind.
    params, _ = _get_params_name_from_function(_verbosity)
    return list(params)


def add_conventions(command: Command) -> None:
    """Give ``command`` and everything below it -q/-v (once)."""
    if not any(p.name == QUIET_NAME for p in command.params):
        command.params.extend(_verbosity_options())
    for sub in getattr(command, "commands", {}).values():
        add_conventions(sub)


def _is_closed_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)


def _usage_error(exc: UsageError) -> NoReturn:
    if exc.ctx is not None:
        echo(exc.ctx.get_usage(), err=True)
        echo(f"Try '{exc.ctx.command_path} -h' for help.", err=True)
    error(exc.format_message())
    sys.exit(exc.exit_code)


class ConventionGroup(TyperGroup):
    """A typer group with the project's CLI conventions (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_conventions(self)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except MtrepairError as exc:
            error(str(exc))
            raise Exit(1) from None
        except OSError as exc:
            # Caught here, inside typer's own EPIPE handler (which exits 1).
            if not _is_closed_pipe(exc):
                raise
            silence_stdout()
            raise Exit(0) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        except MtrepairError as exc:  # raised while parsing, before any command ran
            error(str(exc))
            sys.exit(1)
        except NoArgsIsHelpError as exc:
            exc.show()  # `mtrepair corpus` alone: the help, as before
            sys.exit(exc.exit_code)
        except UsageError as exc:
            _usage_error(exc)
        except ClickException as exc:
            error(exc.format_message())
            sys.exit(exc.exit_code)
        except Abort:
            error("aborted")
            sys.exit(1)
        except OSError as exc:
            if not _is_closed_pipe(exc):
                raise
            silence_stdout()
            sys.exit(0)
        sys.exit(code if isinstance(code, int) else 0)
