"""Migration of a schema-1 store (Parquet parts + MANIFEST.json) to Delta tables, on first open.

The live rows of each old table are written to its Delta table in one overwrite
commit; edits get ``status`` "applied" (schema 1 recorded only the edits the
pipeline applied) and segments their ``pair_id``. Only when every table's row count matches the old store's is
MANIFEST.json moved away, then the old parts, into ``_legacy-schema1/`` (delete it
once satisfied). A migration killed half-way leaves MANIFEST.json in place and runs
again from the start on the next open; the overwrite commits make that idempotent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from ..errors import CorpusError
from .delta import Notify, commit_parts, ensure, load, write_part
from .legacy import MANIFEST_NAME, read_legacy
from .pairid import pair_ids
from .schema import DOCUMENT_TABLES, EDITS, SEGMENTS, TABLES, schema_of

LEGACY_DIR: Final = "_legacy-schema1"
LOCK_NAME: Final = ".lock"
# Wait this long for the lock in one go, then say so and wait again (issue 12: never skip silently).
LOCK_WAIT_S: Final = 30.0
LOCK_GIVE_UP_S: Final = 1800.0


@dataclass(frozen=True)
class MigrationSummary:
    rows: dict[str, int]
    moved_to: Path


def _rows(lf: pl.LazyFrame, table: str) -> pl.LazyFrame:
    if table == EDITS:
        lf = lf.with_columns(pl.lit("applied").alias("status"))
    if table == SEGMENTS:
        lf = lf.map_batches(
            lambda df: df.with_columns(pair_ids(df.get_column("original"), df.get_column("repaired"))),
            schema=pl.Schema({**lf.collect_schema(), "pair_id": pl.String()}),
        )
    return lf.select(list(schema_of(table)))


def migrate(directory: Path, notify: Notify, *, lock_wait_s: float = LOCK_WAIT_S) -> MigrationSummary | None:
    """Migrate ``directory`` if it holds a schema-1 store; None when there is nothing to migrate.

    Another process holding the store's lock (migrating it too) is waited for, with a message
    every ``lock_wait_s`` seconds, never skipped.
    """
    if not (directory / MANIFEST_NAME).is_file():
        return None
    from filelock import FileLock, Timeout

    lock = FileLock(str(directory / LOCK_NAME))
    waited = 0.0
    while True:
        try:
            lock.acquire(timeout=lock_wait_s)
            break
        except Timeout:
            waited += lock_wait_s
            if waited >= LOCK_GIVE_UP_S:
                raise CorpusError(
                    f"another mtrepair process has held the store's lock for {waited:.0f} s; nothing was written, "
                    "run the command again when it has finished",
                    path=str(directory / LOCK_NAME),
                ) from None
            notify(f"waiting for another mtrepair process to finish with {directory} ({waited:.0f} s so far)")
    try:
        legacy = read_legacy(directory)  # again, under the lock: another process may have migrated it
        if legacy is None:
            return None
        notify(f"migrating the corpus store {directory} to Delta Lake tables (schema 1 → 2)")
        expected: dict[str, int] = {}
        for table in TABLES:
            lf = _rows(legacy.live(table) if table in DOCUMENT_TABLES else legacy.scan(table), table)
            try:
                expected[table] = int(lf.select(pl.len()).collect().item())
                ensure(directory, table)
                # Streamed from the old parts into one file; one overwrite commit, so a migration
                # killed and run again replaces what the first one wrote.
                part = write_part(directory, table, lf)
                commit_parts(
                    directory, table, [part], "overwrite", f"migrate: {expected[table]} row(s) from schema 1", notify
                )
            except (pl.exceptions.PolarsError, OSError) as exc:
                raise CorpusError(
                    f"cannot read the old-format {table} parts to migrate them ({exc}); restore them from a backup",
                    path=str(directory),
                ) from exc
        for table, n in expected.items():
            dt = load(directory, table)
            found = pl.scan_delta(dt).select(pl.len()).collect().item() if dt is not None else 0
            if found != n:
                raise CorpusError(
                    f"migration check failed: {table} has {found} rows, the old store {n}; the old store is kept",
                    path=str(directory),
                )
        moved = directory / LEGACY_DIR
        moved.mkdir(exist_ok=True)
        os.replace(directory / MANIFEST_NAME, moved / MANIFEST_NAME)  # from here on the store is the Delta one
        for path in legacy.files():
            if path.exists():
                os.replace(path, moved / path.name)
        notify(f"migrated {sum(expected.values())} row(s); the old files are in {moved} (delete it when satisfied)")
        return MigrationSummary(expected, moved)
    finally:
        lock.release()
