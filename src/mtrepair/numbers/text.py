"""What follows or precedes an expression: the currency of "millones de pesos", a dangling article."""

from __future__ import annotations

import re

_DE_RE = re.compile(r"[ \t\u00a0]{1,4}de[ \t\u00a0]{1,4}(\w{1,20})", re.IGNORECASE)
ARTICLE_BEFORE_RE = re.compile(r"(?<![\w\-])an?[ \t\u00a0]+$", re.IGNORECASE)
# the low end of a range that shares the scale word of its high end: "5 and 10 thousand",
# "20 to 30 mil", "5 y 10 mil" (bounded; searched in the 24 characters before the expression)
RANGE_BEFORE_RE = re.compile(
    r"(?<![\w.,\-/])(?P<low>\d{1,3})(?P<mid>[ \t\u00a0]{1,3}(?:and|to|or|y|a|o)[ \t\u00a0]{1,3})$", re.IGNORECASE
)
_CURRENCIES = {"pesos": "pesos", "dólares": "dollars", "dolares": "dollars", "euros": "euros"}


def currency_after(text: str, pos: int, limit: int) -> tuple[int, str | None, bool]:
    """After a Spanish million word: (end, English currency or None, followed by "de")."""
    m = _DE_RE.match(text, pos, limit)
    if m is None:
        return pos, None, False
    cur = _CURRENCIES.get(m.group(1).lower())
    return (m.end(), cur, True) if cur else (pos, None, True)
