"""Vectorised escaping for the text formats, decided per batch and per column.

Article text is untrusted and carries what the web gave it: tabs, line breaks,
and now and then a control character (a BEL or a vertical tab pasted from a
word processor). Each format has its own rule for them, kept here in one place.
Most batches hold none of them: each column is checked once per batch and the
replacement chain is only built for columns that need it (the TMX export of a
million segments spends most of its time here otherwise).
"""

from __future__ import annotations

from typing import IO, Final

import polars as pl

# Characters XML 1.0 forbids even as character references (Char production, XML 1.0 §2.2).
XML_ILLEGAL: Final = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"
XML_ILLEGAL_CHARS: Final = tuple(
    [chr(c) for c in range(0x00, 0x09)] + ["\x0b", "\x0c"] + [chr(c) for c in range(0x0E, 0x20)] + ["\ufffe", "\uffff"]
)
# Anything that makes a value need XML escaping.
XML_SPECIAL: Final = r"[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"

# Everything Python's str.splitlines() or a Moses tool would treat as a line or field break.
LINE_BREAKS: Final = r"[\t\n\r\x0B\x0C\x1C-\x1E\x{85}\x{2028}\x{2029}]"
# Other C0 controls and DEL: invisible, and they confuse tokenizers.
OTHER_CONTROLS: Final = r"[\x00-\x08\x0E-\x1B\x1F\x7F]"
MOSES_SPECIAL: Final = r"[\x00-\x1F\x7F\x{85}\x{2028}\x{2029}]"


def _any(s: pl.Series, pattern: str) -> bool:
    return s.dtype == pl.String and bool(s.str.contains(pattern).any())


def columns_with(df: pl.DataFrame, pattern: str) -> set[str]:
    """The string columns of ``df`` holding ``pattern`` somewhere (one select: checked in parallel)."""
    names = [n for n, t in df.schema.items() if t == pl.String]
    if not names:
        return set()
    flags = df.select(pl.col(n).str.contains(pattern).any().alias(n) for n in names).row(0)
    return {n for n, flag in zip(names, flags, strict=True) if flag}


def as_text(s: pl.Series) -> pl.Expr:
    return pl.col(s.name) if s.dtype == pl.String else pl.col(s.name).cast(pl.String)


def xml_text(col: str) -> pl.Expr:
    """Element content for XML: & < > escaped, CR kept as &#13; (a parser would turn it into LF),
    characters XML 1.0 cannot hold removed."""
    return (
        pl.col(col)
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
        .str.replace_all("\r", "&#13;", literal=True)
        .str.replace_all(XML_ILLEGAL, "")
    )


def xml_escaped(s: pl.Series, special: bool) -> tuple[pl.Expr, int]:
    """The escaped text of column ``s`` and how many characters XML 1.0 forced us to drop.

    ``special``: whether the column holds any XML_SPECIAL character (see ``columns_with``)."""
    if not special:
        return as_text(s), 0
    dropped = int(s.str.count_matches(XML_ILLEGAL).sum() or 0)
    return xml_text(s.name), dropped


def xliff_escaped(s: pl.Series, special: bool) -> pl.Expr:
    """XLIFF 2.0 keeps what XML 1.0 cannot hold as ``<cp hex="…"/>``, so nothing is dropped."""
    if not special:
        return as_text(s)
    out = (
        pl.col(s.name)
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
        .str.replace_all("\r", "&#13;", literal=True)
    )
    if _any(s, XML_ILLEGAL):
        for ch in XML_ILLEGAL_CHARS:
            out = out.str.replace_all(ch, f'<cp hex="{ord(ch):04X}"/>', literal=True)
    return out


def one_line(col: str) -> pl.Expr:
    """Moses plain text: one segment per line, so breaks and tabs become spaces, controls go."""
    return pl.col(col).str.replace_all(LINE_BREAKS, " ").str.replace_all(OTHER_CONTROLS, "")


def moses_line(s: pl.Series, special: bool) -> tuple[pl.Expr, int]:
    """The one-line form of column ``s`` and how many of its values had to change."""
    if not special:
        return pl.col(s.name).fill_null(""), 0
    changed = int(s.str.contains(MOSES_SPECIAL).sum() or 0)
    return one_line(s.name).fill_null(""), changed


def write_lines(df: pl.DataFrame, line: pl.Expr, out: IO[bytes]) -> None:
    """Write one line per row, straight from polars (no Python string per row or per batch)."""
    df.select(line.alias("line")).write_csv(out, include_header=False, quote_style="never", null_value="")
