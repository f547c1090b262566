"""Run ``clean`` over any number of inputs: streaming, committed in batches, on all cores, resumable.

    sources ─► documents (one at a time) ─► repair (here, or in a pool of worker
    processes, each with its own pipeline and Apertium) ─► commit in input order

Memory stays flat as the input grows: documents are read lazily (a JSONL archive
line by line), at most a small window of work is in flight, and results leave
memory once committed. A commit writes a batch of finished files, appends their
report lines and corpus rows, syncs once, then records the files in a ledger in
the output folder; so a run killed at any instant keeps every committed article
with its report lines and corpus rows, and ``resume`` skips exactly those.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .boilerplate.rules import timeout_warning
from .errors import InputError, OutputError
from .ingest import MAX_BYTES, Source, expand_sources, holds_many, iter_documents
from .model import Document, RepairResult
from .version import __version__

if TYPE_CHECKING:
    from .repair import Pipeline, PipelineOptions

LEDGER_NAME = ".mtrepair-ledger.jsonl"

# Documents per unit of work sent to a worker: large enough that pickling and
# scheduling cost little beside the repair (~10 ms a document), small enough that
# a JSONL archive spreads over every core.
UNIT_DOCS = 16
# A commit also comes after this many articles, so one large JSONL file is committed as it goes.
BATCH_DOCS = 256
# Units in flight per worker: keeps every core busy while bounding memory.
WINDOW_PER_JOB = 4


@dataclass(frozen=True, slots=True)
class CleanSettings:
    """What one ``clean`` run does; ``pipeline`` holds ``open_pipeline``'s keyword arguments."""

    pipeline: PipelineOptions
    output: Path | None = None
    to_stdout: bool = False
    diff: bool = False
    report: Path | None = None
    corpus: str | None = None
    jobs: int | None = 1  # None: every core, once the input is large enough to repay the start-up
    resume: bool = False
    batch_files: int = 64
    max_bytes: int = MAX_BYTES  # one article larger than this is refused with one line


@dataclass(slots=True)
class CleanSummary:
    documents: int = 0
    applied: int = 0
    flagged: int = 0
    resumed: int = 0  # input files skipped because a previous run finished them
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # each said once per run


@dataclass(frozen=True, slots=True)
class _Unit:
    """Some documents of one input file; ``last`` marks the file's final unit."""

    file_index: int
    rel: str
    docs: tuple[Document, ...]
    last: bool
    digest: str
    clean: bool = True  # no record of the file failed: only such a file is marked finished


@dataclass(frozen=True, slots=True)
class _Done:
    unit: _Unit
    results: tuple[RepairResult, ...]
    errors: tuple[str, ...]
    timeouts: tuple[str, ...] = ()  # boilerplate rules the worker has skipped so far


# ---- workers ---------------------------------------------------------------------------

_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(options: PipelineOptions) -> None:
    global _WORKER_PIPELINE
    from .repair import open_pipeline

    _WORKER_PIPELINE = open_pipeline(**options)


def _repair_unit(unit: _Unit, pipeline: Pipeline | None = None) -> _Done:
    """Repair each document of a unit; one document's failure is its own error line."""
    from .repair import repair_document

    pipe = pipeline if pipeline is not None else _WORKER_PIPELINE
    assert pipe is not None, "worker pipeline not initialised"
    results: list[RepairResult] = []
    errors: list[str] = []
    for doc in unit.docs:
        try:
            results.append(repair_document(doc, pipe))
        except Exception as exc:  # one article must never cost the others (issue 12)
            errors.append(
                f"{doc.source}: {doc.doc_id}: repair failed ({type(exc).__name__}: {exc}); "
                "the other articles were repaired; please report this article"
            )
    return _Done(unit, tuple(results), tuple(errors), tuple(sorted(pipe.rules.timed_out)))


# ---- reading ---------------------------------------------------------------------------


