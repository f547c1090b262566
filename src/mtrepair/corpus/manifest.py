"""The store's manifest: which Parquet parts make up each table, and the schema version.

The manifest is the store's single point of truth. Writers put new parts under
fresh names and then swap MANIFEST.json with os.replace; a writer killed before
the swap leaves the old manifest, which still names only complete, old parts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from .files import write_text_atomic
from .schema import MANIFEST_NAME, SCHEMA_VERSION, STORE_FORMAT, TABLES

# Files a writer creates; only these are ever deleted by garbage collection.
PART_NAME = re.compile(r"^(?:" + "|".join(TABLES) + r")-\d{8}-[0-9a-f]{8}\.parquet$")
TMP_NAME = re.compile(r"^\.(?:[A-Za-z0-9_.-]+)\.[0-9a-f]{8}\.tmp$")


def part_name(table: str, generation: int, token: str) -> str:
    return f"{table}-{generation:08d}-{token}.parquet"


@dataclass(frozen=True)
class Manifest:
    generation: int = 0
    tables: dict[str, tuple[str, ...]] = field(default_factory=lambda: {t: () for t in TABLES})
    # Parts dropped by the last write; kept one more generation for readers still scanning them.
    retired: tuple[str, ...] = ()
    # Document rows superseded since the last compaction (0: every row is live).
    dead_documents: int = 0
    schema_version: int = SCHEMA_VERSION
    written_by: str = ""
    updated: str = ""

    def referenced(self) -> set[str]:
        return {name for parts in self.tables.values() for name in parts} | set(self.retired)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": STORE_FORMAT,
            "schema_version": self.schema_version,
            "generation": self.generation,
            "tables": {t: list(self.tables.get(t, ())) for t in TABLES},
            "retired": list(self.retired),
            "dead_documents": self.dead_documents,
            "written_by": self.written_by,
            "updated": self.updated,
        }


def read_manifest(directory: Path) -> Manifest | None:
    """The manifest of ``directory``; None when no store was ever written there."""
    path = directory / MANIFEST_NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read the corpus manifest ({exc})", path=str(path)) from exc
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
    version = data.get("schema_version")
    if not isinstance(version, int):
        raise CorpusError("the corpus manifest has no schema_version; restore it from a backup", path=str(path))
    if version > SCHEMA_VERSION:
        raise CorpusError(
            f"written by a newer mtrepair (corpus schema {version}, this mtrepair reads up to "
            f"{SCHEMA_VERSION}); upgrade mtrepair to use this store",
            path=str(path),
        )
    try:
        tables_raw = data["tables"]
        tables = {t: tuple(str(n) for n in tables_raw.get(t, ())) for t in TABLES}
        return Manifest(
            generation=int(data["generation"]),
            tables=tables,
            retired=tuple(str(n) for n in data.get("retired", ())),
            dead_documents=int(data.get("dead_documents", 0)),
            schema_version=version,
            written_by=str(data.get("written_by", "")),
            updated=str(data.get("updated", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorpusError(
            f"the corpus manifest is malformed ({exc!r}); restore it from a backup", path=str(path)
        ) from exc


def write_manifest(directory: Path, manifest: Manifest) -> None:
    from .. import __version__

    stamped = Manifest(
        generation=manifest.generation,
        tables=manifest.tables,
        retired=manifest.retired,
        dead_documents=manifest.dead_documents,
        schema_version=SCHEMA_VERSION,
        written_by=f"mtrepair {__version__}",
        updated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    text = json.dumps(stamped.to_json(), indent=1, ensure_ascii=False) + "\n"
    write_text_atomic(directory / MANIFEST_NAME, text, "corpus manifest")
