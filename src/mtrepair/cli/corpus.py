"""`mtrepair corpus …`: look into, review and export the bilingual corpus store.

Imported when the main CLI starts, so only typer is imported here; polars and the
store load inside each command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, TextIO

import typer

from ..errors import CorpusError
from ..terminal import safe_for_terminal
from .conventions import ConventionGroup
from .options import (
    GLOSSARY_HELP,
    AuthorAlias,
    Json,
    Jsonl,
    Limit,
    NoteAlias,
    Reason,
    Reviewer,
    check_choice,
    glossary_location,
    pick,
)
from .output import status as say
from .output import warn, working

if TYPE_CHECKING:
    from datetime import date

    from ..corpus.store import Corpus

from ..corpus import DEFAULT_STORE

app = typer.Typer(
    name="corpus",
    help=(
        "The bilingual corpus built by `mtrepair clean --corpus DIR`: statistics, queries, review of span "
        "translations, exports (TMX, Moses, TSV, JSONL, Parquet, CSV, XLIFF) and glossary suggestions.\n\n"
        "Example: mtrepair corpus stats --corpus corpus/store"
    ),
    cls=ConventionGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
review_app = typer.Typer(
    cls=ConventionGroup,
    name="review",
    help=(
        "Approve, reject or edit span translations; approved and edited pairs become the translation memory "
        "that `mtrepair clean --corpus DIR` consults before any engine.\n\n"
        "Example: mtrepair corpus review list --corpus corpus/store"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(review_app, name="review")

CorpusOpt = Annotated[str, typer.Option("--corpus", help="Corpus store directory.")]
AsOfOpt = Annotated[
    int | None,
    typer.Option(
        "--as-of", min=0, help="Read the store as it was at this version of its documents table (`corpus history`)."
    ),
]


# The status values the pipeline and the reviewers write, per kind of row (model.SpanTranslation,
# translate/spans.py, corpus/schema.py REVIEW_STATUSES, query.SEGMENT_STATUSES, model.Edit): a
# --status outside them is a typo, and used to filter every row away with exit 0 (issue 11).
SPAN_STATUSES: Final = ("machine", "memory", "glossary", "approved", "edited", "rejected", "untranslated", "name")
STATUSES: Final[dict[str, tuple[str, ...]]] = {
    "spans": SPAN_STATUSES,
    "terms": SPAN_STATUSES,
    "segments": ("repaired", "unchanged"),
    "edits": ("applied", "flagged"),
}


def _open(directory: str, *, as_of: int | None = None) -> Corpus:
    """The store, or one error before anything is read: every command here reads a store, and
    a missing one used to be an empty result with exit 0 for `stats` (issue 11)."""
    from ..corpus import open_corpus

    if not Path(directory).is_dir():
        raise CorpusError("no corpus store here; build one with `mtrepair clean ARTICLES --corpus DIR`", path=directory)
    corpus = open_corpus(directory, as_of=as_of)
    if not corpus.exists:
        raise CorpusError("no corpus store here; build one with `mtrepair clean ARTICLES --corpus DIR`", path=directory)
    return corpus


def _statuses(kind: str, values: list[str] | None) -> list[str]:
    if values and kind not in STATUSES:
        raise CorpusError(f"--status does not apply to --kind {kind}")
    return check_choice("--status", values, STATUSES.get(kind, ()))


def _day(value: str | None, option: str) -> date | None:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CorpusError(f"{option} {value!r} is not a date; write YYYY-MM-DD") from None


class _TerminalSafe:
    """A text stream that shows control characters from articles as visible escapes."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(safe_for_terminal(text))


def _print_rows(rows: list[dict[str, Any]], columns: list[str], jsonl: bool, as_json: bool = False) -> None:
    out = sys.stdout
    if as_json:
        out.write(json.dumps([{c: row[c] for c in columns} for row in rows], ensure_ascii=False, default=str) + "\n")
        return
    if jsonl:
        for row in rows:
            out.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=False, default=str) + "\n")
        return
    out.write("\t".join(columns) + "\n")
    for row in rows:
        # Article text is untrusted: no escape sequence reaches the terminal (issue 12).
        cells = ["" if row[c] is None else safe_for_terminal(" ".join(str(row[c]).split())) for c in columns]
        out.write("\t".join(cells) + "\n")