def _settings_key(settings: CleanSettings) -> str:
    """What makes an output stale: the version, the pipeline options and the glossary's bytes."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(json.dumps(dict(settings.pipeline), sort_keys=True, default=str).encode())
    gdir = settings.pipeline.get("glossary_dir")
    if gdir:
        for name in ("glossary.tsv", "boilerplate.tsv"):
            path = Path(str(gdir)) / name
            if path.is_file():
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _file_digest(source: Source, stdin_bytes: bytes | None) -> str:
    if source.path == "-":
        return hashlib.sha256(stdin_bytes or b"").hexdigest()[:16]
    h = hashlib.sha256()
    with open(source.path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def unique_relatives(paths: Sequence[str]) -> tuple[list[Source], list[InputError]]:
    """Expand the inputs; same-named files from two folders keep their folder in the name.

    ``clean a b -o out`` with ``a/x.txt`` and ``b/x.txt`` writes ``out/a/x.txt`` and
    ``out/b/x.txt`` instead of one overwriting the other.
    """
    sources: list[Source] = []
    errors: list[InputError] = []
    for item in expand_sources(list(paths)):
        if isinstance(item, InputError):
            errors.append(item)
        else:
            sources.append(item)
    seen: dict[str, int] = {}
    for s in sources:
        seen[s.relative] = seen.get(s.relative, 0) + 1
    out = []
    for s in sources:
        if seen[s.relative] > 1 and s.path != "-":
            out.append(Source(s.path, _safe_relative(s.path)))
        else:
            out.append(s)
    return out, errors


def _safe_relative(path: str) -> str:
    """The path as given, made relative and free of '..', so it stays inside the output folder."""
    parts = [p for p in Path(path).parts if p not in ("/", "..", ".", "")]
    return str(Path(*parts)) if parts else Path(path).name


# ---- the run ---------------------------------------------------------------------------


class _Ledger:
    """Input files committed by earlier runs: rel → (input digest, settings), and report length."""

    def __init__(self, path: Path | None, resume: bool) -> None:
        self.path = path
        self.done: dict[str, tuple[str, str]] = {}
        self.report_bytes = 0
        if path is None:
            return
        if resume and path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                    self.done[row["rel"]] = (row["digest"], row["settings"])
                    self.report_bytes = int(row["report_bytes"])
                except (ValueError, KeyError, TypeError):
                    break  # a torn last line: everything after it is redone
        else:
            path.unlink(missing_ok=True)

    def finished(self, rel: str, digest: str, settings: str, output: Path | None) -> bool:
        if self.done.get(rel) != (digest, settings):
            return False
        return output is None or (output / rel).is_file()

    def record(self, rows: Sequence[tuple[str, str]], settings: str, report_bytes: int) -> None:
        if self.path is None or not rows:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(
            json.dumps({"rel": rel, "digest": d, "settings": settings, "report_bytes": report_bytes}) + "\n"
            for rel, d in rows
        )
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


class _Committer:
    """Writes finished files, report lines and corpus rows in batches, in input order."""

    def __init__(
        self, settings: CleanSettings, summary: CleanSummary, ledger: _Ledger, key: str,
        on_warning: Callable[[str], None],
    ) -> None:
        self.settings = settings
        self.on_warning = on_warning
        self.summary = summary
        self.ledger = ledger
        self.key = key
        self.report: IO[bytes] | None = None
        self.report_bytes = 0
        if settings.report is not None:
            try:
                self.report = _open_report(settings.report, ledger.report_bytes if settings.resume else 0)
            except OSError as exc:
                raise OutputError(f"cannot write the report: {exc.strerror}", path=str(settings.report)) from None
            self.report_bytes = ledger.report_bytes if settings.resume else 0
        self.corpus: Any = None
        if settings.corpus is not None:
            from .corpus import open_corpus

            self.corpus = open_corpus(settings.corpus)
        self.open_files: dict[str, _PartialFile] = {}
        self.batch_results: list[RepairResult] = []
        self.batch_files: list[tuple[str, str]] = []
        self.report_lines: list[str] = []
        # Output files that could not be written (a full disk, a folder in the way): their
        # articles are one error each and are neither reported nor stored (issue 12).
        self.failed: set[str] = set()

    def take(self, done: _Done, on_error: Callable[[str], None]) -> None:
        for message in done.errors:
            self.summary.errors.append(message)
            on_error(message)
        for rule_id in done.timeouts:
            # every worker reports its skipped rules; the run says each one once
            message = timeout_warning(rule_id)
            if message not in self.summary.warnings:
                self.summary.warnings.append(message)
                self.on_warning(message)
        unit = done.unit
        if not self._write_part(unit, done.results, on_error):
            return
        for r in done.results:
            self.summary.documents += 1
            for e in r.edits:
                if e.applied:
                    self.summary.applied += 1
                else:
                    self.summary.flagged += 1
                self.report_lines.append(json.dumps(e.to_json(r.document.doc_id), ensure_ascii=False))
            if self.settings.diff:
                from .writer import print_diff

                print_diff(r)
        self.batch_results.extend(done.results)
        if unit.last and unit.clean:
            # a file with a bad record is redone on --resume, so its errors are shown again
            self.batch_files.append((unit.rel, unit.digest))
        if len(self.batch_files) >= self.settings.batch_files or len(self.batch_results) >= BATCH_DOCS:
            self.commit()

    def _write_part(self, unit: _Unit, results: Sequence[RepairResult], on_error: Callable[[str], None]) -> bool:
        """Render a unit's documents; a file in one unit is written whole, a JSONL archive's
        units are appended to a hidden temporary that is renamed when its last unit is in
        (so a 50,000-article archive never sits in memory, and a killed run leaves no half
        of it under the real name). False when the output could not be written: that is
        one error line, and the run goes on with the next file."""
        import sys

        from .writer import render_document

        text = render_document(results) if results else ""
        if self.settings.to_stdout and text:
            sys.stdout.write(text)
            sys.stdout.flush()
        if self.settings.output is None:
            return True
        if unit.rel in self.failed:
            return False
        target = self.settings.output / unit.rel
        try:
            partial = self.open_files.get(unit.rel)
            if partial is None and unit.last:
                if results:
                    from .atomic import write_atomic

                    write_atomic(target, text, sync=False)
                return True
            if partial is None:
                partial = self.open_files[unit.rel] = _PartialFile(target)
            partial.append(text)
            if unit.last:
                self.open_files.pop(unit.rel).finish()
        except (OSError, OutputError) as exc:
            self.failed.add(unit.rel)
            dropped = self.open_files.pop(unit.rel, None)
            if dropped is not None:
                dropped.discard()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message = (
                f"{target}: cannot write: {reason}; its articles are not reported or stored (free space and rerun)"
            )
            self.summary.errors.append(message)
            on_error(message)
            return False
        return True

    def commit(self) -> None:
        try:
            self._commit()
        except OSError as exc:
            # the report or the ledger cannot take more (a full disk): one line, not a
            # traceback; the ledger was not advanced, so --resume redoes this batch
            raise OutputError(f"cannot write the report or the run's ledger: {exc.strerror}") from None

    def _commit(self) -> None:
        if self.report is not None and self.report_lines:
            data = "".join(line + "\n" for line in self.report_lines).encode("utf-8")
            self.report.write(data)
            self.report.flush()
            self.report_bytes += len(data)
        self.report_lines = []
        if self.corpus is not None and self.batch_results:
            self.corpus.add_results(self.batch_results)
        self.batch_results = []
        if self.batch_files:
            if self.report is not None and _is_regular(self.report):
                os.fsync(self.report.fileno())
            if self.settings.output is not None:
                os.sync()  # one sync for the whole batch of outputs, not one per file
            self.ledger.record(self.batch_files, self.key, self.report_bytes)
        self.batch_files = []

    def close(self) -> None:
        import sys

        self.commit()
        if self.report is not None and self.report is not sys.stdout.buffer:
            self.report.close()


class _PartialFile:
    """An output file written in pieces: a hidden temporary beside it, renamed when complete."""

    def __init__(self, target: Path) -> None:
        import tempfile

        if target.is_symlink():
            target = target.resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}.*.part.tmp"):
            stale.unlink(missing_ok=True)  # left by a killed run; this run redoes the file
        self.target = target
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part.tmp", dir=target.parent)
        self.path = Path(name)
        self.fh = os.fdopen(fd, "wb")
        self.wrote = False

    def append(self, text: str) -> None:
        if text:
            self.fh.write(text.encode("utf-8"))
            self.wrote = True

    def discard(self) -> None:
        """Give up on this file (it could not be written): no temporary is left behind."""
        import contextlib

        # the bytes it could not flush are what is being thrown away
        with contextlib.suppress(OSError):
            self.fh.close()
        self.path.unlink(missing_ok=True)

    def finish(self) -> None:
        self.fh.close()
        if not self.wrote:
            self.path.unlink(missing_ok=True)
            return
        from .atomic import file_mode

        os.chmod(self.path, file_mode(self.target))
        os.replace(self.path, self.target)


def _is_regular(fh: IO[bytes]) -> bool:
    import stat

    try:
        return stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except OSError:
        return False


def _open_report(path: Path, keep_bytes: int) -> IO[bytes]:
    """The report opened for appending after ``keep_bytes`` (0: a new report); streams as they are."""
    import sys

    from .atomic import is_stream_target

    if str(path) == "-":
        return sys.stdout.buffer
    if is_stream_target(path):
        return open(path, "wb")
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "r+b" if keep_bytes and path.is_file() else "wb")  # noqa: SIM115 - closed by _Committer.close
    fh.truncate(keep_bytes)
    fh.seek(keep_bytes)
    return fh


def _texts(sources: Sequence[Source], stdin_bytes: bytes | None, max_bytes: int) -> Iterator[str]:
    from .ingest import read_source

    for source in sources:
        try:
            if source.path == "-":
                docs: Iterator[Document] = iter(read_source(source, stdin_bytes, [], max_bytes))
            else:
                docs = iter_documents(source, [], max_bytes)
            for doc in docs:
                yield doc.text
        except InputError:
            continue  # reported by the repair pass


def _repeated_lines(sources: Sequence[Source], stdin_bytes: bytes | None, max_bytes: int) -> tuple[str, ...]:
    """Short lines found in several of the run's articles: site chrome (a batch-level pass)."""
    from .boilerplate import learn_chrome

    return learn_chrome(_texts(sources, stdin_bytes, max_bytes))


