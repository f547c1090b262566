"""Importer fuzz (issue 12 part 5): random bytes, text and structure into every importer.

Each importer must either import or raise the project's one error type (MtrepairError:
GlossaryError, InputError), which the CLI turns into one line; any other exception is a
traceback for the user and fails here. Importers: glossary TSV, CSV, OmegaT, TBX v2 and v3
(``glossary.formats.read_entries``, then ``import_entries`` into a scratch glossary), and
the article reader's ``decode_bytes`` and ``parse_jsonl`` (whose bad lines come back as
InputError values, never raised).

The suite runs a few dozen examples per importer, and a longer version marked slow
(``MTREPAIR_FUZZ_EXAMPLES`` sets its count).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtrepair.errors import InputError, MtrepairError
from mtrepair.glossary.entry import COLUMNS, Entry
from mtrepair.glossary.formats import read_entries
from mtrepair.glossary.review import import_entries
from mtrepair.ingest import Source, decode_bytes, parse_jsonl
from mtrepair.model import Document

SHORT = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
# The slow version: about 20 s for all importers at 300 examples; MTREPAIR_FUZZ_EXAMPLES=1500 is a
# soak of about 4 minutes (run clean when this file was written).
LONG = settings(
    max_examples=int(os.environ.get("MTREPAIR_FUZZ_EXAMPLES", "300")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Text that reaches every corner: controls, NUL, BOMs, bidi and zero-width marks, combining
# marks, astral characters, the delimiters of each format, and Apertium's stream characters.
_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("\x00\t\n\r\x0b\x0c\x1b\ud800\ufeff\u200b\u200e\u202e\u0301\"',;|#<>&=+-@^$/{}[]\\*é😀")),
)
TEXT = st.text(_ALPHABET, max_size=40)
LANGS = st.sampled_from(["es", "en", "es-MX", "en-US", "EN_gb", "spa", "fr", "", "x" * 3, "es-", "-en"])


def _bytes_from_text(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass")


RAW = st.one_of(
    st.binary(max_size=600),
    st.builds(_bytes_from_text, st.text(_ALPHABET, max_size=300), st.sampled_from(["utf-8", "utf-16", "utf-32"])),
)


# -- structured inputs ---------------------------------------------------------------------------------


@st.composite
def delimited(draw: st.DrawFn, sep: str) -> bytes:
    """A header (real columns, some wrong) and rows of random fields, sometimes quoted."""
    names = draw(st.lists(st.sampled_from([*COLUMNS, "meaning", "Source", ""]), min_size=1, max_size=10))
    if draw(st.booleans()):
        names = list(COLUMNS)
    lines = [sep.join(names)]
    values = st.one_of(TEXT, st.sampled_from(["term", "variant", "keep", "family", "approved", "proposed",
                                              "rejected", "sensitive", "insensitive", "2024-01-01", "a|b||c"]))  # fmt: skip
    for _ in range(draw(st.integers(0, 5))):
        fields = draw(st.lists(values, min_size=0, max_size=len(names) + 2))
        if draw(st.booleans()):
            fields = [f'"{f}"' for f in fields]
        lines.append(sep.join(fields))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return (newline.join(lines) + draw(st.sampled_from(["", newline]))).encode("utf-8", errors="surrogatepass")


_TBX_CHILDREN: dict[str, list[str]] = {
    "body": ["termEntry", "conceptEntry"],
    "termEntry": ["langSet", "langSec", "note", "transacGrp", "descrip"],
    "conceptEntry": ["langSec", "langSet", "note", "transacGrp"],
    "langSet": ["tig", "ntig", "termSec", "note"],
    "langSec": ["termSec", "tig"],
    "tig": ["term", "termNote", "note"],
    "ntig": ["termGrp"],
    "termGrp": ["term", "termNote"],
    "termSec": ["term", "termNote", "note"],
    "transacGrp": ["transac", "date", "transacNote"],
}
_NOTES = st.one_of(
    TEXT,
    st.sampled_from(["preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts",
                     "supersededTerm-admn-sts", "variant", "mtrepair-kind: family", "mtrepair-case: sensitive",
                     "2024-02-30", "2024-01-01"]),
)  # fmt: skip


def _xml_safe(text: str) -> str:
    """What XML 1.0 can hold: lxml refuses controls and lone surrogates in a tree."""
    return "".join(
        c for c in text if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff"
    )


@st.composite
def tbx(draw: st.DrawFn) -> bytes:
    """A TBX v2 or v3 tree of the real element names, random languages, texts and ids, then
    sometimes cut or spliced (so it stops being well-formed)."""
    from lxml import etree

    v3 = draw(st.booleans())
    ns = "urn:iso:std:iso:30042:ed-2" if v3 else None
    root = etree.Element(f"{{{ns}}}tbx" if ns else "martif", nsmap={None: ns} if ns else None)

    def sub(parent: Any, name: str) -> Any:
        return etree.SubElement(parent, f"{{{ns}}}{name}" if ns else name)

    body = sub(sub(root, "text"), "body")

    def grow(parent: Any, name: str, depth: int) -> None:
        for child_name in draw(st.lists(st.sampled_from(_TBX_CHILDREN.get(name, ["term"])), max_size=3)):
            child = sub(parent, child_name)
            if child_name in ("langSet", "langSec"):
                child.set("{http://www.w3.org/XML/1998/namespace}lang", draw(LANGS))
            if child_name in ("termEntry", "conceptEntry") and draw(st.booleans()):
                child.set("id", _xml_safe(draw(TEXT)))
            if child_name == "termNote":
                child.set("type", draw(st.sampled_from(["administrativeStatus", "termType", "partOfSpeech"])))
            if child_name == "transacNote":
                child.set("type", "responsibility")
            if child_name in _TBX_CHILDREN and depth < 4:
                grow(child, child_name, depth + 1)
            else:
                child.text = _xml_safe(draw(_NOTES))

    grow(body, "body", 0)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    if cut is not None:
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut:][: draw(st.integers(0, 40))]
    return data


@st.composite
def jsonl(draw: st.DrawFn) -> str:
    """JSONL lines: records with the real keys and random values of every JSON type, broken
    lines, deep nesting, huge integers, lone surrogate escapes."""
    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT)
    value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                         max_leaves=6)  # fmt: skip
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["record", "raw", "deep", "bigint", "surrogate"]))
        if kind == "record":
            keys = draw(st.lists(st.sampled_from(["id", "text", "title", "date", "url", "extra"]), max_size=6))
            lines.append(json.dumps({k: draw(value | TEXT) for k in keys}))
        elif kind == "raw":
            lines.append(draw(TEXT))
        elif kind == "deep":
            n = draw(st.integers(1, 5000))
            lines.append('{"text": ' + "[" * n + "]" * n + "}")
        elif kind == "bigint":
            lines.append('{"id": ' + "9" * draw(st.integers(1, 6000)) + ', "text": "hola"}')
        else:
            lines.append('{"id": "\\ud800", "text": "a\\udfff b"}')
    return "\n".join(lines)


# -- the properties ----------------------------------------------------------------------------------


def _import_or_error(data: bytes, fmt: str) -> None:
    try:
        entries = read_entries(data, f"fuzz.{fmt}", fmt)
    except MtrepairError as exc:
        assert str(exc).startswith("fuzz.")  # the message names the file
        return
    assert all(isinstance(e, Entry) for e in entries)
    # A conflict or an invalid row is one clear error too.
    with tempfile.TemporaryDirectory() as scratch, contextlib.suppress(MtrepairError):
        import_entries(Path(scratch) / "g", entries, author="fuzz")


def _read_articles(text: str) -> None:
    for item in parse_jsonl(text, Source("fuzz.jsonl", "fuzz.jsonl")):
        assert isinstance(item, (Document, InputError))
        if isinstance(item, Document):
            assert isinstance(item.doc_id, str) and isinstance(item.text, str)


def _decode(data: bytes) -> None:
    with contextlib.suppress(InputError):
        assert isinstance(decode_bytes(data, "fuzz.txt"), str)


CASES: list[tuple[str, Any, Callable[[Any], None]]] = [
    ("tsv-structured", delimited("\t"), lambda d: _import_or_error(d, "tsv")),
    ("csv-structured", delimited(","), lambda d: _import_or_error(d, "csv")),
    ("omegat-structured", delimited("\t"), lambda d: _import_or_error(d, "omegat")),
    ("tbx-structured", tbx(), lambda d: _import_or_error(d, "tbx")),
    ("tbx2-structured", tbx(), lambda d: _import_or_error(d, "tbx2")),
    ("tsv-raw", RAW, lambda d: _import_or_error(d, "tsv")),
    ("csv-raw", RAW, lambda d: _import_or_error(d, "csv")),
    ("omegat-raw", RAW, lambda d: _import_or_error(d, "omegat")),
    ("tbx-raw", RAW, lambda d: _import_or_error(d, "tbx")),
    ("jsonl-structured", jsonl(), _read_articles),
    ("jsonl-raw", st.text(_ALPHABET, max_size=300), _read_articles),
    ("article-bytes", RAW, _decode),
]


@pytest.mark.parametrize(("strategy", "check"), [pytest.param(s, c, id=name) for name, s, c in CASES])
def test_an_importer_imports_or_says_why(strategy: Any, check: Callable[[Any], None]) -> None:
    run: Any = SHORT(given(strategy)(check))
    run()


@pytest.mark.slow
@pytest.mark.parametrize(("strategy", "check"), [pytest.param(s, c, id=name) for name, s, c in CASES])
def test_an_importer_imports_or_says_why_long(strategy: Any, check: Callable[[Any], None]) -> None:
    run: Any = LONG(given(strategy)(check))
    run()
