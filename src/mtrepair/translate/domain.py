"""Mexican-news fixes of what the engines get wrong (data: data/translate_domain.tsv).

Apertium spa-eng was built for Spain's Spanish and general text: it leaves
"derechohabientes" and "EE. UU." unknown, turns "4 mil 158" into "4 one thousand 158",
"millones de pesos" into "millions of weights" and "clausura" into "Closure" (seed 000).
Four kinds of rule fix that, each line citing the case that made it necessary:

- ``term``: a Spanish phrase with a fixed English rendering, masked through the engine
  like a glossary target, so the engine cannot mangle it (a term whose target is its
  source is a name kept as written, and matches only with its capitals);
- ``number``: a Spanish number expression (regex) and its English form, masked too;
- ``post``: an English rewrite of the engine's output (word order of "Cycle 2020-2021");
- ``fragment``: a one-word span whose translation depends on the English around it
  ("By haber formed" → "having").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import GlossaryError
from .masking import Slot

KINDS = ("term", "number", "post", "fragment")
_COLUMNS = 6


@dataclass(frozen=True, slots=True)
class DomainRule:
    kind: str
    engine: str
    source: str
    target: str
    context: str
    note: str
    line: int
    pattern: re.Pattern[str] = field(compare=False, repr=False)

    def applies_to(self, engine: str) -> bool:
        return self.engine in ("*", engine)


def _term_pattern(source: str) -> str:
    words = [re.escape(w) for w in source.split()]
    return r"\s{1,5}".join(words)


@dataclass(frozen=True)
class DomainRules:
    rules: tuple[DomainRule, ...]
    _terms: dict[str, tuple[re.Pattern[str] | None, dict[str, str]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _term_index(self, engine: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        if engine not in self._terms:
            terms = [r for r in self.rules if r.kind == "term" and r.applies_to(engine)]
            # Longest first: at one position the alternation takes the first that matches.
            terms.sort(key=lambda r: len(r.source), reverse=True)
            targets = {_normalize(r.source): r.target for r in terms}
            pattern = None
            if terms:
                alternatives = "|".join(_term_pattern(r.source) for r in terms)
                pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            self._terms[engine] = (pattern, targets)
        return self._terms[engine]

    def find_slots(self, text: str, engine: str) -> list[Slot]:
        """Term and number rules matching ``text``, as masking slots (numbers first:
        "13 mil" must become "13,000" before any term sees "mil")."""
        return self.number_slots(text, engine) + self.term_slots(text, engine)

    def number_slots(self, text: str, engine: str) -> list[Slot]:
        slots: list[Slot] = []
        for rule in self.rules:
            if rule.kind != "number" or not rule.applies_to(engine):
                continue
            for m in rule.pattern.finditer(text):
                value = m.expand(rule.target)
                if rule.context.startswith("map:") and len(rule.context) == 6:
                    value = value.replace(rule.context[4], rule.context[5])
                slots.append(Slot(m.start(), m.end(), value))
        return slots

    def term_slots(self, text: str, engine: str) -> list[Slot]:
        slots: list[Slot] = []
        pattern, targets = self._term_index(engine)
        if pattern is not None:
            for m in pattern.finditer(text):
                target = targets[_normalize(m.group())]
                if _normalize(target) == _normalize(m.group()) and " ".join(m.group().split()) != target:
                    # A name kept as written matches only as written: "Tierra Blanca"
                    # the town, not "tierra blanca" (white soil).
                    continue
                slots.append(Slot(m.start(), m.end(), target))
        return slots

    def post_edit(self, text: str, engine: str) -> str:
        for rule in self.rules:
            if rule.kind == "post" and rule.applies_to(engine):
                text = rule.pattern.sub(rule.target, text)
        return text

    def fragment(self, span_text: str, left: str, right: str, engine: str) -> DomainRule | None:
        """The fragment rule for a whole span given the text around it, if any."""
        key = _normalize(span_text)
        for rule in self.rules:
            if rule.kind != "fragment" or not rule.applies_to(engine) or _normalize(rule.source) != key:
                continue
            side = rule.context.partition(":")[0]
            probe = left[-60:] if side == "left" else right[:60]
            if rule.pattern.search(probe):
                return rule
        return None


def _normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_domain_rules(text: str, path: str) -> DomainRules:
    """Parse the TSV; GlossaryError with file and line for a malformed row."""
    rules: list[DomainRule] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if len(cols) != _COLUMNS:
            raise GlossaryError(f"expected {_COLUMNS} tab-separated columns, found {len(cols)}",
                                path=path, line=lineno)
        kind, engine, source, target, context, note = cols
        if kind not in KINDS:
            raise GlossaryError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})", path=path, line=lineno)
        if engine not in ("*", "apertium", "ct2") or not source:
            raise GlossaryError("engine must be *, apertium or ct2 and source non-empty", path=path, line=lineno)
        try:
            if kind == "term":
                pattern = re.compile(_term_pattern(source), re.IGNORECASE)
            elif kind == "fragment":
                side, sep, regex = context.partition(":")
                if side not in ("left", "right") or not sep:
                    raise GlossaryError("fragment context must be left:REGEX or right:REGEX",
                                        path=path, line=lineno)
                pattern = re.compile(regex)
            else:
                pattern = re.compile(source)
        except re.error as exc:
            raise GlossaryError(f"bad regular expression ({exc})", path=path, line=lineno) from exc
        rules.append(DomainRule(kind, engine, source, target, context, note, lineno, pattern))
    return DomainRules(tuple(rules))


def load_domain_rules(path: Path | None = None) -> DomainRules:
    """The packaged rules, or those of ``path``."""
    if path is None:
        return _packaged_rules()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read domain rules ({exc})", path=str(path)) from exc
    return parse_domain_rules(text, str(path))


@lru_cache(maxsize=1)
def _packaged_rules() -> DomainRules:
    res = resources.files("mtrepair").joinpath("data/translate_domain.tsv")
    return parse_domain_rules(res.read_text(encoding="utf-8"), "mtrepair/data/translate_domain.tsv")


EMPTY_RULES = DomainRules(())
