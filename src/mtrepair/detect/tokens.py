"""The detector's own tokenizer: kinds and character offsets, one regex pass.

The detector does not depend on segment.py's tokens: it needs finer kinds (URL,
e-mail, @mention, #hashtag, number) than a sentence splitter does, and it must
run at well over 100,000 tokens/s, so it is one compiled pattern and a few
``str`` predicates per token.
"""

from __future__ import annotations

import re
from typing import Final

# Token kinds. Only WORD tokens carry language evidence; the others are
# transparent to the tagger but can sit inside a Spanish span.
WORD: Final = 0
NUM: Final = 1
PUNCT: Final = 2
URL: Final = 3
EMAIL: Final = 4
MENTION: Final = 5
HASHTAG: Final = 6
MIXED: Final = 7  # letters and digits together: "Covid-19", "Today90"
ABBREV: Final = 8  # dotted abbreviations: "i.e.", "e.g.", "a.m.", "N.Y.U."

_TLD = r"(?:com|org|net|gob|gov|edu|mx|es|info|io|co|uk|us|ly|me|tv)"
# Bounded quantifiers everywhere: article text is untrusted input.
_PATTERN = re.compile(
    r"(?P<email>[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8})"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"“”']{1,2000}"
    # bare domains as in seed 001: "medicosespecialistas.imssbienestar.gob.mx"
    r"|(?:[A-Za-z0-9-]{1,63}\.){1,8}" + _TLD + r"\b(?:/[^\s<>\"“”']{0,2000})?)"
    r"|(?P<mention>@\w{1,100})"
    r"|(?P<hashtag>#\w{1,200})"
    r"|(?P<abbrev>(?:[^\W\d_]\.){2,10})"
    r"|(?P<alnum>\w{1,200}(?:['’\-]\w{1,200}){0,10})"
    r"|(?P<other>\S)"
)
_GROUP_KIND: Final = {"email": EMAIL, "url": URL, "mention": MENTION, "hashtag": HASHTAG, "abbrev": ABBREV}


def _alnum_kind(tok: str) -> int:
    if tok.isalpha():
        return WORD
    if tok.isdigit():
        return NUM
    core = tok.replace("-", "").replace("'", "").replace("’", "").replace("_", "")
    if core.isalpha():
        return WORD
    if core.isdigit():
        return NUM
    return MIXED


def tokenize(text: str) -> list[tuple[int, int, int]]:
    """(start, end, kind) for every token of ``text``; whitespace is not a token."""
    out: list[tuple[int, int, int]] = []
    append = out.append
    for m in _PATTERN.finditer(text):
        group = m.lastgroup
        start, end = m.span()
        if group == "alnum":
            append((start, end, _alnum_kind(text[start:end])))
        elif group == "other":
            append((start, end, PUNCT))
        else:
            append((start, end, _GROUP_KIND[group]))  # type: ignore[index]
    return out
