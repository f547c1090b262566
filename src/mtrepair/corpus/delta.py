"""Delta Lake plumbing for the store: one Delta table per record type, commits with retry.

Concurrency is the Delta log's: every commit is an atomic put-if-absent of the next
log entry, a blind append never conflicts, and a delete that lost the race to a
conflicting commit raises CommitFailedError. ``committing`` re-runs such an action
on a fresh snapshot, telling the user the store is busy, and never gives up
silently (issue 12: a busy store used to be skipped after a 60 s lock timeout).
"""

from __future__ import annotations

import json
import re
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar

import polars as pl
import pyarrow as pa
from deltalake import CommitProperties, DeltaTable
from deltalake.exceptions import CommitFailedError, DeltaError, TableNotFoundError
from deltalake.transaction import AddAction, RemoveAction

from ..atomic import fsync_file
from ..errors import CorpusError
from .schema import DESCRIPTION_PREFIX, REVIEWS, SCHEMA_VERSION, schema_of

T = TypeVar("T")
Notify = Callable[[str], None]

# A busy store is retried for this long before the writer fails loudly (never silently).
BUSY_GIVE_UP_S: Final = 600.0
_BACKOFF_S: Final = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
_SCHEMA_IN_DESCRIPTION = re.compile(re.escape(DESCRIPTION_PREFIX) + r"(\d{1,4})")
# What delta-rs says when two writers race to create version 0 of a table.
_CREATE_RACE = re.compile(r"already exists|version 0", re.IGNORECASE)


def notify_stderr(message: str) -> None:
    sys.stderr.write(f"mtrepair: {message}\n")
    sys.stderr.flush()


def table_path(directory: Path, table: str) -> Path:
    return directory / table


def is_table(directory: Path, table: str) -> bool:
    return (table_path(directory, table) / "_delta_log").is_dir()


def arrow_schema(table: str) -> pa.Schema:
    return pl.DataFrame(schema=schema_of(table)).to_arrow().schema


def description(table: str) -> str:
    return f"{DESCRIPTION_PREFIX}{SCHEMA_VERSION}; mtrepair corpus table {table}"


def schema_version(dt: DeltaTable) -> int | None:
    """The mtrepair schema version a table was written with (None: not an mtrepair table)."""
    m = _SCHEMA_IN_DESCRIPTION.match(dt.metadata().description or "")
    return int(m.group(1)) if m else None


def load(directory: Path, table: str, version: int | None = None) -> DeltaTable | None:
    """The table (at ``version``); None when it was never written."""
    path = table_path(directory, table)
    if not is_table(directory, table):
        return None
    try:
        dt = DeltaTable(str(path), version=version)
    except TableNotFoundError:
        return None
    except (DeltaError, OSError, ValueError) as exc:
        if version is not None and "version" in str(exc).lower():
            raise CorpusError(f"this table has no version {version} ({_first_line(exc)})", path=str(path)) from exc
        raise CorpusError(f"cannot read this Delta table ({_first_line(exc)})", path=str(path)) from exc
    found = schema_version(dt)
    if found is None:
        raise CorpusError("a Delta table, but not one mtrepair wrote; point --corpus at a corpus store", path=str(path))
    if found > SCHEMA_VERSION:
        raise CorpusError(
            f"written by a newer mtrepair (corpus schema {found}, this mtrepair reads up to {SCHEMA_VERSION}); "
            "upgrade mtrepair to use this store",
            path=str(path),
        )
    return dt


def ensure(directory: Path, table: str) -> None:
    """Create the (empty) table unless it exists; a writer racing to create it is fine."""
    if is_table(directory, table):
        return
    path = table_path(directory, table)
    try:
        DeltaTable.create(
            str(path),
            arrow_schema(table),
            mode="ignore",
            name=table,
            description=description(table),
            commit_properties=CommitProperties(custom_metadata={"mtrepair.summary": f"create {table}"}),
        )
    except (CommitFailedError, DeltaError) as exc:
        if not (is_table(directory, table) and _CREATE_RACE.search(str(exc))):
            raise CorpusError(f"cannot create this Delta table ({_first_line(exc)})", path=str(path)) from exc