@app.command()
def stats(
    corpus: CorpusOpt = DEFAULT_STORE,
    top: Annotated[int, typer.Option("--top", min=0, help="How many untranslated spans to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    as_of: AsOfOpt = None,
) -> None:
    """Documents, segments, spans by status, edits by kind, the most frequent untranslated spans.

    Example: mtrepair corpus stats --corpus corpus/store --top 20
    """
    from ..corpus.stats import compute_stats, render_stats

    result = compute_stats(_open(corpus, as_of=as_of), top=top)
    typer.echo(json.dumps(result.to_json(), ensure_ascii=False) if as_json else render_stats(result))


@app.command()
def show(
    doc: Annotated[str, typer.Argument(help="Document id (file name) or the start of its content hash.")],
    corpus: CorpusOpt = DEFAULT_STORE,
    all_segments: Annotated[bool, typer.Option("--all", help="Also print segments no edit changed.")] = False,
    as_of: AsOfOpt = None,
) -> None:
    """One document: its segments before and after repair, its spans and their translations.

    Example: mtrepair corpus show 000_2e8fdd939f08f812.txt --corpus corpus/store
    """
    import polars as pl

    c = _open(corpus, as_of=as_of)
    match = (pl.col("doc_id") == doc) | (pl.col("doc_hash").str.starts_with(doc) if len(doc) >= 6 else pl.lit(False))
    docs = c.collect(c.documents().filter(match).select("doc_hash", "rev", "doc_id", "title", "date", "source"))
    if docs.height == 0:
        raise CorpusError(
            f"no document {doc!r} in the corpus; list them with `mtrepair corpus query --kind documents`", path=corpus
        )
    if docs.height > 1:
        raise CorpusError(f"{doc!r} names {docs.height} documents; give more of the content hash", path=corpus)
    d = docs.row(0, named=True)
    rev = d["rev"]
    segs = c.collect(c.segments().filter(pl.col("rev") == rev).sort("seg"))
    spans = c.collect(c.reviewed_spans().filter(pl.col("rev") == rev).sort("start"))
    out = _TerminalSafe(sys.stdout)
    out.write(f"{d['doc_id']}  hash {d['doc_hash']}  date {d['date'] or '-'}  source {d['source']}\n")
    for s in segs.iter_rows(named=True):
        if s["n_edits"] or all_segments:
            out.write(f"\n[{s['seg']}] {s['start']}-{s['end']}  {s['n_edits']} edit(s)\n")
            out.write(f"- {s['original']}\n+ {s['repaired']}\n")
    if spans.height:
        out.write("\nspans:\n")
        for sp in spans.iter_rows(named=True):
            arrow = f" → {sp['target']}" if sp["target"] else ""
            out.write(f"  {sp['start']}-{sp['end']} {sp['label']} [{sp['status']}] {sp['source']}{arrow}\n")


QUERY_KINDS: Final = ("spans", "segments", "edits", "documents", "untranslated")


@app.command()
def query(
    pattern: Annotated[str | None, typer.Argument(help="Text to look for (case-insensitive).")] = None,
    corpus: CorpusOpt = DEFAULT_STORE,
    kind: Annotated[str, typer.Option("--kind", help="spans, segments, edits, documents or untranslated.")] = "spans",
    status: Annotated[list[str] | None, typer.Option("--status", help="Only these statuses (repeatable).")] = None,
    regex: Annotated[bool, typer.Option("--regex", help="PATTERN is a regular expression.")] = False,
    limit: Limit = 20,
    jsonl: Jsonl = False,
    as_json: Json = False,
    as_of: AsOfOpt = None,
) -> None:
    """Find spans, segments, edits or documents containing a text.

    Example: mtrepair corpus query "Ciclo Académico" --kind spans --corpus corpus/store

    Example: mtrepair corpus query --kind edits --status flagged --jsonl | head -1
    """
    import polars as pl

    from ..corpus.stats import untranslated_spans

    if kind not in QUERY_KINDS:
        raise CorpusError(f"unknown --kind {kind!r}; use one of {', '.join(QUERY_KINDS)}")
    statuses = _statuses(kind, status)
    expr: str | None = None
    if pattern:
        # Rust regex: linear time whatever the pattern, so untrusted text cannot blow up.
        expr = pattern if regex else pl.escape_regex(pattern)
        try:
            pl.select(pl.lit("").str.contains(f"(?i){expr}"))
        except pl.exceptions.PolarsError as exc:
            raise CorpusError(f"bad regular expression {pattern!r} ({str(exc).splitlines()[0]})") from None
    c = _open(corpus, as_of=as_of)
    views = {
        "spans": (
            c.reviewed_spans,
            ["source", "target"],
            ["source", "target", "status", "label", "engine", "confidence"],
        ),
        "segments": (c.segments, ["original", "repaired"], ["seg", "start", "end", "original", "repaired"]),
        "edits": (c.edits, ["before", "after"], ["start", "end", "kind", "rule", "status", "before", "after"]),
        "documents": (c.documents, ["doc_id", "title", "url"], ["doc_id", "doc_hash", "date", "title"]),
        "untranslated": (lambda: untranslated_spans(c), ["source"], ["source", "count", "documents"]),
    }
    view, searched, columns = views[kind]
    lf = view()
    if expr is not None:
        lf = lf.filter(pl.any_horizontal(pl.col(col).str.contains(f"(?i){expr}").fill_null(False) for col in searched))
    if statuses:
        lf = lf.filter(pl.col("status").is_in(statuses))
    if kind in ("segments", "edits"):
        lf = lf.join(c.documents().select("rev", "doc_id"), on="rev", how="left", maintain_order="left")
        columns = ["doc_id", *columns]
    elif kind == "spans":
        lf = lf.join(c.documents().select("rev", "doc_id"), on="rev", how="left", maintain_order="left")
        columns = [*columns, "doc_id"]
    rows = c.collect(lf.select(columns).head(limit)).to_dicts()
    _print_rows(rows, columns, jsonl, as_json)


@review_app.command("list")
def review_list(
    corpus: CorpusOpt = DEFAULT_STORE,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Show sources with this status instead of pending ones.")
    ] = None,
    limit: Limit = 20,
    jsonl: Jsonl = False,
    as_json: Json = False,
) -> None:
    """Span sources waiting for a decision, most frequent first, with their current translation.

    Example: mtrepair corpus review list --corpus corpus/store --limit 50
    """
    from ..corpus.review import pending

    statuses = _statuses("spans", status)
    rows = pending(_open(corpus), limit=limit, statuses=statuses).to_dicts()
    _print_rows(rows, ["count", "status", "source", "target"], jsonl, as_json)


def _reason(reason: str | None, note: str | None) -> str:
    return pick(reason, note, "--reason", "--note") or ""


@review_app.command("approve")
def review_approve(
    sources: Annotated[list[str], typer.Argument(help="Exact Spanish span texts.")],
    corpus: CorpusOpt = DEFAULT_STORE,
    reviewer: Reviewer = None,
    reason: Reason = None,
    note: NoteAlias = None,
) -> None:
    """Approve the current translation of each span source (it enters the translation memory).

    Example: mtrepair corpus review approve "clausura del Ciclo Académico 2020-2021" --reviewer ana
    """
    from ..corpus.review import approve

    done = approve(_open(corpus), sources, reviewer=reviewer or "", note=_reason(reason, note))
    for d in done:
        typer.echo(f"approved: {d.source} → {d.target}")


@review_app.command("reject")
def review_reject(
    sources: Annotated[list[str], typer.Argument(help="Exact Spanish span texts.")],
    corpus: CorpusOpt = DEFAULT_STORE,
    reviewer: Reviewer = None,
    reason: Reason = None,
    note: NoteAlias = None,
) -> None:
    """Reject the current translation of each span source (it leaves the memory and default exports).

    Example: mtrepair corpus review reject "haber" --reviewer ana --reason "verb, translate in context"
    """
    from ..corpus.review import reject

    done = reject(_open(corpus), sources, reviewer=reviewer or "", note=_reason(reason, note))
    for d in done:
        typer.echo(f"rejected: {d.source} → {d.target}")


@review_app.command("edit")
def review_edit(
    source: Annotated[str, typer.Argument(help="Exact Spanish span text.")],
    target: Annotated[str, typer.Argument(help="The correct English translation.")],
    corpus: CorpusOpt = DEFAULT_STORE,
    reviewer: Reviewer = None,
    reason: Reason = None,
    note: NoteAlias = None,
) -> None:
    """Give the correct translation of a span source (status edited; it enters the translation memory).

    Example: mtrepair corpus review edit "Instituto Mexicano del Seguro Social" "Mexican Social Security Institute"
    """
    from ..corpus.review import edit

    d = edit(_open(corpus), source, target, reviewer=reviewer or "", note=_reason(reason, note))
    typer.echo(f"{d.status}: {d.source} → {d.target}")


@review_app.command("apply")
def review_apply(
    decisions: Annotated[Path, typer.Argument(help="TSV with the header source, target, decision.")],
    corpus: CorpusOpt = DEFAULT_STORE,
    reviewer: Reviewer = None,
) -> None:
    """Apply many decisions from a TSV (decision: approve, edit or reject); all lines are checked first.

    Example: mtrepair corpus review apply decisions.tsv --reviewer ana
    """
    from ..corpus.review import apply_file

    done = apply_file(_open(corpus), decisions, reviewer=reviewer or "")
    typer.echo(f"{len(done)} decision(s) recorded")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="tmx, moses, tsv, jsonl, parquet, csv or xliff.")],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Output file, - for stdout (moses: a prefix; PREFIX.es and PREFIX.en are written)."
        ),
    ],
    corpus: CorpusOpt = DEFAULT_STORE,
    kind: Annotated[
        str, typer.Option("--kind", help="spans (Spanish → English), terms (one row per Spanish source) or segments.")
    ] = "spans",
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="Only these statuses (repeatable), e.g. approved, edited, machine, repaired."),
    ] = None,
    min_confidence: Annotated[
        float | None, typer.Option("--min-confidence", help="Only rows with at least this confidence (0-1).")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only documents dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only documents dated on or before YYYY-MM-DD.")] = None,
    dedup: Annotated[
        str, typer.Option("--dedup", help="none, exact (same pair) or normalized (case, spacing, outer punctuation).")
    ] = "none",
    src_lang: Annotated[
        str | None, typer.Option("--src-lang", help="Source language tag (default es; en-x-mt for segments).")
    ] = None,
    tgt_lang: Annotated[str | None, typer.Option("--tgt-lang", help="Target language tag (default en).")] = None,
    include_untranslated: Annotated[
        bool, typer.Option("--include-untranslated", help="Keep spans that have no translation yet.")
    ] = False,
    as_of: AsOfOpt = None,
) -> None:
    """Export aligned pairs, streaming from the store; the file appears only when complete.

    Example: mtrepair corpus export --format tmx -o out/spans.tmx --status approved --status edited --dedup exact

    Example: mtrepair corpus export --format moses -o out/train --kind segments

    Example: mtrepair corpus export --format jsonl -o - | head -1
    """
    from ..corpus.export import FORMATS, ExportMeta
    from ..corpus.export.meta import check_lang, default_langs
    from ..corpus.query import ExportFilter, export_corpus
    from ..version import __version__

    # Every option is checked before the store is read.
    if fmt not in FORMATS:
        raise CorpusError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    to_stdout = str(output) == "-"
    if to_stdout and fmt == "moses":
        raise CorpusError("moses writes two files (PREFIX.es and PREFIX.en); give -o PREFIX, not -")
    filt = ExportFilter(
        kind=kind,  # type: ignore[arg-type]
        statuses=tuple(_statuses(kind, status)),
        min_confidence=min_confidence,
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        dedup=dedup,  # type: ignore[arg-type]
        include_untranslated=include_untranslated,
    )
    src_default, tgt_default = default_langs(kind)
    meta = ExportMeta(kind, check_lang(src_lang or src_default), check_lang(tgt_lang or tgt_default), __version__)
    c = _open(corpus, as_of=as_of)
    with working(f"exporting {kind} as {fmt}"):
        result = export_corpus(c, filt, output, fmt, meta)
    paths = "standard output" if to_stdout else ", ".join(str(p) for p in result.paths)
    say(f"wrote {result.rows} row(s) ({kind}) to {paths}")
    if result.dropped_controls:
        warn(
            f"dropped {result.dropped_controls} control character(s) XML 1.0 cannot hold "
            "(export --format xliff keeps them)"
        )
    if result.flattened:
        say(f"note: {result.flattened} text(s) had tabs or line breaks turned into spaces")