def _units(
    sources: Sequence[Source],
    output: Path | None,
    ledger: _Ledger,
    key: str,
    summary: CleanSummary,
    on_error: Callable[[str], None],
    stdin_bytes: bytes | None,
    max_bytes: int,
) -> Iterator[_Unit]:
    for index, source in enumerate(sources):
        try:
            digest = _file_digest(source, stdin_bytes)
        except OSError as exc:
            message = str(InputError(f"cannot read: {exc.strerror}", path=source.path))
            summary.errors.append(message)
            on_error(message)
            continue
        if ledger.finished(source.relative, digest, key, output):
            summary.resumed += 1
            continue
        errors: list[InputError] = []
        buffer: list[Document] = []
        failed = False
        fatal = False
        try:
            if source.path == "-":
                from .ingest import read_source

                docs: Iterator[Document] = iter(read_source(source, stdin_bytes, errors, max_bytes))
            else:
                docs = iter_documents(source, errors, max_bytes)
            for doc in docs:
                failed = failed or bool(errors)
                for err in errors:
                    summary.errors.append(str(err))
                    on_error(str(err))
                errors.clear()
                buffer.append(doc)
                if len(buffer) >= UNIT_DOCS:
                    yield _Unit(index, source.relative, tuple(buffer), False, digest)
                    buffer = []
        except InputError as exc:
            errors.append(exc)
            fatal = True
        failed = failed or bool(errors)
        for err in errors:
            summary.errors.append(str(err))
            on_error(str(err))
        if not (fatal and not buffer):
            yield _Unit(index, source.relative, tuple(buffer), True, digest, not failed)


