"""`mtrepair model import|list|info|default` and `mtrepair translate`.

Imported when the CLI starts, so it imports nothing heavy: every command imports what
it needs when it runs. Errors are MtrepairError subclasses turned into one line on
stderr and exit status 1 by the group (``conventions``).

Engine choice for ``translate``: ``--engine apertium`` when Apertium is not installed is
an error (exit 1): the user asked for that engine and a line-by-line translator without
it has nothing to do. ``--engine auto`` falls back to no engine with one warning, and
then copies each line through with only the glossary and memory applied.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import InputError
from .conventions import ConventionGroup
from .options import GLOSSARY_HELP, Engine, Json, Jsonl, glossary_location
from .output import notice, status, working

model_app = typer.Typer(
    cls=ConventionGroup,
    name="model",
    help=(
        "Manage CTranslate2 translation models in the user model directory.\n\n"
        "Example: mtrepair model import opus-mt-es-en-ct2/ && mtrepair model list"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

ModelsDirOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional at runtime on Python 3.10
    typer.Option(
        "--models-dir",
        help="User model directory (default: $MTREPAIR_HOME/models or ~/.local/share/mtrepair/models).",
    ),
]


def models_home(explicit: Path | None = None) -> Path:
    """Where user models live: ``--models-dir``, $MTREPAIR_HOME/models, or
    ~/.local/share/mtrepair/models. Read only when a command runs."""
    if explicit is not None:
        return explicit
    home = os.environ.get("MTREPAIR_HOME")
    if home:
        return Path(home) / "models"
    return Path.home() / ".local" / "share" / "mtrepair" / "models"


@model_app.command("import")
def model_import(
    path: Annotated[
        Path, typer.Argument(help="CTranslate2 directory, .argosmodel package or OPUS-MT Marian directory.")
    ],
    name: Annotated[Optional[str], typer.Option(help="Name to install it under.")] = None,  # noqa: UP045
    default: Annotated[bool, typer.Option("--default", help="Make it the model --engine auto uses.")] = False,
    quantization: Annotated[str, typer.Option(help="Weight type when converting.")] = "int8",
    models_dir: ModelsDirOption = None,
) -> None:
    """Install a model (CTranslate2 directory, Argos .argosmodel, OPUS-MT Marian directory).

    Example: mtrepair model import translate-es_en-1_9.argosmodel --default
    """
    from ..translate.registry import import_model

    # Converting an OPUS-MT model takes minutes: a spinner with the elapsed time meanwhile.
    with working(f"importing {path.name}"):
        info = import_model(path, models_home(models_dir), name=name, make_default=default,
                            quantization=quantization)
    mark = " (default)" if info.is_default else ""
    typer.echo(f"imported {info.kind} model {info.name}{mark} into {info.path}")


@model_app.command("list")
def model_list(
    as_json: Json = False,
    jsonl: Jsonl = False,
    models_dir: ModelsDirOption = None,
) -> None:
    """List installed models; * marks the default.

    Example: mtrepair model list --json
    """
    from ..translate.registry import list_models

    infos = list_models(models_home(models_dir))
    if as_json:
        typer.echo(json.dumps([info.to_json() for info in infos], ensure_ascii=False))
        return
    for info in infos:
        if jsonl:
            typer.echo(json.dumps(info.to_json(), ensure_ascii=False))
        else:
            star = "*" if info.is_default else " "
            typer.echo(f"{star} {info.name}\t{info.kind}\t{info.size_bytes / 1e6:.1f} MB\t{info.source}")
    if not infos:
        status(f"no models in {models_home(models_dir)}; add one with `mtrepair model import PATH`")


@model_app.command("info")
def model_info_command(
    name: Annotated[str, typer.Argument(help="Model name (see `mtrepair model list`).")],
    models_dir: ModelsDirOption = None,
) -> None:
    """Show one model's details as JSON.

    Example: mtrepair model info opus-mt-es-en
    """
    from ..translate.registry import model_info

    info = model_info(models_home(models_dir), name)
    typer.echo(json.dumps(info.to_json(), ensure_ascii=False, indent=2))


@model_app.command("default")
def model_default(
    name: Annotated[str, typer.Argument(help="Model name.")],
    models_dir: ModelsDirOption = None,
) -> None:
    """Make a model the one --engine auto uses.

    Example: mtrepair model default opus-mt-es-en
    """
    from ..translate.registry import set_default

    set_default(models_home(models_dir), name)
    typer.echo(f"default model: {name}")


def translate_command(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(help="Files with one Spanish sentence per line; - or nothing for stdin."),
    ] = None,
    engine: Engine = "auto",
    model: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="CTranslate2 model directory, or the name of an imported model."),
    ] = None,
    glossary: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--glossary", help=GLOSSARY_HELP),
    ] = None,
    no_glossary: Annotated[bool, typer.Option("--no-glossary", help="Apply no glossary.")] = False,
    corpus: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Corpus store whose approved span translations are reused first."),
    ] = None,
    beam_size: Annotated[int, typer.Option(help="Beam size (CTranslate2).")] = 4,
    compute_type: Annotated[str, typer.Option(help="CTranslate2 compute type.")] = "int8",
    models_dir: ModelsDirOption = None,
) -> None:
    """Translate each input line (Spanish) to one output line (English), with the same
    engine, masking, domain rules and glossary path as clean.

    Example: mtrepair translate --engine apertium news.es.txt > news.en.txt

    Example: echo "Los derechohabientes del IMSS" | mtrepair translate -
    """
    from ..repair import open_pipeline, translate_lines

    model_dir = model_dir_option(model, engine, models_home(models_dir))
    glossary_dir = None if no_glossary else str(glossary_location(glossary).path)
    pipeline = open_pipeline(
        glossary_dir=glossary_dir,
        engine=engine,
        model_dir=str(model_dir) if model_dir is not None else None,
        corpus_dir=str(corpus) if corpus is not None else None,
        calibrated=False,
        compute_type=compute_type,
        beam_size=beam_size,
    )
    for line in pipeline.notices:
        notice(line)
    try:
        for line in translate_lines(_read_lines(paths or [Path("-")]), pipeline):
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    finally:
        pipeline.close()


def model_dir_option(model: Path | None, engine: str, home: Path) -> Path | None:
    """``--model`` as a path or an imported model's name; else the default model."""
    from ..translate.registry import default_model

    if model is not None:
        if not model.exists() and (home / str(model)).is_dir():
            return home / str(model)
        return model
    if engine in ("auto", "ct2"):
        return default_model(home)
    return None


def _read_lines(paths: list[Path]) -> Iterator[str]:
    """Lines of each input, decoded strictly: a bad byte names the file and line."""
    for path in paths:
        label = "<stdin>" if str(path) == "-" else str(path)
        try:
            stream = sys.stdin.buffer if str(path) == "-" else open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror})", path=label) from exc
        try:
            for lineno, raw in enumerate(stream, 1):
                try:
                    yield raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    raise InputError("not UTF-8 text: convert it with iconv -t utf-8", path=label,
                                     line=lineno) from exc
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
