"""TMX 1.4b: the translation-memory exchange format every CAT tool and MT toolkit reads.

Written in batches: each batch of rows becomes TMX text through polars string
expressions and is appended to the file, so a million pairs never exist as
Python objects. The columns beyond source and target travel as ``<prop>``
elements (``x-`` types, as TMX reserves for user-defined properties).

A ``tuid`` is a content id of the pair (``pairid.py``): the same source and target get
the same tuid in every export, so a CAT tool or an MT data pipeline that merges two
exports sees one unit, not two (issue 11). The same pair exported twice without
``--dedup`` carries the same tuid twice (the DTD types tuid as CDATA, not ID).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import IO

import polars as pl

from ...errors import CorpusError
from ..pairid import pair_id, pair_ids
from ..schema import export_schema
from .escape import XML_SPECIAL, columns_with, write_lines, xml_escaped
from .meta import ExportMeta, xml_attr
from .xmlread import frame_from_strings, iterparse_safely

# Columns written as <prop type="x-…">; source/target are the two <tuv>.
PROPS = ("status", "confidence", "engine", "doc_id", "date", "count")
SEGTYPE = {"segments": "sentence", "spans": "phrase", "terms": "phrase"}


def header(meta: ExportMeta) -> str:
    created = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    attrs = {
        "creationtool": "mtrepair",
        "creationtoolversion": meta.tool_version,
        "segtype": SEGTYPE.get(meta.kind, "phrase"),
        "o-tmf": "mtrepair-corpus",
        "adminlang": "en",
        "srclang": meta.src_lang,
        "datatype": "plaintext",
        "creationdate": created,
    }
    head = " ".join(f"{k}={xml_attr(v)}" for k, v in attrs.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tmx version="1.4">\n'
        f"<header {head}>\n"
        f'<prop type="x-kind">{meta.kind}</prop>\n'
        "</header>\n<body>\n"
    )


def _element(s: pl.Series, special: bool, open_tag: str, close_tag: str) -> tuple[pl.Expr, int]:
    """``<tag>escaped value</tag>``, or nothing where the value is null."""
    text, dropped = xml_escaped(s, special)
    element = pl.concat_str([pl.lit(open_tag), text, pl.lit(close_tag)])
    if s.null_count():
        element = pl.when(pl.col(s.name).is_null()).then(pl.lit("")).otherwise(element)
    return element, dropped


content_id = pair_id  # the name the tests and README use


def content_ids(df: pl.DataFrame) -> pl.Series:
    """The tuid of every row: the stored ``_tuid`` (segment pairs) where there is one, else hashed now."""
    if "_tuid" in df.columns and not df.get_column("_tuid").null_count():
        return df.get_column("_tuid")
    return pair_ids(df.get_column("source"), df.get_column("target"))


def tu_line(df: pl.DataFrame, meta: ExportMeta) -> tuple[pl.Expr, int]:
    """The expression of one ``<tu>`` per row of this batch, and the characters dropped."""
    dropped = 0
    special = columns_with(df, XML_SPECIAL)
    parts: list[pl.Expr] = [pl.lit('<tu tuid="'), pl.lit(content_ids(df)), pl.lit('">')]
    for col in PROPS:
        prop, n = _element(df.get_column(col), col in special, f'<prop type="x-{col}">', "</prop>")
        parts.append(prop)
        dropped += n
    source, n = xml_escaped(df.get_column("source"), "source" in special)
    dropped += n
    parts += [pl.lit(f"<tuv xml:lang={xml_attr(meta.src_lang)}><seg>"), source.fill_null(""), pl.lit("</seg></tuv>")]
    target, n = _element(
        df.get_column("target"), "target" in special, f"<tuv xml:lang={xml_attr(meta.tgt_lang)}><seg>", "</seg></tuv>"
    )
    parts += [target, pl.lit("</tu>")]
    return pl.concat_str(parts), dropped + n


def write_tmx(lf: pl.LazyFrame, out: IO[bytes], meta: ExportMeta, batch_rows: int) -> tuple[int, int]:
    """Stream ``lf`` (export columns) into ``out``; returns (rows, control characters dropped)."""
    out.write(header(meta).encode("utf-8"))
    rows = dropped = 0
    for df in lf.collect_batches(chunk_size=batch_rows):
        if not df.height:
            continue
        line, n = tu_line(df, meta)
        write_lines(df, line, out)
        dropped += n
        rows += df.height
    out.write(b"</body>\n</tmx>\n")
    return rows, dropped


def read_tmx(path: Path) -> pl.DataFrame:
    """A TMX file back into the export frame (source = the header's srclang)."""
    columns: dict[str, list[str | None]] = {c: [] for c in export_schema()}
    srclang: str | None = None
    for event, tag, el in iterparse_safely(path, ("start", "end")):
        if event == "start":
            if tag == "header":
                srclang = (el.get("srclang") or "").lower()
            continue
        if tag != "tu":
            continue
        props = {p.get("type", "")[2:]: p.text or "" for p in el.iterfind("prop") if p.get("type", "").startswith("x-")}
        source: str | None = None
        target: str | None = None
        for tuv in el.iterfind("tuv"):
            lang = (tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            value = "".join(seg.itertext()) if seg is not None else ""
            if lang == srclang and source is None:
                source = value
            elif target is None:
                target = value
        if source is None:
            raise CorpusError(
                f"a <tu> has no <tuv> in the source language {srclang!r}", path=str(path), line=el.sourceline
            )
        columns["source"].append(source)
        columns["target"].append(target)
        for c in PROPS:
            columns[c].append(props.get(c))
        el.clear()
    if srclang is None:
        raise CorpusError("no TMX <header>; not a TMX file", path=str(path))
    return frame_from_strings(columns)
