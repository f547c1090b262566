"""XLIFF 2.0 (OASIS core, with the Metadata module for the corpus columns).

XLIFF 2.0 can carry characters XML 1.0 forbids, as ``<cp hex="0007"/>``, so unlike
TMX nothing is dropped. Review statuses map onto the core ``state`` attribute
(approved/edited → final, machine → translated, untranslated/rejected → initial);
the exact status travels in ``mda:meta``.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import polars as pl

from ...errors import CorpusError
from ..schema import ACCEPTED_STATUSES, export_schema
from .escape import XML_SPECIAL, columns_with, write_lines, xliff_escaped
from .meta import ExportMeta, xml_attr
from .xmlread import frame_from_strings, iterparse_safely, local_name

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
META = ("status", "confidence", "engine", "doc_id", "date", "count")


def header(meta: ExportMeta) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{XLIFF_NS}" xmlns:mda="{MDA_NS}" version="2.0" '
        f"srcLang={xml_attr(meta.src_lang)} trgLang={xml_attr(meta.tgt_lang)}>\n"
        f'<file id="f1" original={xml_attr("mtrepair-corpus-" + meta.kind)}>\n'
    )


def _element(s: pl.Series, special: bool, open_tag: str, close_tag: str) -> pl.Expr:
    element = pl.concat_str([pl.lit(open_tag), xliff_escaped(s, special), pl.lit(close_tag)])
    if s.null_count():
        element = pl.when(pl.col(s.name).is_null()).then(pl.lit("")).otherwise(element)
    return element


def unit_line(df: pl.DataFrame, first_id: int) -> pl.Expr:
    special = columns_with(df, XML_SPECIAL)
    state = (
        pl.when(pl.col("target").is_null() | pl.col("status").is_in(["rejected", "untranslated"]))
        .then(pl.lit("initial"))
        .when(pl.col("status").is_in(ACCEPTED_STATUSES))
        .then(pl.lit("final"))
        .otherwise(pl.lit("translated"))
    )
    return pl.concat_str(
        [
            pl.lit('<unit id="u'),
            pl.int_range(first_id, first_id + df.height, dtype=pl.Int64).cast(pl.String),
            pl.lit('"><mda:metadata><mda:metaGroup category="mtrepair">'),
            *[_element(df.get_column(c), c in special, f'<mda:meta type="{c}">', "</mda:meta>") for c in META],
            pl.lit('</mda:metaGroup></mda:metadata><segment state="'),
            state.fill_null("translated"),
            pl.lit('"><source>'),
            xliff_escaped(df.get_column("source"), "source" in special).fill_null(""),
            pl.lit("</source>"),
            _element(df.get_column("target"), "target" in special, "<target>", "</target>"),
            pl.lit("</segment></unit>"),
        ]
    )


def write_xliff(lf: pl.LazyFrame, out: IO[bytes], meta: ExportMeta, batch_rows: int) -> tuple[int, int]:
    out.write(header(meta).encode("utf-8"))
    rows = 0
    for df in lf.collect_batches(chunk_size=batch_rows):
        if df.height:
            write_lines(df, unit_line(df, rows + 1), out)
            rows += df.height
    out.write(b"</file>\n</xliff>\n")
    return rows, 0


def _content(el: Any) -> str:
    """Text of <source>/<target>/<mda:meta>, with <cp hex> turned back into its character."""
    parts = [el.text or ""]
    for child in el:
        if local_name(child.tag) == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError as exc:
                raise CorpusError(f"bad <cp hex={child.get('hex')!r}>", line=child.sourceline) from exc
        else:
            parts.append(_content(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_xliff(path: Path) -> pl.DataFrame:
    columns: dict[str, list[str | None]] = {c: [] for c in export_schema()}
    seen_root = False
    for _event, tag, el in iterparse_safely(path, ("end",)):
        if tag == "xliff":
            seen_root = True
        if tag != "unit":
            continue
        values: dict[str, str | None] = {c: None for c in columns}
        for child in el.iter():
            name = local_name(child.tag)
            if name == "meta":
                values[child.get("type", "")] = _content(child)
            elif name in ("source", "target") and values[name] is None:
                values[name] = _content(child)
        if values["source"] is None:
            raise CorpusError("a <unit> has no <source>", path=str(path), line=el.sourceline)
        for c in columns:
            columns[c].append(values[c])
        el.clear()
    if not seen_root:
        raise CorpusError("no <xliff> root element; not an XLIFF file", path=str(path))
    return frame_from_strings(columns)
