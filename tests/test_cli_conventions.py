"""The CLI conventions of issue 11 part 4, on every command: -h/-q/-v, one error format,
exit 0 on a closed pipe, options checked before any input is read, one option vocabulary
with the old spellings still working, shell completion, stdout for data and stderr for status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from conftest import ROOT, SEEDS, run_cli
from mtrepair.cli import app
from mtrepair.corpus import open_corpus
from test_corpus_records import CLAUSURA, seed_results

runner = CliRunner()
ARTICLE = SEEDS / "000_2e8fdd939f08f812.txt"


def _paths(command: typer.main.TyperGroup | object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of the tree, groups included."""
    found = [prefix] if prefix else []
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _paths(sub, (*prefix, name))
    return found


COMMAND_PATHS = _paths(typer.main.get_command(app))


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def shell(command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A pipeline as a user types it, with pipefail so mtrepair's own exit status counts."""
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True, text=True, cwd=cwd, timeout=300, check=False, env=env,
    )  # fmt: skip


MTREPAIR = f"{sys.executable} -m mtrepair"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("conventions") / "store"
    open_corpus(path).add_results(seed_results())
    return path


# -- -h, -q, -v on every command ------------------------------------------------------------


@pytest.mark.parametrize("path", [pytest.param(p, id=" ".join(p)) for p in COMMAND_PATHS])
def test_every_command_takes_h_q_and_v(path: tuple[str, ...]) -> None:
    code, out, _ = invoke(*path, "-h")
    assert code == 0
    assert "-q, --quiet" in out and "-v, --verbose" in out and "-h, --help" in out


def test_version_short_and_long() -> None:
    from mtrepair.version import __version__

    assert invoke("-V")[1] == invoke("--version")[1] == f"mtrepair {__version__}\n"


def test_quiet_hides_status_and_verbose_names_the_glossary(tmp_path: Path) -> None:
    normal = run_cli("clean", str(ARTICLE), "-o", str(tmp_path / "a"), "--engine", "none")
    quiet = run_cli("-q", "clean", str(ARTICLE), "-o", str(tmp_path / "b"), "--engine", "none")
    quiet_after = run_cli("clean", "-q", str(ARTICLE), "-o", str(tmp_path / "c"), "--engine", "none")
    verbose = run_cli("clean", "-v", str(ARTICLE), "-o", str(tmp_path / "d"), "--engine", "none")
    assert normal.returncode == quiet.returncode == quiet_after.returncode == verbose.returncode == 0
    assert "1 document(s)" in normal.stderr.decode()
    assert quiet.stderr == b"" and quiet_after.stderr == b""
    assert "mtrepair: glossary: " in verbose.stderr.decode() and "(./glossary)" in verbose.stderr.decode()
    # the same repaired article whatever the verbosity
    assert (tmp_path / "a" / ARTICLE.name).read_bytes() == (tmp_path / "b" / ARTICLE.name).read_bytes()


# -- one error format -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["glossary", "show", "no-such-entry"], id="glossary show"),
        pytest.param(["model", "info", "no-such-model", "--models-dir", "/nonexistent"], id="model info"),
        pytest.param(["corpus", "stats", "--corpus", "/nonexistent/store"], id="corpus stats"),
        pytest.param(["clean", "/nonexistent/article.txt", "--engine", "none"], id="clean"),
        pytest.param(["translate", "/nonexistent/lines.spa", "--engine", "none"], id="translate"),
        pytest.param(["eval", "detect"], id="eval detect"),
    ],
)
def test_every_error_is_one_line_with_one_prefix(args: list[str]) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.decode().splitlines() if "error:" in line]
    assert errors and all(line.startswith("mtrepair: error: ") for line in errors), proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()


def test_usage_error_keeps_the_usage_and_the_prefix() -> None:
    proc = run_cli("clean", "--no-such-option")
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.startswith("Usage: mtrepair clean") and "Try 'mtrepair clean -h' for help." in err
    assert err.splitlines()[-1].startswith("mtrepair: error: No such option: --no-such-option")


def test_the_glossary_sub_app_alone_has_the_same_errors() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mtrepair.cli.glossary", "show", "no-such-entry"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    # (runpy warns that the package imported the module first; the error is the last line)
    assert proc.returncode == 1 and proc.stderr.splitlines()[-1].startswith("mtrepair: error: ")


# -- a closed pipe is not an error ------------------------------------------------------------


def test_detect_into_head_exits_zero() -> None:
    proc = shell(f"{MTREPAIR} detect {SEEDS} --jsonl | head -1")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["doc"] and "Error" not in proc.stderr and "Broken pipe" not in proc.stderr