def _check(settings: CleanSettings) -> None:
    """Settings that cannot work are one error before any input is read."""
    if settings.resume and settings.output is None:
        raise InputError("--resume needs -o DIR: the finished articles are found there")
    if settings.report is not None and settings.report.is_dir():
        raise InputError("--report is a folder; give a file name", path=str(settings.report))
    if settings.output is not None:
        _check_output_folder(settings.output)


def _check_output_folder(output: Path) -> None:
    """-o must be a folder this process can write into: found before the first article is read,
    not as a traceback after the run (issue 12: `-o` naming a file ended in NotADirectoryError)."""
    import tempfile

    if output.exists() and not output.is_dir():
        raise InputError("-o names an existing file; give a folder (or - for standard output)", path=str(output))
    try:
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output):
            pass
    except OSError as exc:
        raise InputError(f"cannot write into the output folder: {exc.strerror}", path=str(output)) from None


def run_clean(
    paths: Sequence[str],
    settings: CleanSettings,
    *,
    on_error: Callable[[str], None] = lambda _message: None,
    on_progress: Callable[[int], None] = lambda _docs: None,
    on_total: Callable[[int], None] = lambda _docs: None,
    on_warning: Callable[[str], None] | None = None,
    stdin_bytes: bytes | None = None,
    pipeline: Pipeline | None = None,
) -> CleanSummary:
    """Clean every input and commit as it goes; see the module docstring.

    ``on_warning`` hears each run-level warning once (a boilerplate rule skipped for
    taking too long); by default it is printed on stderr.

    ``on_total`` hears the number of articles when it is known before the run (no JSONL
    input: one article a file), so a progress bar can show an ETA.

    ``pipeline`` (optional) is used in this process when ``jobs`` is 1; otherwise each
    worker opens its own from ``settings.pipeline``.
    """
    _check(settings)
    summary = CleanSummary()
    sources, input_errors = unique_relatives(paths)
    for err in input_errors:
        summary.errors.append(str(err))
        on_error(str(err))
    if settings.output is not None:
        _refuse_overwrite(settings.output, sources)
    if not any(holds_many(s) for s in sources):
        on_total(len(sources))
    ledger = _Ledger(settings.output / LEDGER_NAME if settings.output is not None else None, settings.resume)
    key = _settings_key(settings)
    if "-" in paths and stdin_bytes is None:
        import sys

        stdin_bytes = sys.stdin.buffer.read()
    chrome = _repeated_lines(sources, stdin_bytes, settings.max_bytes)
    if chrome:
        from dataclasses import replace

        settings = replace(settings, pipeline={**settings.pipeline, "chrome_lines": chrome})
        if pipeline is not None:
            pipeline = replace(pipeline, rules=pipeline.rules.with_chrome(chrome))
        key = _settings_key(settings)
    committer = _Committer(settings, summary, ledger, key, on_warning or _warn_stderr)
    units = _units(sources, settings.output, ledger, key, summary, on_error, stdin_bytes, settings.max_bytes)
    jobs = _jobs(settings.jobs, sources)
    try:
        if jobs == 1:
            from .repair import open_pipeline

            pipe = pipeline if pipeline is not None else open_pipeline(**settings.pipeline)
            try:
                for unit in units:
                    done = _repair_unit(unit, pipe)
                    committer.take(done, on_error)
                    on_progress(len(done.results))
            finally:
                if pipeline is None:
                    pipe.close()
        else:
            _run_pool(units, settings, jobs, committer, on_error, on_progress)
    finally:
        committer.close()
    return summary


