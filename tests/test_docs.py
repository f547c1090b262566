"""Every command of the CLI is documented: help text, an example in its help, and a mention
in README.md (as sqlite-utils' docs test does). The tree is walked from the click command
typer builds, so a new command fails here until it is documented."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from mtrepair.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _walk(command: object, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found: list[tuple[tuple[str, ...], object]] = [(prefix, command)] if prefix else []
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if not getattr(sub, "hidden", False):
            found += _walk(sub, (*prefix, name))
    return found


def _mentioned(text: str) -> set[str]:
    """Command paths the README names, reading its `mtrepair glossary add|edit|rm` shorthand
    (``\\|`` inside a table cell) as each alternative, and every prefix as a group."""
    found: set[str] = set()
    for words in re.findall(r"mtrepair((?: [a-z][a-z-]{0,40}(?:\\?\|[a-z][a-z-]{0,40}){0,20}){1,4})", text):
        choices = [word.replace("\\|", "|").split("|") for word in words.split()]
        for combo in itertools.product(*choices):
            found.update(" ".join(combo[:i]) for i in range(1, len(combo) + 1))
    return found


MENTIONED = _mentioned(README)
TREE = _walk(typer.main.get_command(app))
CASES = [pytest.param(path, command, id=" ".join(path)) for path, command in TREE]


def test_the_tree_is_walked() -> None:
    names = {" ".join(path) for path, _ in TREE}
    assert {"clean", "detect", "corpus export", "corpus review approve", "glossary where", "model import"} <= names


@pytest.mark.parametrize(("path", "command"), CASES)
def test_command_has_help_text(path: tuple[str, ...], command: object) -> None:
    text = getattr(command, "help", None) or ""
    assert len(text.split()) >= 4, f"`mtrepair {' '.join(path)}` has no help text (give its function a docstring)"


@pytest.mark.parametrize(("path", "command"), CASES)
def test_command_help_shows_an_example(path: tuple[str, ...], command: object) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    name = re.compile(rf"{re.escape(' '.join(('mtrepair', *path)))}(?![\w-])")
    # A paragraph "Example: …" that runs the command itself ("mtrepair corpus export …",
    # "cat x | mtrepair detect -", "mtrepair clean … && mtrepair serve").
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", result.stdout)]
    examples = [p for p in paragraphs if p.startswith("Example:")]
    assert any(name.search(p) for p in examples), f"`mtrepair {' '.join(path)} --help` shows no example running it"


@pytest.mark.parametrize(("path", "command"), CASES)
def test_command_is_in_the_readme(path: tuple[str, ...], command: object) -> None:
    assert " ".join(path) in MENTIONED, f"README.md does not mention `mtrepair {' '.join(path)}`"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("`mtrepair clean PATH`", {"clean"}, id="one command"),
        pytest.param(
            "`mtrepair corpus review list\\|approve --corpus DIR`",
            {"corpus", "corpus review", "corpus review list", "corpus review approve"},
            id="table-cell shorthand",
        ),
        pytest.param("mtrepair model import|list", {"model", "model import", "model list"}, id="plain shorthand"),
        pytest.param("`mtrepair -V`", set(), id="an option is no command"),
    ],
)
def test_the_readme_shorthand_is_read_as_each_command(text: str, expected: set[str]) -> None:
    assert _mentioned(text) == expected
