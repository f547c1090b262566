"""The command line: parse, call one library function, print.

Every command follows the conventions of ``conventions.ConventionGroup`` (``-h``, ``-q``,
``-v``, one error format, exit 0 on a closed pipe) and prints through ``output`` (data on
stdout; status, progress, warnings and errors on stderr). Nothing else in the package
prints to the terminal or reads the environment.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError
from ..ingest import MAX_BYTES
from ..terminal import safe_for_terminal
from ..version import __version__
from .conventions import ConventionGroup
from .corpus import app as corpus_app
from .glossary import app as glossary_app
from .model import model_app, models_home, translate_command
from .options import GLOSSARY_HELP, Engine, glossary_location
from .output import detail, error, notice, progress, status
from .serve import serve

if TYPE_CHECKING:
    from ..model import Document
    from ..repair import PipelineOptions

app = typer.Typer(
    name="mtrepair",
    help=(
        "Repair machine-translated English news (Spanish left in the text, Spanish-style numbers, "
        "name variants, glued words, boilerplate) and build a bilingual corpus from the repairs.\n\n"
        "Example: mtrepair clean corpus/samples -o out --report out/report.jsonl"
    ),
    cls=ConventionGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # --install-completion / --show-completion (bash, zsh, fish, PowerShell), typer's own
    add_completion=True,
    rich_markup_mode=None,
    # -h as well as --help on every command, as git and ripgrep users expect
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Sub-commands owned by their stage packages; their modules import only typer
# at load time, so `mtrepair --help` stays fast.
app.add_typer(glossary_app, name="glossary")
app.add_typer(corpus_app, name="corpus")
app.add_typer(model_app, name="model")
app.command("translate")(translate_command)
app.command("serve")(serve)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mtrepair {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """mtrepair command line."""


def _glossary_dir(glossary: str | None, no_glossary: bool) -> str | None:
    """The glossary folder in use (see ``options.glossary_location``), None for --no-glossary."""
    if no_glossary:
        return None
    return str(glossary_location(glossary).path)


def _iter_documents(paths: list[str], errors: list[str]) -> Iterator[Document]:
    """The documents of every input, one at a time; unreadable inputs and bad records are
    reported and skipped."""
    from ..ingest import iter_documents
    from ..runner import unique_relatives

    def report(problem: InputError) -> None:
        errors.append(str(problem))
        error(str(problem))

    sources, problems = unique_relatives(paths)
    for problem in problems:
        report(problem)
    for source in sources:
        bad: list[InputError] = []
        try:
            yield from iter_documents(source, bad)
        except InputError as exc:
            bad.append(exc)
        for problem in bad:
            report(problem)


PathsArg = Annotated[
    list[str] | None, typer.Argument(help="Article files or folders (txt, md, html, jsonl); - reads stdin.")
]
EngineOpt = Engine
ModelOpt = Annotated[str | None, typer.Option("--model", help="CTranslate2 model directory for --engine ct2.")]
GlossaryOpt = Annotated[str | None, typer.Option("--glossary", help=GLOSSARY_HELP)]


MinConfidenceOpt = Annotated[
    float | None,
    typer.Option(
        "--min-confidence",
        min=0.0,
        help=(
            "Apply edits whose calibrated confidence is at least this; flag the others for review. "
            "Default: the threshold fitted on the dev gold (header of src/mtrepair/data/calibration.tsv); "
            "0 applies every proposed edit."
        ),
    ),
]


def _model_dir(engine: str, model: str | None) -> str | None:
    """--model as a directory or an imported model's name, else the installed default model
    when the engine may use one (the same rule as ``translate``)."""
    from .model import model_dir_option

    found = model_dir_option(Path(model) if model is not None else None, engine, models_home())
    return str(found) if found is not None else None


def _pipeline_options(
    glossary: str | None,
    no_glossary: bool,
    engine: str,
    model: str | None,
    corpus: str | None,
    min_confidence: float | None,
) -> PipelineOptions:
    """The pipeline a command's options ask for, as the value workers and actors open again."""
    return {
        "glossary_dir": _glossary_dir(glossary, no_glossary),
        "engine": engine,
        "model_dir": _model_dir(engine, model),
        "corpus_dir": corpus,
        "min_confidence": min_confidence,
    }


JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Worker processes; 1 repairs in this one. Default: every core for a JSONL archive or 200+ files.",
    ),
]


@app.command()
def clean(
    paths: PathsArg = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write repaired articles into this folder (same relative paths); - prints them."
        ),
    ] = None,
    stdout: Annotated[bool, typer.Option("--stdout", hidden=True, help="Old name of -o -.")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write one JSON line per edit to this file (- for stdout).")
    ] = None,
    glossary: GlossaryOpt = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Apply no glossary.")] = False,
    engine: EngineOpt = "auto",
    model: ModelOpt = None,
    corpus: Annotated[
        str | None, typer.Option("--corpus", help="Add every segment, span and edit to this corpus store.")
    ] = None,
    diff: Annotated[bool, typer.Option("--diff", help="Print a coloured unified diff of each article.")] = False,
    min_confidence: MinConfidenceOpt = None,
    jobs: JobsOpt = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Skip articles a killed run finished (same input and settings; needs -o)."),
    ] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse one article larger than this many bytes.")
    ] = MAX_BYTES,
) -> None:
    """Repair articles and report every edit, streaming: each finished batch of articles is
    written with its report lines and corpus rows, so a killed run keeps them (--resume).

    Edits whose calibrated confidence is below --min-confidence are not applied: they
    are reported with status "flagged" for a reviewer.

    Example: mtrepair clean corpus/samples/*.txt -o out --report out/report.jsonl --diff

    Example: mtrepair clean archive.jsonl -o out --corpus corpus/store --jobs 2 --resume

    Example: cat article.txt | mtrepair clean - -o - > repaired.txt
    """
    from ..repair import open_pipeline
    from ..runner import CleanSettings, run_clean

    sources = paths or ["-"]
    if output is not None and str(output) == "-":
        output, stdout = None, True
    elif output is not None and stdout:
        raise InputError("give either -o DIR or -o -, not both")
    options = _pipeline_options(glossary, no_glossary, engine, model, corpus, min_confidence)
    # Opened here first: a bad glossary, engine or model is one error before any input
    # is read, and its notices are printed once, not once per worker.
    pipeline = open_pipeline(**options)
    for line in pipeline.notices:
        notice(line)
    detail(
        f"engine: {engine}" + (f", model {options['model_dir']}" if options["model_dir"] else "")
        + f"; edits below confidence {pipeline.min_confidence:.2f} are flagged"
    )  # fmt: skip
    settings = CleanSettings(
        pipeline=options,
        output=output,
        to_stdout=stdout or (output is None and not diff and report != Path("-")),
        diff=diff,
        report=report,
        corpus=corpus,
        jobs=jobs,
        resume=resume,
        max_bytes=max_bytes,
    )
    try:
        # Articles done, articles/s, elapsed and (when the count is known) ETA. A JSONL
        # archive is streamed, not counted first: no ETA for it.
        with progress("cleaning", "articles") as bar:
            summary = run_clean(
                sources,
                settings,
                on_error=error,
                on_progress=bar.advance,
                on_total=bar.total,
                pipeline=pipeline,
            )
    finally:
        pipeline.close()
    status(
        f"{summary.documents} document(s), {summary.applied} edit(s) applied, {summary.flagged} flagged for review"
        + (f", {summary.resumed} file(s) already done" if summary.resumed else "")
        + (f", {len(summary.errors)} input error(s)" if summary.errors else "")
    )
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def batch(
    archive: Annotated[Path, typer.Argument(help="JSONL or Parquet archive with id and text columns.")],
    corpus: Annotated[str, typer.Option("--corpus", help="Corpus store to add the repaired articles to.")],
    ray_address: Annotated[
        str | None,
        typer.Option("--ray", help="Ray cluster address (auto, ray://host:10001); default: start a local Ray."),
    ] = None,
    num_cpus: Annotated[
        int | None, typer.Option("--num-cpus", min=1, help="Cores for a local Ray (default: all).")
    ] = None,
    glossary: GlossaryOpt = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Apply no glossary.")] = False,
    engine: EngineOpt = "auto",
    model: ModelOpt = None,
    min_confidence: MinConfidenceOpt = None,
) -> None:
    """Clean an archive on Ray Data, one actor per core (each with its own pipeline and
    Apertium), and add every article to the corpus. Needs the extra: pip install 'mtrepair[ray]'.

    Example: mtrepair batch archive.jsonl --corpus corpus/store

    Example: mtrepair batch s3-copy/archive.parquet --corpus corpus/store --ray auto
    """
    from ..batch import run_batch
    from ..repair import open_pipeline

    options = _pipeline_options(glossary, no_glossary, engine, model, corpus, min_confidence)
    open_pipeline(**options).close()  # a bad glossary, engine or model fails here, once
    summary = run_batch(
        str(archive), corpus, options, address=ray_address, num_cpus=num_cpus, on_error=error,
    )  # fmt: skip
    status(
        f"{summary.documents} document(s), {summary.applied} edit(s) applied, {summary.flagged} flagged for review"
        + (f", {len(summary.errors)} input error(s)" if summary.errors else "")
    )
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def detect(
    paths: PathsArg = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per segment.")] = False,
    lines: Annotated[
        bool, typer.Option("--lines", help="Each input line is one segment: no sentence splitting, no boilerplate.")
    ] = False,
    glossary: GlossaryOpt = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Use no keep list.")] = False,
) -> None:
    """Find the Spanish left in English text, with document offsets; names are labelled `name`.

    Example: mtrepair detect corpus/samples/000_2e8fdd939f08f812.txt --jsonl

    Example: cat tweets.txt | mtrepair detect - --jsonl --lines | head -1
    """
    from ..repair import open_pipeline, segment_document

    pipeline = open_pipeline(glossary_dir=_glossary_dir(glossary, no_glossary), engine="none", calibrated=False)
    errors: list[str] = []
    out = sys.stdout
    for doc in _iter_documents(paths or ["-"], errors):
        found = segment_document(doc, pipeline, lines=lines)
        # Spans come segment by segment, in order: one pass hands each segment its own.
        pending = iter(found.spans)
        span = next(pending, None)
        for seg in found.segments:
            spans = []
            while span is not None and span.start < seg.end:
                if span.start >= seg.start:
                    spans.append(span)
                span = next(pending, None)
            if jsonl:
                record = {
                    "doc": doc.doc_id,
                    "start": seg.start,
                    "end": seg.end,
                    "text": seg.text,
                    "spans": [s.to_json() for s in spans],
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif spans:
                marked = ", ".join(f"{s.label}:{s.text!r}@{s.start}" for s in spans)
                out.write(safe_for_terminal(f"{doc.doc_id}:{seg.start}-{seg.end}\t{marked}") + "\n")
    if errors:
        raise typer.Exit(1)


eval_app = typer.Typer(
    cls=ConventionGroup,
    help=(
        "Score mtrepair's stages on annotated data.\n\n"
        "Example: mtrepair eval clean --gold ../shared/dev/real/gold.jsonl --articles ../shared/dev/real/articles"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(eval_app, name="eval")


@eval_app.command("detect")
def eval_detect(
    conll: Annotated[
        Path | None, typer.Option("--conll", help="LinCE-style CoNLL file (token<TAB>tag, lang1/lang2).")
    ] = None,
    gold: Annotated[Path | None, typer.Option("--gold", help="Span gold JSONL (seed_gold.jsonl format).")] = None,
    seeds: Annotated[
        Path | None, typer.Option("--seeds", help="Folder of the articles the --gold offsets refer to.")
    ] = None,
    clean_text: Annotated[
        Path | None, typer.Option("--clean", help="Clean English, one sentence a line: share of lines flagged.")
    ] = None,
    glossary: GlossaryOpt = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Use no keep list.")] = False,
) -> None:
    """Token accuracy, per-label F1 and span precision/recall/F1 of the detector, as JSON.

    Example: mtrepair eval detect --conll ../shared/data/lince_spaeng/dev.conll

    Example: mtrepair eval detect --gold ../shared/dev/seed_gold.jsonl --seeds ../shared/seeds
    """
    from ..detect.evaluate import score_clean, score_conll, score_gold

    if conll is None and gold is None and clean_text is None:
        raise InputError("give at least one of --conll FILE, --gold FILE --seeds DIR, --clean FILE")
    from ..repair import open_detector

    detector = open_detector(_glossary_dir(glossary, no_glossary))
    report: dict[str, object] = {}
    if conll is not None:
        report["conll"] = score_conll(conll, detector)
    if gold is not None:
        if seeds is None:
            raise InputError("--gold needs --seeds DIR, the folder of the annotated articles", path=str(gold))
        report["gold"] = score_gold(gold, seeds, detector)
    if clean_text is not None:
        report["clean"] = score_clean(clean_text, detector)
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))


@eval_app.command("clean")
def eval_clean(
    gold: Annotated[Path, typer.Option("--gold", help="Segment gold JSONL (seed_gold.jsonl / dev/real format).")],
    articles: Annotated[
        Path | None,
        typer.Option("--articles", help="Folder of the articles the gold offsets refer to (default: gold.articles)."),
    ] = None,
    engine: EngineOpt = "auto",
    model: ModelOpt = None,
    glossary: GlossaryOpt = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Apply no glossary.")] = False,
    min_confidence: MinConfidenceOpt = None,
    raw: Annotated[bool, typer.Option("--raw", help="Raw stage confidences (no calibration table).")] = False,
    newstest: Annotated[
        Path | None, typer.Option("--newstest", help="Clean English, one sentence a line: share of lines changed.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole score as JSON.")] = False,
) -> None:
    """Run the real `clean` on annotated articles and score every kind of repair.

    Example: mtrepair eval clean --gold ../shared/dev/real/gold.jsonl --articles ../shared/dev/real/articles

    Example: mtrepair eval clean --gold ../shared/dev/seed_gold.jsonl --articles ../shared/seeds --json
    """
    from ..evaluation import evaluate_clean
    from ..evaluation.report import render_score

    score = evaluate_clean(
        gold,
        articles,
        engine=engine,
        glossary_dir=_glossary_dir(glossary, no_glossary),
        model_dir=_model_dir(engine, model),
        min_confidence=min_confidence,
        calibrated=not raw,
        newstest=newstest,
    )
    if as_json:
        typer.echo(json.dumps(score.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(render_score(score)))


@eval_app.command("calibrate")
def eval_calibrate(
    gold: Annotated[list[Path], typer.Option("--gold", help="Segment gold JSONL; repeat, paired with --articles.")],
    articles: Annotated[list[Path], typer.Option("--articles", help="Articles folder of each --gold, in order.")],
    engine: EngineOpt = "auto",
    model: ModelOpt = None,
    glossary: GlossaryOpt = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Apply no glossary.")] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Table to write (default: the shipped calibration.tsv).")
    ] = None,
) -> None:
    """Fit per-rule confidence calibration and the default --min-confidence from gold.

    Example: mtrepair eval calibrate --gold ../shared/dev/seed_gold.jsonl --articles ../shared/seeds
    --gold ../shared/dev/real/gold.jsonl --articles ../shared/dev/real/articles
    """
    from ..atomic import write_atomic
    from ..calibration import DEFAULT_TABLE
    from ..evaluation.calibrate import calibrate

    if len(gold) != len(articles):
        raise InputError("give one --articles DIR for each --gold FILE, in the same order")
    fit, _ = calibrate(
        list(zip(gold, articles, strict=True)),
        engine=engine,
        glossary_dir=_glossary_dir(glossary, no_glossary),
        model_dir=_model_dir(engine, model),
    )
    target = output if output is not None else DEFAULT_TABLE
    write_atomic(target, fit.table())
    typer.echo(
        f"{target}: {fit.judged} judged edits ({fit.wrong} wrong), default --min-confidence {fit.threshold:.2f}, "
        f"{fit.correct_flagged} correct edit(s) below it: {fit.flagged_keys}"
    )


def main() -> None:
    """Console entry point; the conventions (one-line errors, exit codes, closed pipes) are
    the group's, so ``python -m mtrepair`` and the tests' CliRunner behave the same."""
    app(prog_name="mtrepair")