@app.command()
def compact(
    corpus: CorpusOpt = DEFAULT_STORE,
    retain_hours: Annotated[
        int,
        typer.Option(
            "--retain-hours",
            min=0,
            help="Keep the files of every version of the last N hours (time travel with --as-of reaches that far).",
        ),
    ] = 168,
) -> None:
    """Drop superseded versions of re-cleaned articles, merge small files (Delta optimize) and vacuum.

    Example: mtrepair corpus compact --corpus corpus/store --retain-hours 24
    """
    store = _open(corpus)
    with working("compacting"):
        summary = store.compact(retain_hours=retain_hours)
    typer.echo(
        f"{summary.parts_before} data files → {summary.parts_after}; "
        f"{summary.dead_documents_dropped} superseded document version(s) dropped; "
        f"{summary.files_vacuumed} unneeded file(s) removed"
    )


@app.command()
def history(
    corpus: CorpusOpt = DEFAULT_STORE,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many commits.")] = 30,
    jsonl: Jsonl = False,
    as_json: Json = False,
) -> None:
    """The store's commits, newest first; a documents version is what --as-of takes.

    Example: mtrepair corpus history --corpus corpus/store
    """
    commits = _open(corpus).history()[:limit]
    rows = [
        {
            "table": c.table,
            "version": c.version,
            "time": c.timestamp.isoformat(timespec="milliseconds"),
            "operation": c.operation,
            "rows_added": c.rows_added,
            "summary": c.summary,
        }
        for c in commits
    ]
    _print_rows(rows, ["table", "version", "time", "operation", "rows_added", "summary"], jsonl, as_json)