def test_corpus_query_into_head_exits_zero(store: Path) -> None:
    proc = shell(f"{MTREPAIR} corpus query --kind segments -n 1000 --jsonl --corpus {store} | head -1")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 and proc.stderr == ""


def test_corpus_export_to_stdout_into_head_exits_zero(store: Path) -> None:
    proc = shell(f"{MTREPAIR} -q corpus export -f jsonl -o - --kind segments --corpus {store} | head -1")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"] and proc.stderr == ""


def test_clean_to_stdout_into_head_exits_zero() -> None:
    proc = shell(f"{MTREPAIR} -q clean {SEEDS} -o - --engine none | head -1")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1


# -- checked before any input is read --------------------------------------------------------


CORPUS_READERS = [
    pytest.param(["stats"], id="stats"),
    pytest.param(["show", "x.txt"], id="show"),
    pytest.param(["query", "x"], id="query"),
    pytest.param(["review", "list"], id="review list"),
    pytest.param(["review", "approve", "x", "--reviewer", "ana"], id="review approve"),
    pytest.param(["export", "-f", "tmx", "-o", "-"], id="export"),
    pytest.param(["compact"], id="compact"),
    pytest.param(["history"], id="history"),
    pytest.param(["migrate"], id="migrate"),
    pytest.param(["suggest-terms"], id="suggest-terms"),
]


@pytest.mark.parametrize("args", CORPUS_READERS)
def test_a_missing_store_is_one_error_for_every_corpus_command(args: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    code, out, err = invoke("corpus", *args, "--corpus", str(missing))
    assert code == 1 and out == ""
    assert (
        err
        == f"mtrepair: error: {missing}: no corpus store here; build one with `mtrepair clean ARTICLES --corpus DIR`\n"
    )
    assert not missing.exists()


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["export", "-f", "jsonl", "-o", "-", "--status", "bogus"], id="export spans"),
        pytest.param(
            ["export", "-f", "jsonl", "-o", "-", "--kind", "segments", "--status", "approved"], id="export segments"
        ),
        pytest.param(["query", "--status", "bogus"], id="query spans"),
        pytest.param(["query", "--kind", "edits", "--status", "machine"], id="query edits"),
        pytest.param(["review", "list", "--status", "bogus"], id="review list"),
    ],
)
def test_an_unknown_status_is_an_error_not_an_empty_result(args: list[str], store: Path) -> None:
    code, out, err = invoke("corpus", *args, "--corpus", str(store))
    assert code == 1 and out == ""
    assert err.startswith("mtrepair: error: unknown --status ") and err.count("\n") == 1


def test_a_known_status_still_filters(store: Path) -> None:
    code, out, _ = invoke("corpus", "export", "-f", "jsonl", "-o", "-", "--kind", "segments", "--status", "repaired",
                          "--corpus", str(store))  # fmt: skip
    assert code == 0 and out.count("\n") > 0


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["clean"], id="clean"),
        pytest.param(["translate"], id="translate"),
        pytest.param(["eval", "clean", "--gold", "/nonexistent/gold.jsonl"], id="eval clean"),
        pytest.param(["glossary", "explain", "imss", "/nonexistent/article.txt"], id="glossary explain"),
    ],
)
def test_an_unknown_engine_is_reported_before_any_input(args: list[str]) -> None:
    # The input does not exist: the engine must be what is reported, and nothing else.
    inputs = [] if args[0] in ("eval", "glossary") else ["/nonexistent/input.txt"]
    proc = run_cli(*args, *inputs, "--engine", "bogus")
    assert proc.returncode == 1
    assert proc.stderr.decode() == "mtrepair: error: unknown --engine 'bogus'; use one of auto, apertium, ct2, none\n"


# -- - means stdout ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tmx", "tsv", "jsonl", "csv", "xliff", "parquet"])
def test_corpus_export_dash_writes_stdout_byte_for_byte(fmt: str, store: Path, tmp_path: Path) -> None:
    path = tmp_path / f"spans.{fmt}"
    to_file = run_cli("corpus", "export", "-f", fmt, "-o", str(path), "--corpus", str(store), "--kind", "segments")
    to_stdout = run_cli("corpus", "export", "-f", fmt, "-o", "-", "--corpus", str(store), "--kind", "segments")
    assert to_file.returncode == to_stdout.returncode == 0
    assert not (ROOT / "-").exists()
    if fmt == "parquet":
        assert pl.read_parquet(to_stdout.stdout).equals(pl.read_parquet(path))
    elif fmt in ("tmx", "xliff"):  # a creation date inside: compare the units
        assert to_stdout.stdout.count(b"<tu ") + to_stdout.stdout.count(b"<unit ") > 0
        assert to_stdout.stdout.count(b"<seg") + to_stdout.stdout.count(b"<source") == path.read_bytes().count(
            b"<seg"
        ) + path.read_bytes().count(b"<source")
    else:
        assert to_stdout.stdout == path.read_bytes()
    assert "to standard output" in to_stdout.stderr.decode()


