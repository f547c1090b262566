"""The store format before Delta Lake (schema 1), read only to migrate it.

Schema 1 kept each table as Parquet parts in the store folder and a MANIFEST.json
naming the parts of each table. A DuckDB glob or ``pyarrow.dataset`` over that
folder saw superseded parts as live rows (issue 11: 37 documents for 36 ids), so
schema 2 moved every table into its own Delta table; this module reads the old
layout once, for ``migrate.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from ..errors import CorpusError
from .schema import DOCUMENT_TABLES, DOCUMENTS, EDITS, SEGMENTS, STORE_FORMAT, TABLES

MANIFEST_NAME: Final = "MANIFEST.json"
LEGACY_VERSION: Final = 1


def legacy_schema(table: str) -> pl.Schema:
    """The columns a schema-1 part of ``table`` has (no edits ``status``, no segments ``pair_id`` yet)."""
    columns = dict(TABLES[table])
    if table == EDITS:
        columns.pop("status")
    if table == SEGMENTS:
        columns.pop("pair_id")
    return pl.Schema(columns)


@dataclass(frozen=True)
class LegacyStore:
    directory: Path
    tables: dict[str, tuple[str, ...]]

    def files(self) -> list[Path]:
        return [self.directory / name for parts in self.tables.values() for name in parts]

    def scan(self, table: str) -> pl.LazyFrame:
        parts = self.tables.get(table, ())
        if not parts:
            return pl.LazyFrame(schema=legacy_schema(table))
        return pl.scan_parquet([self.directory / p for p in parts], schema=legacy_schema(table))

    def live(self, table: str) -> pl.LazyFrame:
        """Rows of the latest revision of each document (schema 1: highest ``rev`` per ``doc_hash``)."""
        lf = self.scan(table)
        if table in DOCUMENT_TABLES:
            revs = self.scan(DOCUMENTS).group_by("doc_hash").agg(pl.col("rev").max()).select("rev")
            lf = lf.join(revs, on="rev", how="semi", maintain_order="left")
        return lf


def read_legacy(directory: Path) -> LegacyStore | None:
    """The schema-1 store in ``directory``; None when there is no MANIFEST.json."""
    path = directory / MANIFEST_NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read the old-format corpus manifest ({exc})", path=str(path)) from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"the corpus manifest is not valid JSON ({exc.msg}); restore it from a backup",
            path=str(path),
            line=exc.lineno,
        ) from exc
    if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
        raise CorpusError("not an mtrepair corpus manifest; point --corpus at a corpus store", path=str(path))
    if data.get("schema_version") != LEGACY_VERSION:
        raise CorpusError(
            f"MANIFEST.json says corpus schema {data.get('schema_version')!r}; this mtrepair migrates schema 1 only",
            path=str(path),
        )
    try:
        tables = {t: tuple(str(n) for n in data["tables"].get(t, ())) for t in TABLES}
    except (KeyError, TypeError, AttributeError) as exc:
        raise CorpusError(
            f"the corpus manifest is malformed ({exc!r}); restore it from a backup", path=str(path)
        ) from exc
    for name in (n for parts in tables.values() for n in parts):
        if not (directory / name).is_file():
            raise CorpusError(
                "this part, named in MANIFEST.json, is missing; restore it from a backup", path=str(directory / name)
            )
    return LegacyStore(directory, tables)