@app.command()
def migrate(corpus: CorpusOpt = DEFAULT_STORE) -> None:
    """Migrate a store of the old format (Parquet parts + MANIFEST.json) to Delta tables now.

    Any command migrates such a store when it first opens it; this one only migrates.

    Example: mtrepair corpus migrate --corpus corpus/store
    """
    c = _open(corpus)
    typer.echo(f"{corpus}: Delta tables, schema {c.schema_version}")


@app.command("suggest-terms")
def suggest_terms(
    corpus: CorpusOpt = DEFAULT_STORE,
    glossary: Annotated[str | None, typer.Option("--glossary", help=GLOSSARY_HELP)] = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Occurrences needed to propose an entry.")] = 2,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most this many entries.")] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Add them to the glossary as proposed entries (else print TSV rows).")
    ] = False,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Recorded as the entries' author (default: mtrepair-corpus).")
    ] = None,
    author: AuthorAlias = None,
) -> None:
    """Propose glossary entries from recurring Spanish spans and recurring English variants (status proposed).

    Example: mtrepair corpus suggest-terms --corpus corpus/store --min-count 3 --write --glossary glossary
    """
    from datetime import datetime, timezone

    from ..corpus.suggest import add_to_glossary, glossary_entries, suggestion_rows
    from ..corpus.suggest import suggest_terms as propose
    from ..glossary.entry import COLUMNS
    from ..glossary.location import require_writable

    who = pick(reviewer, author, "--reviewer", "--author") or "mtrepair-corpus"
    location = glossary_location(glossary)
    folder = require_writable(location) if write else location.path
    store = _open(corpus)
    sources, ids = glossary_entries(folder)
    found = propose(store, min_count=min_count, existing=sources, limit=limit)
    if write:
        added, unchanged = add_to_glossary(folder, found, author=who) if found else (0, 0)
        say(f"{added} proposed entr(ies) added to {folder}, {unchanged} already there")
        return
    now = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    rows = suggestion_rows(found, author=who, updated=now, taken_ids=ids)
    sys.stdout.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        sys.stdout.write("\t".join(row) + "\n")
