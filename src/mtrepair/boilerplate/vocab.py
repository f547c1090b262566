"""The chrome vocabulary (``data/chrome_vocab.tsv``) and teaser markers (``data/chrome_markers.tsv``).

A general vocabulary of what site chrome is made of (UI verbs and nouns in English
and Spanish), never phrases copied from articles: the classifier in ``lines.py``
decides from the share of such words in a short line, with its shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import InputError

# Roles that make a call-to-action line ("Add Comment", "Related Posts", "Source link").
CTA_ROLES = frozenset({"action", "widget", "qualifier", "language"})
# A call-to-action line needs at least one of these (a qualifier alone is "more", "latest").
HEAD_ROLES = frozenset({"action", "widget"})


@dataclass(frozen=True, slots=True)
class Vocabulary:
    roles: dict[str, frozenset[str]]  # casefolded word -> roles
    alone: frozenset[str]  # words that are chrome alone on a line ("Share", "Comentarios")
    spanish: frozenset[str]  # the Spanish entries, for whole-line Spanish chrome

    def has(self, word: str, *roles: str) -> bool:
        found = self.roles.get(word.casefold())
        return found is not None and any(r in found for r in roles)

    def words(self, role: str) -> frozenset[str]:
        return frozenset(w for w, rs in self.roles.items() if role in rs)


@dataclass(frozen=True, slots=True)
class Markers:
    marker: re.Pattern[str]  # may stand alone on its line
    label: re.Pattern[str]  # only with a separator and a headline after it


def _rows(name: str, columns: list[str]) -> list[list[str]]:
    text = resources.files("mtrepair").joinpath(f"data/{name}").read_text(encoding="utf-8")
    rows: list[list[str]] = []
    header_seen = False
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\r").split("\t")
        if not header_seen:
            if cells != columns:
                raise InputError(f"header must be {' / '.join(columns)}", path=name, line=lineno)
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise InputError(f"expected {len(columns)} columns, got {len(cells)}", path=name, line=lineno)
        rows.append(cells)
    return rows


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    roles: dict[str, set[str]] = {}
    alone: set[str] = set()
    spanish: set[str] = set()
    for word, lang, role, is_alone, _note in _rows("chrome_vocab.tsv", ["word", "lang", "role", "alone", "note"]):
        key = word.casefold()
        roles.setdefault(key, set()).add(role)
        if is_alone == "1":
            alone.add(key)
        if lang == "es":
            spanish.add(key)
    return Vocabulary({w: frozenset(r) for w, r in roles.items()}, frozenset(alone), frozenset(spanish))


@lru_cache(maxsize=1)
def markers() -> Markers:
    by_kind: dict[str, list[str]] = {"marker": [], "label": []}
    for _id, kind, pattern, _note in _rows("chrome_markers.tsv", ["id", "kind", "pattern", "note"]):
        if kind not in by_kind:
            raise InputError(f"kind must be marker or label, not {kind!r}", path="chrome_markers.tsv")
        by_kind[kind].append(f"(?:{pattern})")
    return Markers(
        re.compile("|".join(by_kind["marker"]), re.IGNORECASE),
        re.compile("|".join(by_kind["label"]), re.IGNORECASE),
    )