def test_moses_to_stdout_is_refused(store: Path) -> None:
    code, _, err = invoke("corpus", "export", "-f", "moses", "-o", "-", "--corpus", str(store))
    assert code == 1 and "moses writes two files" in err


# -- the old spellings still work (hidden), one test each -------------------------------------


def _glossary(tmp_path: Path) -> Path:
    folder = tmp_path / "g"
    code, _, err = invoke(
        "glossary", "add", "derechohabientes", "beneficiaries", "-g", str(folder), "--reviewer", "ana"
    )
    assert code == 0, err
    return folder


def _author_of(folder: Path, entry_id: str) -> str:
    from mtrepair.glossary.review import current_entries

    return next(e.author for e in current_entries(folder) if e.id == entry_id)


def test_alias_author_for_reviewer_in_glossary(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    code, _, err = invoke("glossary", "add", "camas", "beds", "-g", str(folder), "--author", "old-name")
    assert code == 0, err
    assert _author_of(folder, "camas") == "old-name"
    code, _, _ = invoke("glossary", "approve", "camas", "-g", str(folder), "--author", "bob")
    assert code == 0 and _author_of(folder, "camas") == "bob"
    help_text = invoke("glossary", "add", "-h")[1]
    assert "--reviewer" in help_text and "--author" not in help_text


def test_alias_author_and_reviewer_disagreeing_is_an_error(tmp_path: Path) -> None:
    code, _, err = invoke(
        "glossary", "add", "camas", "beds", "-g", str(tmp_path / "g"), "--author", "a", "--reviewer", "b"
    )
    assert code == 1 and err == "mtrepair: error: --author is the old name of --reviewer; give only --reviewer\n"


def test_alias_short_n_for_the_entry_note(tmp_path: Path) -> None:
    from mtrepair.glossary.review import current_entries

    folder = tmp_path / "g"
    code, _, err = invoke("glossary", "add", "camas", "beds", "-g", str(folder), "-n", "seed 002")
    assert code == 0, err
    assert [e.note for e in current_entries(folder)] == ["seed 002"]


def test_alias_note_for_reason_in_corpus_review(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    code, _, err = invoke("corpus", "review", "approve", CLAUSURA, "--corpus", str(store), "--reviewer", "ana",
                          "--note", "checked in seed 000")  # fmt: skip
    assert code == 0, err
    c = open_corpus(store)
    notes = c.collect(c.decisions()).get_column("note").to_list()
    assert notes == ["checked in seed 000"]
    assert "--reason" in invoke("corpus", "review", "approve", "-h")[1]


def test_alias_author_for_reviewer_in_suggest_terms(store: Path, tmp_path: Path) -> None:
    code, out, err = invoke("corpus", "suggest-terms", "--corpus", str(store), "--glossary", str(tmp_path / "none"),
                            "--min-count", "1", "--author", "desk")  # fmt: skip
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert rows and {row[7] for row in rows} == {"desk"}


def test_alias_positional_file_for_glossary_export(tmp_path: Path) -> None:
    folder = _glossary(tmp_path)
    old, new = tmp_path / "old.tsv", tmp_path / "new.tsv"
    assert invoke("glossary", "export", str(old), "-g", str(folder))[0] == 0
    assert invoke("glossary", "export", "-o", str(new), "-g", str(folder))[0] == 0
    assert old.read_bytes() == new.read_bytes()


def test_alias_stdout_for_clean_dash_o() -> None:
    old = run_cli("-q", "clean", str(ARTICLE), "--stdout", "--engine", "none")
    new = run_cli("-q", "clean", str(ARTICLE), "-o", "-", "--engine", "none")
    assert old.returncode == new.returncode == 0
    assert old.stdout == new.stdout and b"IMSS" in new.stdout


def test_json_is_one_document_and_jsonl_one_object_a_line(tmp_path: Path) -> None:
    import tinymodel  # a real tiny CTranslate2 model

    model = tinymodel.build_model(tmp_path / "copy-es-en", tinymodel.train_sentencepiece(tmp_path / "spm"), copy=True)
    home = tmp_path / "models"
    code, _, err = invoke("model", "import", str(model), "--name", "tiny", "--models-dir", str(home))
    assert code == 0, err
    listed = json.loads(invoke("model", "list", "--json", "--models-dir", str(home))[1])
    assert isinstance(listed, list) and [m["name"] for m in listed] == ["tiny"]
    lines = invoke("model", "list", "--jsonl", "--models-dir", str(home))[1].splitlines()
    assert [json.loads(line)["name"] for line in lines] == ["tiny"]


def test_corpus_json_and_jsonl_agree(store: Path) -> None:
    as_json = json.loads(invoke("corpus", "query", "--kind", "edits", "-n", "5", "--json", "--corpus", str(store))[1])
    as_jsonl = invoke("corpus", "query", "--kind", "edits", "--limit", "5", "--jsonl", "--corpus", str(store))[1]
    assert as_json == [json.loads(line) for line in as_jsonl.splitlines()] and len(as_json) == 5


# -- completion ----------------------------------------------------------------------------


@pytest.mark.parametrize("shell_name", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script(shell_name: str) -> None:
    proc = run_cli("--show-completion", shell_name)
    assert proc.returncode == 0
    assert "_MTREPAIR_COMPLETE" in proc.stdout.decode()


def test_completion_completes_commands() -> None:
    env = {**os.environ, "_MTREPAIR_COMPLETE": "complete_bash", "COMP_WORDS": "mtrepair corpus ex", "COMP_CWORD": "2"}
    proc = subprocess.run([sys.executable, "-m", "mtrepair"], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=60, check=False)  # fmt: skip
    assert "export" in proc.stdout.split()


# -- glossary location ---------------------------------------------------------------------


def test_glossary_where_names_the_folder_and_the_reason(tmp_path: Path) -> None:
    folder = _glossary(tmp_path)
    env = {**os.environ, "MTREPAIR_GLOSSARY": str(folder)}
    proc = subprocess.run([sys.executable, "-m", "mtrepair", "glossary", "where"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert proc.stdout == f"{folder}\t(MTREPAIR_GLOSSARY)\n"
    bare = {k: v for k, v in os.environ.items() if k != "MTREPAIR_GLOSSARY"}
    bare["XDG_CONFIG_HOME"] = str(tmp_path / "no-config")
    shipped = subprocess.run([sys.executable, "-m", "mtrepair", "glossary", "where"], capture_output=True, text=True,
                             env=bare, cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert shipped.stdout.endswith("\t(shipped default, read-only)\n")
    refused = subprocess.run([sys.executable, "-m", "mtrepair", "glossary", "add", "x", "y"], capture_output=True,
                             text=True, env=bare, cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert refused.returncode == 1 and "the shipped glossary is read-only" in refused.stderr


def test_glossary_init_copies_the_shipped_glossary(tmp_path: Path) -> None:
    from mtrepair.glossary.location import SHIPPED_DIR

    code, _, err = invoke("glossary", "init", str(tmp_path / "mine"))
    assert code == 0, err
    assert (tmp_path / "mine" / "glossary.tsv").read_bytes() == (SHIPPED_DIR / "glossary.tsv").read_bytes()
    code, _, err = invoke("glossary", "init", str(tmp_path / "mine"))
    assert code == 1 and "already holds a glossary.tsv" in err


# -- progress bars: on a terminal only, and never with -q --------------------------------------


def _run_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run mtrepair with stderr on a pseudo-terminal (as a person sees it); returns what the
    terminal received."""
    import pty
    import threading

    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mtrepair", *args],
        stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
    )  # fmt: skip
    os.close(slave)
    chunks: list[bytes] = []

    def pump() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=pump)
    reader.start()
    code = proc.wait(timeout=600)
    reader.join(timeout=10)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import tinymodel

    root = tmp_path_factory.mktemp("tiny")
    return tinymodel.build_model(root / "copy-es-en", tinymodel.train_sentencepiece(root / "spm"), copy=True)


@pytest.mark.parametrize(
    ("args", "label"),
    [
        pytest.param(["clean", str(SEEDS), "--engine", "none", "-o", "{tmp}/out"], "cleaning: ", id="clean"),
        pytest.param(
            ["corpus", "export", "-f", "tmx", "-o", "{tmp}/x.tmx", "--corpus", "{store}"],
            "exporting spans",
            id="corpus export",
        ),
        pytest.param(["corpus", "compact", "--corpus", "{store}"], "compacting", id="corpus compact"),
        pytest.param(["model", "import", "{model}", "--models-dir", "{tmp}/models"], "importing ", id="model import"),
    ],
)
def test_progress_on_a_terminal_and_not_with_q(args: list[str], label: str, tmp_path: Path, tiny_model: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())

    def fill(extra: str) -> list[str]:
        return [a.format(tmp=tmp_path / extra, store=store, model=tiny_model) for a in args]

    code, seen = _run_on_a_terminal(*fill("shown"))
    assert code == 0, seen
    assert label in seen
    code, seen = _run_on_a_terminal("-q", *fill("quiet"))
    assert code == 0, seen
    assert label not in seen
    piped = run_cli(*fill("piped"))
    assert piped.returncode == 0 and label not in piped.stderr.decode()
