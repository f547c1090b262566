"""Reviewer-editable boilerplate patterns (``data/boilerplate.tsv`` plus a site file).

The patterns live in data files so that a newsroom can add its own sites' widgets
without touching code. They are one classifier among several (see ``lines.py``):
what a line *is* is decided mostly from its shape and a chrome vocabulary, and the
patterns catch the fixed widget texts (comment forms, rating widgets).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError

Scope = Literal["line", "tail"]
_COLUMNS = ["id", "scope", "pattern", "note"]
# Boilerplate lines are short; a paragraph longer than this is article text.
# The cap also bounds the regex work per line whatever a reviewer writes.
MAX_LINE = 400
# Per-line match budget for reviewer patterns (the ``regex`` module enforces it).
MATCH_TIMEOUT_S = 0.05


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    rule_id: str
    scope: Scope
    pattern: Any  # a compiled ``regex`` pattern
    note: str


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """The patterns, plus the lines a batch-level pass found repeated across articles.

    ``timed_out`` collects the ids of reviewer patterns that ran past their budget on
    some line and were skipped there: the runner reports each one once per run (issue
    12: a skipped rule was silent). It is shared by the copies ``with_chrome`` makes.
    """

    rules: tuple[BoilerplateRule, ...]
    chrome: frozenset[str] = field(default_factory=frozenset)
    timed_out: set[str] = field(default_factory=set, compare=False, hash=False)

    def with_chrome(self, lines: Iterable[str]) -> BoilerplateRules:
        """These rules plus ``lines`` (from ``find_repeated_lines``) known as chrome.

        The lines are compared in their normalized form (``batch.normalize_line``),
        so the caller may pass either raw or normalized lines.
        """
        from .batch import normalize_line

        return replace(self, chrome=self.chrome | frozenset(normalize_line(line) for line in lines))


def load_rules(extra: Path | None = None) -> BoilerplateRules:
    """The packaged rules, then a reviewer's extra file if given (same TSV columns)."""
    packaged = resources.files("mtrepair").joinpath("data/boilerplate.tsv").read_text(encoding="utf-8")
    rules = _parse_rules(packaged, "mtrepair/data/boilerplate.tsv")
    if extra is not None and extra.is_file():
        rules += _parse_rules(extra.read_text(encoding="utf-8"), str(extra))
    return BoilerplateRules(rules)


def _parse_rules(text: str, name: str) -> tuple[BoilerplateRule, ...]:
    import regex

    lines = text.split("\n")
    if lines[0].rstrip("\r").split("\t") != _COLUMNS:
        raise InputError(f"header must be {' / '.join(_COLUMNS)} separated by tabs", path=name, line=1)
    rules = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\r").split("\t")
        if len(cells) != len(_COLUMNS):
            raise InputError(
                f"expected {len(_COLUMNS)} tab-separated columns, got {len(cells)}", path=name, line=lineno
            )
        rule_id, scope, pattern, note = cells
        if scope not in ("line", "tail"):
            raise InputError(f"scope must be line or tail, not {scope!r}", path=name, line=lineno)
        try:
            compiled = regex.compile(pattern, regex.IGNORECASE | regex.V0)
        except regex.error as exc:
            raise InputError(f"bad pattern for {rule_id}: {exc}", path=name, line=lineno) from None
        rules.append(BoilerplateRule(rule_id, scope, compiled, note))  # type: ignore[arg-type]
    return tuple(rules)


def timeout_warning(rule_id: str) -> str:
    """The one line a run prints for a rule that timed out (whatever the number of lines)."""
    return (
        f"boilerplate rule {rule_id!r} ran past its {MATCH_TIMEOUT_S * 1000:.0f} ms budget and was skipped "
        "on the line(s) where it did; simplify its pattern (nested repeats backtrack)"
    )


def match_rule(rules: BoilerplateRules, line: str) -> BoilerplateRule | None:
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_LINE:
        return None
    for rule in rules.rules:
        try:
            if rule.pattern.fullmatch(stripped, timeout=MATCH_TIMEOUT_S):
                return rule
        except TimeoutError:
            # A reviewer pattern that backtracks too much is skipped, not fatal:
            # the line stays, which is the safe direction; the run says so once.
            rules.timed_out.add(rule.rule_id)
            continue
    return None