def committing(action: Callable[[], T], what: str, path: Path, notify: Notify = notify_stderr) -> T:
    """Run ``action`` (which loads a fresh snapshot itself) until its commit goes through.

    A conflict means another writer committed first: wait a little and run it again on
    the new snapshot. After BUSY_GIVE_UP_S the writer stops with a CorpusError naming
    the store, so the caller fails loudly instead of losing rows silently.
    """
    start = time.monotonic()
    attempt = 0
    told = 0.0
    while True:
        try:
            return action()
        except CommitFailedError as exc:
            waited = time.monotonic() - start
            if waited > BUSY_GIVE_UP_S:
                raise CorpusError(
                    f"the corpus store stayed busy for {waited:.0f} s ({what}: {_first_line(exc)}); nothing of this "
                    "write was lost from the store's previous version, run the command again",
                    path=str(path),
                ) from exc
            if attempt >= 3 and waited - told >= 10.0:
                notify(f"corpus store busy (another process is writing {path}); retrying {what}")
                told = waited
            time.sleep(_BACKOFF_S[min(attempt, len(_BACKOFF_S) - 1)])
            attempt += 1
        except (DeltaError, OSError) as exc:
            # Not a race: a full disk, a read-only folder, a damaged table. The table keeps its
            # previous version (nothing is committed before the log entry is written).
            raise CorpusError(f"cannot write to the corpus store ({what}: {_first_line(exc)})", path=str(path)) from exc


def write_part(directory: Path, table: str, data: pl.DataFrame | pl.LazyFrame) -> AddAction:
    """Write ``data`` as a new Parquet data file of ``table``; it is no part of the table until committed.

    polars writes it (zstd) straight from the rows, streaming a LazyFrame: a third of the
    memory of handing Arrow to the Delta writer, which holds a whole file before writing it.
    The log entry carries the row count and the ``rev`` (``seq``) range, so a delete by
    revision skips the files that cannot hold it.
    """
    name = f"part-{secrets.token_hex(12)}.zstd.parquet"
    path = table_path(directory, table) / name
    key = "seq" if table == REVIEWS else "rev"
    try:
        if isinstance(data, pl.LazyFrame):
            data.sink_parquet(path, compression="zstd")
            summary = pl.scan_parquet(path).select(
                pl.len(), pl.col(key).min().alias("lo"), pl.col(key).max().alias("hi")
            )
            n, lo, hi = summary.collect().row(0)
        else:
            data.write_parquet(path, compression="zstd")
            n, lo, hi = data.height, data.get_column(key).min(), data.get_column(key).max()
        fsync_file(path)
        info = path.stat()
    except (OSError, pl.exceptions.PolarsError) as exc:
        path.unlink(missing_ok=True)
        raise CorpusError(f"cannot write a {table} data file ({_first_line(exc)})", path=str(path)) from exc
    stats: dict[str, object] = {"numRecords": n}
    if n:
        stats |= {"minValues": {key: lo}, "maxValues": {key: hi}, "nullCount": {key: 0}}
    return AddAction(name, info.st_size, {}, int(info.st_mtime * 1000), True, json.dumps(stats))


def commit_parts(
    directory: Path, table: str, actions: list[AddAction], mode: str, summary: str, notify: Notify = notify_stderr
) -> None:
    """Commit data files written by ``write_part`` as one transaction (``overwrite``: they replace all rows)."""
    if not actions and mode == "append":
        return
    path = str(table_path(directory, table))
    schema = arrow_schema(table)
    files: list[AddAction | RemoveAction] = list(actions)
    rows = sum(int(json.loads(a.stats).get("numRecords", 0)) for a in actions)
    committing(
        lambda: DeltaTable(path).create_write_transaction(
            files, mode=mode, schema=schema, commit_properties=props(summary, rows=rows)
        ),
        f"commit to {table}",
        directory,
        notify,
    )


def props(summary: str, rows: int | None = None) -> CommitProperties:
    """Commit properties recording what an mtrepair commit did (shown by ``corpus history``)."""
    from ..version import __version__

    meta = {"mtrepair.summary": summary, "mtrepair.version": __version__}
    if rows is not None:
        meta["mtrepair.rows"] = str(rows)  # a transaction of our own files has no operation metrics
    return CommitProperties(
        custom_metadata=meta,
        max_commit_retries=50,
    )


def sql_strings(values: list[str]) -> str:
    """A SQL list of string literals for a Delta predicate (quotes doubled)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
