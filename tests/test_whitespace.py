"""Spacing and control-character fixes, each through the real pipeline stage function."""

from __future__ import annotations

import pytest

from mtrepair.model import apply_edits
from mtrepair.whitespace import find_whitespace_edits


def _fix(text: str) -> tuple[str, set[str]]:
    edits = find_whitespace_edits(text, 0, len(text))
    return apply_edits(text, edits), {e.rule for e in edits}


@pytest.mark.parametrize(
    ("before", "after", "rule"),
    [
        pytest.param("lack of personnel. . The same", "lack of personnel. The same", "whitespace:doubled-period", id="doubled-period"),
        pytest.param("of medical units .", "of medical units.", "whitespace:space-before-punct", id="space-before-punct"),
        pytest.param("school”By then", "school” By then", "whitespace:space-after-quote", id="space-after-quote"),
        pytest.param("the  hospital", "the hospital", "whitespace:double-space", id="double-space"),
        pytest.param("the hos\x00pital", "the hospital", "whitespace:control", id="nul"),
        pytest.param("beds\x07 and\x1f doctors", "beds and doctors", "whitespace:control", id="c0-controls"),
        pytest.param("the \x1b[31mIMSS\x1b[0m clinic", "the IMSS clinic", "whitespace:control", id="ansi-colour"),
        pytest.param("a\x7fb", "ab", "whitespace:control", id="del"),
    ],
)
def test_fixes(before: str, after: str, rule: str) -> None:
    fixed, rules = _fix(before)
    assert fixed == after
    assert rule in rules


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The IMSS opened 12 clinics. The ISSSTE opened two.", id="plain"),
        pytest.param("Tabs\tstay, and so do line ends.", id="tab"),
        pytest.param("Ellipsis... stays.", id="ellipsis"),
        pytest.param("U.S. officials said so.", id="initials"),
    ],
)
def test_clean_text_is_untouched(text: str) -> None:
    assert find_whitespace_edits(text, 0, len(text)) == []


def test_protected_region_is_left_alone() -> None:
    text = "see www.imss.gob.mx/a\x00b now"
    edits = find_whitespace_edits(text, 0, len(text), [(4, 23)])
    assert edits == []
