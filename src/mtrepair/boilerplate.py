"""Find site boilerplate and leading metadata, and report each as an Edit.

The patterns live in data files (the packaged ``data/boilerplate.tsv`` plus an
optional reviewer file, ``boilerplate.tsv`` beside the glossary) so that a
newsroom can add its own sites' widgets without touching code. Nothing is
dropped silently: every removed line becomes an Edit of kind ``boilerplate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .model import Edit

Scope = Literal["line", "tail"]
_COLUMNS = ["id", "scope", "pattern", "note"]
# Boilerplate lines are short; a paragraph longer than this is article text.
# The cap also bounds the regex work per line whatever a reviewer writes.
MAX_LINE = 400
# Per-line match budget for reviewer patterns (the ``regex`` module enforces it).
MATCH_TIMEOUT_S = 0.05

# " date 2022-02-27 Guanajuato has 245 …" (seeds 002 and 003): the scraper put the
# publication date in front of the first sentence.
_META_DATE = re.compile(r"\A[ \t]*(?:date|fecha)[ \t]*:?[ \t]*(\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*\n+)")


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    rule_id: str
    scope: Scope
    pattern: Any  # a compiled ``regex`` pattern
    note: str


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    rules: tuple[BoilerplateRule, ...]


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


def find_metadata(text: str) -> tuple[dict[str, str], list[Edit]]:
    """Leading metadata (the seeds' " date 2022-02-27 ") → fields, and the Edit removing it."""
    m = _META_DATE.match(text)
    if not m:
        return {}, []
    edit = Edit(m.start(), m.end(), m.group(0), "", "boilerplate", "metadata:date", 1.0, "rules")
    return {"date": m.group(1)}, [edit]


def _match_rule(rules: BoilerplateRules, line: str) -> BoilerplateRule | None:
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_LINE:
        return None
    for rule in rules.rules:
        try:
            if rule.pattern.fullmatch(stripped, timeout=MATCH_TIMEOUT_S):
                return rule
        except TimeoutError:
            # A reviewer pattern that backtracks too much is skipped, not fatal:
            # the line stays, which is the safe direction.
            continue
    return None


def _is_title_teaser(line: str, title: str | None) -> bool:
    """A later line that is a cut-off copy of the headline is a share widget's excerpt.

    Seed 004 repeats "After one year of collaboration, there are more than 776"
    under the full headline before "Rate this post".
    """
    stripped = line.strip()
    return (
        title is not None
        and len(stripped) >= 20
        and stripped != title
        and title.startswith(stripped)
        and stripped[-1] not in ".!?"
    )


def find_boilerplate(text: str, rules: BoilerplateRules, start: int = 0) -> list[Edit]:
    """One Edit per dropped line, covering the line and the blank lines that separated it.

    A dropped line takes the newlines after it; a dropped run at the very end takes
    the newlines before it instead, so the repaired text never ends in blank lines.
    """
    lines: list[tuple[int, int]] = []
    pos = start
    for raw in text[start:].split("\n"):
        if raw.strip():
            lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    drop: list[tuple[int, int, BoilerplateRule | None]] = []
    first = text[lines[0][0] : lines[0][1]].strip() if lines else None
    tail_from: int | None = None
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        if tail_from is not None:
            drop.append((a, b, None))
            continue
        rule = _match_rule(rules, line)
        if rule is not None:
            drop.append((a, b, rule))
            if rule.scope == "tail":
                tail_from = i
        elif i > 0 and _is_title_teaser(line, first):
            drop.append((a, b, _TEASER))
    if not drop:
        return []
    dropped_starts = {a for a, _, _ in drop}
    kept_ends = [b for a, b in lines if a not in dropped_starts]
    edits = []
    tail_rule = None
    for a, b, rule in drop:
        if rule is not None and rule.scope == "tail":
            tail_rule = rule
        name = f"boilerplate:{(rule or tail_rule or _TEASER).rule_id}"
        if rule is None:
            name += ":block"
        later_kept = [k for k in kept_ends if k > b]
        if later_kept:
            nxt = _next_content(text, b)
            edits.append(Edit(a, nxt, text[a:nxt], "", "boilerplate", name, 0.9, "rules"))
        else:
            prev = max((k for k in kept_ends if k < a), default=None)
            prev_drop_end = max((e.end for e in edits), default=None)
            lo = prev if prev is not None else a
            if prev_drop_end is not None and prev_drop_end > lo:
                lo = prev_drop_end
            edits.append(Edit(lo, b, text[lo:b], "", "boilerplate", name, 0.9, "rules"))
    return edits


def _next_content(text: str, end: int) -> int:
    """Offset of the first non-whitespace character after ``end`` (skips newlines only)."""
    pos = end
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


_TEASER = BoilerplateRule("title-teaser", "line", None, "cut-off copy of the headline")