def _warn_stderr(message: str) -> None:
    import sys

    sys.stderr.write(f"mtrepair: warning: {message}\n")


# A worker costs about a second to start (imports, word lists, Apertium); repairing an
# article about 10 ms: below this many input files a pool does not pay for itself.
AUTO_POOL_MIN_FILES = 200


def _jobs(requested: int | None, sources: Sequence[Source]) -> int:
    """Worker processes for this run: as asked, never more than there is work for."""
    many_per_file = any(holds_many(s) for s in sources)
    if requested is None:
        if not many_per_file and len(sources) < AUTO_POOL_MIN_FILES:
            return 1
        requested = os.cpu_count() or 1
    # More workers than files only helps when a file holds many articles (JSONL).
    return max(1, requested if many_per_file else min(requested, len(sources)))


def _run_pool(
    units: Iterator[_Unit],
    settings: CleanSettings,
    jobs: int,
    committer: _Committer,
    on_error: Callable[[str], None],
    on_progress: Callable[[int], None],
) -> None:
    # spawn, not fork: a forked child would inherit this process's threads and
    # open files half-way; each worker imports and opens its own pipeline.
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=get_context("spawn"),
        initializer=_init_worker,
        initargs=(settings.pipeline,),
    ) as pool:
        window: deque[Future[_Done]] = deque()
        for unit in units:
            window.append(pool.submit(_repair_unit, unit))
            while len(window) >= jobs * WINDOW_PER_JOB:
                done = window.popleft().result()
                committer.take(done, on_error)
                on_progress(len(done.results))
        while window:
            done = window.popleft().result()
            committer.take(done, on_error)
            on_progress(len(done.results))


def _refuse_overwrite(output: Path, sources: Sequence[Source]) -> None:
    """Source articles are never overwritten: -o pointing at an input file's own path is refused."""
    for s in sources:
        if s.path != "-" and (output / s.relative).resolve() == Path(s.path).resolve():
            raise InputError("output would overwrite the source article; choose another -o folder", path=s.path)
