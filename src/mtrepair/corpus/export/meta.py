"""What every exporter needs to know besides the rows: languages, kind, tool version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from ...errors import CorpusError

# BCP 47 shape (language, optional script/region/variants, optional private use: "en-x-mt").
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,8}$")


@dataclass(frozen=True)
class ExportMeta:
    kind: str  # segments | spans | terms
    src_lang: str
    tgt_lang: str
    tool_version: str


def check_lang(tag: str) -> str:
    if not _LANG_TAG.match(tag):
        raise CorpusError(f"{tag!r} is not a BCP 47 language tag; use e.g. es, en, en-x-mt")
    return tag


def default_langs(kind: str) -> tuple[str, str]:
    """Spans and terms are Spanish → English; segments are raw MT English → repaired English."""
    return ("en-x-mt", "en") if kind == "segments" else ("es", "en")


def xml_attr(value: str) -> str:
    return quoteattr(value)
