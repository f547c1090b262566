"""Find site boilerplate and leading metadata, and report each removal as an Edit.

A line is chrome because of what it is (``lines.py``: its shape, a chrome vocabulary,
date/credit/breadcrumb grammars, teaser markers), where it is (chrome clusters above
the first and below the last body paragraph; a teaser-looking line between body
paragraphs stays), reviewer patterns (``rules.py``, ``data/boilerplate.tsv``) and,
for a batch, lines repeated across articles (``batch.py``). Nothing is dropped
silently: every removed line becomes an Edit of kind ``boilerplate`` with its rule
and a confidence. Spanish chrome is removed here, before any translation stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Edit
from .batch import find_repeated_lines, learn_chrome, normalize_line
from .grammar import date_bar, date_bar_iso
from .lines import Features, Verdict, classify, features, inline_teaser_start, is_marker
from .rules import BoilerplateRule, BoilerplateRules, load_rules, match_rule

__all__ = [
    "BoilerplateRule",
    "BoilerplateRules",
    "find_boilerplate",
    "find_metadata",
    "find_repeated_lines",
    "learn_chrome",
    "load_rules",
    "normalize_line",
]

# " date 2022-02-27 Guanajuato has 245 …" (seeds 002 and 003): the scraper put the
# publication date in front of the first sentence.
_META_DATE = re.compile(r"\A[ \t]*(?:date|fecha)[ \t]*:?[ \t]*(\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*\n+)")
# A date bar is looked for among the first lines, above the body.
_META_LINES = 10
# Teaser headlines after one marker; a longer run is a list of something else.
_MAX_TEASERS = 10
# A breadcrumb run into a copy of the headline is looked for among the first lines.
_TOP_LINES = 6


@dataclass(slots=True)
class _Piece:
    """A non-blank line (stripped extents), or the teaser part of one."""

    start: int
    end: int
    f: Features
    verdict: Verdict | None = None
    tail: bool = False  # after a tail-scope rule: the block runs to the end


def find_metadata(text: str) -> tuple[dict[str, str], list[Edit]]:
    """Leading metadata → fields, and the Edit removing a leading " date 2022-02-27 ".

    A date bar among the first lines ("Martes, 5 de marzo de 2024 | 10:32") also
    gives the document's date; its line is removed by ``find_boilerplate`` (rule
    ``date-bar``), so the removal is reported once.
    """
    m = _META_DATE.match(text)
    if m:
        edit = Edit(m.start(), m.end(), m.group(0), "", "boilerplate", "metadata:date", 1.0, "rules")
        return {"date": m.group(1)}, [edit]
    head = "\n".join(text.split("\n", 3 * _META_LINES)[: 3 * _META_LINES])
    for piece in _pieces(head, 0)[:_META_LINES]:
        if piece.f.body:
            break
        bar = date_bar(piece.f.text)
        if bar is not None:
            iso = date_bar_iso(bar)
            if iso is not None:
                return {"date": iso}, []
    return {}, []


def _pieces(text: str, start: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    pos = start
    for raw in text[start:].split("\n"):
        a = pos + len(raw) - len(raw.lstrip())
        b = pos + len(raw.rstrip())
        pos += len(raw) + 1
        if b <= a:
            continue
        k = inline_teaser_start(text[a:b])
        if k is not None:
            kept_end = a + len(text[a : a + k].rstrip())
            pieces.append(_Piece(a, kept_end, features(text[a:kept_end])))
            pieces.append(_Piece(a + k, b, features(text[a + k : b]), Verdict("teaser-inline", 0.8, marker=True)))
        else:
            pieces.append(_Piece(a, b, features(text[a:b])))
    return pieces


def _is_title_teaser(line: str, title: str | None) -> bool:
    """A later line that is a cut-off copy of the headline is a share widget's excerpt.

    Seed 004 repeats "After one year of collaboration, there are more than 776"
    under the full headline before "Rate this post".
    """
    return (
        title is not None
        and len(line) >= 20
        and line != title
        and title.startswith(line)
        and line[-1] not in ".!?"
    )


def _headline_copy_prefix(piece: _Piece, others: list[_Piece]) -> bool:
    """"Home North AmericaMexico <headline>" (dev/real 07): section names run together
    in front of a copy of another line near the top."""
    text = piece.f.text
    for other in others:
        o = other.f.text
        if other is piece or len(o.split()) < 3 or len(o) >= len(text) or not text.endswith(o):
            continue
        prefix = text[: len(text) - len(o)].split()
        capitalised = all(w[:1].isupper() for w in prefix)
        if 1 <= len(prefix) <= 6 and capitalised and not re.search(r"[.!?;:,]", " ".join(prefix)):
            return True
    return False


def _classify_pieces(text: str, pieces: list[_Piece], rules: BoilerplateRules) -> None:
    # The title is the first line with a word: a stray "{" above it (removed as chrome)
    # is none, and a copy of the title further down must be judged the same with or
    # without that line (found by fuzzing repair_text).
    title = next((p.f.text for p in pieces if p.f.words), None)
    top = pieces[:_TOP_LINES]
    for i, piece in enumerate(pieces):
        if piece.verdict is not None:
            continue
        line = piece.f.text
        rule = match_rule(rules, line)
        if rule is not None:
            # A reviewer pattern that removes "You may also like" still opens a teaser block.
            piece.verdict = Verdict(rule.rule_id, 0.9, marker=is_marker(piece.f))
            if rule.scope == "tail":
                for later in pieces[i + 1 :]:
                    later.verdict = Verdict(rule.rule_id, 0.8)
                    later.tail = True
                return
            continue
        if i < _TOP_LINES and _headline_copy_prefix(piece, top):
            piece.verdict = Verdict("breadcrumb", 0.85)
            continue
        verdict = classify(piece.f)
        if verdict is None and rules.chrome and not piece.f.body and normalize_line(line) in rules.chrome:
            verdict = Verdict("repeated-line", 0.85)
        if verdict is None and i > 0 and _is_title_teaser(line, title):
            verdict = Verdict("title-teaser", 0.9)
        piece.verdict = verdict


def _drop_flags(pieces: list[_Piece]) -> list[bool]:
    body = [i for i, p in enumerate(pieces) if p.verdict is None and p.f.body]
    first, last = (body[0], body[-1]) if body else (None, None)

    def at_edge(i: int) -> bool:
        # Weak evidence counts only where chrome clusters: above the first body
        # paragraph or below the last. Without a body there is no edge.
        return first is not None and last is not None and (i < first or i > last)

    # The first line of three words or more is the headline: weak evidence never takes it.
    headline = next(
        (i for i, p in enumerate(pieces) if p.f.n_words >= 3 and (p.verdict is None or p.verdict.weak)), None
    )

    def weak_ok(i: int) -> bool:
        verdict = pieces[i].verdict
        if verdict is not None and verdict.top_only:
            return headline is not None and i < headline and at_edge(i)
        return at_edge(i) and i != headline

    drop = [p.verdict is not None and (not p.verdict.weak or weak_ok(i)) for i, p in enumerate(pieces)]
    # Teaser blocks: after a marker, the headline-like lines up to the next body paragraph.
    for i, piece in enumerate(pieces):
        if not (drop[i] and piece.verdict is not None and piece.verdict.marker):
            continue
        taken = 0
        for j in range(i + 1, len(pieces)):
            if drop[j]:
                continue
            nxt = pieces[j]
            if taken >= _MAX_TEASERS or nxt.f.body or not nxt.f.headline_like:
                break
            nxt.verdict = Verdict("teaser-block", 0.8)
            drop[j] = True
            taken += 1
    return drop


def find_boilerplate(text: str, rules: BoilerplateRules, start: int = 0) -> list[Edit]:
    """One Edit per dropped line; removing a line never joins two paragraphs.

    Each edit takes the line and the line break(s) on one side of it: the side with
    fewer newlines, so the kept text either side stays as far apart as it was (a
    paragraph break survives). A run at the very end takes the breaks before it, a
    run at the start those after it.
    """
    pieces = _pieces(text, start)
    if not pieces:
        return []
    _classify_pieces(text, pieces, rules)
    drop = _drop_flags(pieces)
    edits: list[Edit] = []
    i = 0
    while i < len(pieces):
        if not drop[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(pieces) and drop[j + 1]:
            j += 1
        edits += _run_edits(text, pieces, i, j)
        i = j + 1
    return edits


def _run_edits(text: str, pieces: list[_Piece], i: int, j: int) -> list[Edit]:
    prev = pieces[i - 1] if i > 0 else None
    nxt = pieces[j + 1] if j + 1 < len(pieces) else None
    if prev is None:
        before = False
    elif nxt is None:
        before = True
    else:
        before = text.count("\n", pieces[j].end, nxt.start) > text.count("\n", prev.end, pieces[i].start)
    edits: list[Edit] = []
    for k in range(i, j + 1):
        p = pieces[k]
        if before:
            # Only chosen when there is a kept line before the run.
            lo = edits[-1].end if edits else pieces[k - 1].end
            hi = _skip_blanks(text, p.end)
        else:
            lo = _skip_blanks_back(text, p.start)
            if k + 1 < len(pieces):
                gap_end = pieces[k + 1].start
                nl = text.rfind("\n", p.end, gap_end)
                hi = nl + 1 if nl >= 0 else gap_end
            else:
                hi = _skip_blanks(text, p.end)
        assert p.verdict is not None
        name = f"boilerplate:{p.verdict.rule}" + (":block" if p.tail else "")
        edits.append(Edit(lo, hi, text[lo:hi], "", "boilerplate", name, p.verdict.confidence, "rules"))
    return edits


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _skip_blanks_back(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos
