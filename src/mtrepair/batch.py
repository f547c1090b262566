"""Clean an archive on Ray Data: one machine's cores, or a cluster, with the same call.

    archive (JSONL or Parquet: id, text[, title, date, url, site])
      ─► ray.data read ─► map_batches(_Repairer)  (an actor per core: one pipeline,
                                                  one Apertium, one glossary each,
                                                  loaded once)
      ─► driver: corpus.add_results per batch (the store's one ingestion path)

The actors send back each document's RepairResult (pickled); the driver streams
them into the store in batches, so its memory stays flat however large the
archive, and the corpus is exactly what ``clean --corpus`` builds from the same
articles. Ray is an optional extra: ``pip install mtrepair[ray]``.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .boilerplate.batch import SAMPLE_DOCS
from .errors import InputError, MtrepairError

if TYPE_CHECKING:
    from .repair import PipelineOptions

ARCHIVE_SUFFIXES = {".jsonl": "json", ".ndjson": "json", ".json": "json", ".parquet": "parquet"}
BATCH_DOCS = 64  # documents per actor call
BLOCKS_PER_ACTOR = 8  # blocks per actor, so every actor has work and the last block is short
COMMIT_DOCS = 512  # documents per corpus transaction on the driver


@dataclass(slots=True)
class BatchSummary:
    documents: int = 0
    applied: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # each said once per run


class _Repairer:
    """A Ray actor: opens the pipeline once, then repairs batches of archive rows."""

    def __init__(self, options: PipelineOptions, source: str) -> None:
        from .repair import open_pipeline

        self.pipeline = open_pipeline(**options)
        self.source = source

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        from .ingest import document_from_record
        from .repair import repair_document

        rows = batch.to_pylist()
        payloads: list[bytes | None] = []
        errors: list[str | None] = []
        for row in rows:
            try:
                # The id column is required (run_batch checks it), so no default id is used.
                doc = document_from_record(row, self.source, default_id="")
                payloads.append(pickle.dumps(repair_document(doc, self.pipeline), protocol=5))
                errors.append(None)
            except MtrepairError as exc:
                payloads.append(None)
                errors.append(f"{self.source}: id {row.get('id')!r}: {exc}")
            except Exception as exc:  # one article must never cost the others (issue 12)
                payloads.append(None)
                errors.append(f"{self.source}: id {row.get('id')!r}: repair failed ({type(exc).__name__}: {exc})")
        # The boilerplate rules this actor has skipped so far (issue 12: reported once per
        # run by the driver, whatever the number of actors, rows and lines).
        timed_out = "\t".join(sorted(self.pipeline.rules.timed_out))
        return {"result": payloads, "error": errors, "timed_out": [timed_out] * len(rows)}


def _read(archive: Path, blocks: int) -> Any:
    import ray.data

    kind = ARCHIVE_SUFFIXES.get(archive.suffix.lower())
    if kind is None:
        raise InputError("archive must be .jsonl or .parquet with id and text columns", path=str(archive))
    if not archive.is_file():
        raise InputError("no such archive file; check the path", path=str(archive))
    if kind == "parquet":
        return ray.data.read_parquet(str(archive), num_cpus=0.1, override_num_blocks=blocks)
    return ray.data.read_json(str(archive), lines=True, num_cpus=0.1, override_num_blocks=blocks)


def run_batch(
    archive: str,
    corpus_dir: str,
    options: PipelineOptions,
    *,
    address: str | None = None,
    num_cpus: int | None = None,
    actors: int | None = None,
    on_error: Callable[[str], None] = lambda _message: None,
    on_progress: Callable[[int], None] = lambda _docs: None,
    on_warning: Callable[[str], None] | None = None,
) -> BatchSummary:
    """Repair every row of ``archive`` on Ray and add the results to the corpus at ``corpus_dir``.

    ``on_warning`` hears each run-level warning once (a boilerplate rule skipped for
    taking too long); by default it is printed on stderr.

    ``address`` None starts a local Ray (``num_cpus`` cores); otherwise Ray connects
    to that cluster (``auto``, ``ray://host:10001``) and runs there unchanged.
    """
    try:
        import ray
    except ImportError:
        raise MtrepairError("Ray is not installed; pip install 'mtrepair[ray]' to use mtrepair batch") from None
    from .corpus import open_corpus

    path = Path(archive)
    store = open_corpus(corpus_dir)
    import logging

    # The driver's stderr belongs to the CLI: Ray's INFO and WARNING chatter (progress
    # bars, token notices) stays out of it; errors still surface.
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=address,
            num_cpus=num_cpus if address is None else None,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.ERROR,
        )
    try:
        import ray.data
        from ray.data import DataContext

        for name in [n for n in logging.root.manager.loggerDict if n.startswith("ray")]:
            logging.getLogger(name).setLevel(logging.ERROR)  # ray.data sets its own levels on import
        context = DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        resources: dict[str, float] = ray.available_resources()  # type: ignore[no-untyped-call]
        size = actors or max(1, int(resources.get("CPU", 1)))
        # A single archive file is one read task; without more blocks than actors the whole
        # archive would be one block, and one actor would repair it while the others idle.
        ds = _read(path, blocks=size * BLOCKS_PER_ACTOR)
        columns = set(ds.schema().names)
        missing = [c for c in ("id", "text") if c not in columns]
        if missing:
            # An actor sees a block, not the row's place in the archive, so it cannot number
            # id-less rows as clean numbers JSONL lines: every row must bring its id.
            raise InputError(
                f"archive has no {' or '.join(missing)} column (columns: {', '.join(sorted(columns))}); "
                "batch needs an id and a text per article",
                path=archive,
            )
        # The batch-level chrome pass, as clean does it: the archive's first rows teach the
        # chrome lines, and every actor opens its pipeline with them.
        from .boilerplate import learn_chrome

        sample = ds.select_columns(["text"]).limit(SAMPLE_DOCS).take_all()
        chrome = learn_chrome(str(row["text"]) for row in sample if isinstance(row.get("text"), str))
        if chrome:
            options = {**options, "chrome_lines": chrome}
        repaired = ds.map_batches(
            _Repairer,
            fn_constructor_kwargs={"options": options, "source": archive},
            batch_size=BATCH_DOCS,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=size),
            # Slightly under one CPU each, so the archive's read task can run beside a full
            # pool instead of waiting for an actor's slot.
            num_cpus=0.9,
        )
        summary = BatchSummary()
        try:
            _drain(repaired, store, summary, on_error, on_progress, on_warning or _warn_stderr)
        except ray.exceptions.RayError as exc:
            # A failure inside the cluster (an actor that could not open the pipeline, a
            # node lost) is one line, not Ray's nested traceback; the rows committed so far stay.
            cause = str(exc).strip().splitlines()
            raise MtrepairError(f"Ray run failed: {cause[-1] if cause else type(exc).__name__}") from None
        return summary
    finally:
        if started_here:
            ray.shutdown()


def _warn_stderr(message: str) -> None:
    import sys

    sys.stderr.write(f"mtrepair: warning: {message}\n")


def _drain(
    repaired: Any,
    store: Any,
    summary: BatchSummary,
    on_error: Callable[[str], None],
    on_progress: Callable[[int], None],
    on_warning: Callable[[str], None],
) -> None:
    """Stream the actors' results into the store, a transaction per ``COMMIT_DOCS`` articles."""
    from .boilerplate.rules import timeout_warning

    pending: list[Any] = []
    for batch in repaired.iter_batches(batch_size=COMMIT_DOCS, batch_format="pyarrow"):
        for rule_ids in set(batch["timed_out"].to_pylist()):
            for rule_id in filter(None, str(rule_ids or "").split("\t")):
                message = timeout_warning(rule_id)
                if message not in summary.warnings:
                    summary.warnings.append(message)
                    on_warning(message)
        for payload, error in zip(batch["result"].to_pylist(), batch["error"].to_pylist(), strict=True):
            if error is not None:
                summary.errors.append(error)
                on_error(error)
                continue
            result = pickle.loads(payload)
            summary.documents += 1
            summary.applied += sum(1 for e in result.edits if e.applied)
            summary.flagged += sum(1 for e in result.edits if not e.applied)
            pending.append(result)
        if len(pending) >= COMMIT_DOCS:
            store.add_results(pending)
            on_progress(len(pending))
            pending = []
    if pending:
        store.add_results(pending)
        on_progress(len(pending))
