"""Which glossary a command uses (issue 11 part 5): the resolution order, mtrepair.toml, the shipped copy.

Every case builds a real folder layout in tmp (working directory, settings files, glossary
folders) and resolves against it; ``env`` is passed in, so nothing here depends on the
environment the suite runs in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mtrepair.config import CONFIG_FILE, ConfigError, read_config, user_config_file
from mtrepair.errors import GlossaryError, MtrepairError
from mtrepair.glossary import load_glossary
from mtrepair.glossary.location import (
    ENV_VAR,
    SHIPPED_DIR,
    SOURCE_CLI,
    SOURCE_ENV,
    SOURCE_LOCAL,
    SOURCE_SHIPPED,
    GlossaryLocation,
    init_glossary,
    require_writable,
    resolve_glossary,
    toml_source,
)
from mtrepair.glossary.tsvfile import GLOSSARY_FILE, HISTORY_FILE

ROOT = Path(__file__).resolve().parents[1]
REPO_GLOSSARY = ROOT / "glossary"
HEADER = "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated\n"


def _glossary(folder: Path) -> Path:
    """A real, valid (empty) glossary folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / GLOSSARY_FILE).write_text(HEADER, encoding="utf-8")
    return folder


def _toml(file: Path, body: str) -> Path:
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(body, encoding="utf-8")
    return file


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    """A working directory, a home with a config folder, and glossary folders each rule can name."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    return {
        "cwd": cwd,
        "home": home,
        "cli": _glossary(tmp_path / "from-cli"),
        "env": _glossary(tmp_path / "from-env"),
        "cwd_toml": _glossary(tmp_path / "from-cwd-toml"),
        "user_toml": _glossary(tmp_path / "from-user-toml"),
    }


# Each case switches on some of the six rules; the highest one switched on must win.
ORDER = [
    pytest.param({"cli", "env", "cwd_toml", "user_toml", "local"}, SOURCE_CLI, "cli", id="cli-beats-all"),
    pytest.param({"env", "cwd_toml", "user_toml", "local"}, SOURCE_ENV, "env", id="env-beats-toml"),
    pytest.param({"cwd_toml", "user_toml", "local"}, "cwd-toml", "cwd_toml", id="cwd-toml-beats-user-toml"),
    pytest.param({"user_toml", "local"}, "user-toml", "user_toml", id="user-toml-beats-local"),
    pytest.param({"local"}, SOURCE_LOCAL, "local", id="local-beats-shipped"),
    pytest.param(set(), SOURCE_SHIPPED, "shipped", id="shipped-default-last"),
]


@pytest.mark.parametrize(("rules", "source", "folder"), ORDER)
def test_first_rule_that_applies_wins(world: dict[str, Path], rules: set[str], source: str, folder: str) -> None:
    cwd, home = world["cwd"], world["home"]
    env = {"HOME": str(home)}
    cli = str(world["cli"]) if "cli" in rules else None
    if "env" in rules:
        env[ENV_VAR] = str(world["env"])
    cwd_toml = cwd / CONFIG_FILE
    user_toml = home / ".config" / "mtrepair" / CONFIG_FILE
    if "cwd_toml" in rules:
        _toml(cwd_toml, f'[glossary]\npath = "{world["cwd_toml"]}"\n')
    if "user_toml" in rules:
        _toml(user_toml, f'[glossary]\npath = "{world["user_toml"]}"\n')
    if "local" in rules:
        _glossary(cwd / "glossary")
    expected_source = {"cwd-toml": toml_source(cwd_toml), "user-toml": toml_source(user_toml)}.get(source, source)
    expected_path = {"local": cwd / "glossary", "shipped": SHIPPED_DIR}.get(folder) or world[folder]

    location = resolve_glossary(cli, cwd=cwd, env=env)

    assert location == GlossaryLocation(expected_path, expected_source, read_only=folder == "shipped")


def test_relative_cli_and_env_values_are_relative_to_the_working_directory(world: dict[str, Path]) -> None:
    cwd = world["cwd"]
    assert resolve_glossary("g", cwd=cwd, env={}).path == cwd / "g"
    assert resolve_glossary(None, cwd=cwd, env={ENV_VAR: "other"}).path == cwd / "other"


@pytest.mark.parametrize("value", [pytest.param("", id="empty"), pytest.param("   ", id="blank")])
def test_an_empty_environment_variable_counts_as_unset(world: dict[str, Path], value: str) -> None:
    # `export MTREPAIR_GLOSSARY=` leaves it set to "": that must not mean "the working directory".
    location = resolve_glossary(None, cwd=world["cwd"], env={ENV_VAR: value})
    assert location.source == SOURCE_SHIPPED


def test_a_local_folder_without_glossary_tsv_is_passed_over(world: dict[str, Path]) -> None:
    (world["cwd"] / "glossary").mkdir()
    assert resolve_glossary(None, cwd=world["cwd"], env={}).source == SOURCE_SHIPPED


def test_toml_paths_are_relative_to_the_toml_file_not_the_working_directory(tmp_path: Path) -> None:
    project = tmp_path / "project"
    file = _toml(project / CONFIG_FILE, '[glossary]\npath = "terms/reviewed"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    user = {"XDG_CONFIG_HOME": str(project.parent), "HOME": str(tmp_path)}
    (project.parent / "mtrepair").mkdir()
    (project.parent / "mtrepair" / CONFIG_FILE).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")

    assert read_config(file, {}).glossary == project / "terms" / "reviewed"
    # Found through the user config folder while running somewhere else: still relative to the file.
    location = resolve_glossary(None, cwd=elsewhere, env=user)
    assert location.path == project.parent / "mtrepair" / "terms" / "reviewed"


def test_tilde_in_a_toml_path_is_the_home_folder(tmp_path: Path) -> None:
    file = _toml(tmp_path / CONFIG_FILE, '[glossary]\npath = "~/terms"\n')
    assert read_config(file, {"HOME": "/home/reviewer"}).glossary == Path("/home/reviewer/terms")


def test_a_toml_without_a_glossary_path_is_passed_over(world: dict[str, Path]) -> None:
    cwd, home = world["cwd"], world["home"]
    _toml(cwd / CONFIG_FILE, "[glossary]\n")
    user_toml = _toml(home / ".config" / "mtrepair" / CONFIG_FILE, f'[glossary]\npath = "{world["user_toml"]}"\n')
    location = resolve_glossary(None, cwd=cwd, env={"HOME": str(home)})
    assert location.source == toml_source(user_toml)


USER_CONFIG = [
    pytest.param({"XDG_CONFIG_HOME": "/x/cfg", "HOME": "/h"}, Path("/x/cfg/mtrepair/mtrepair.toml"), id="xdg"),
    pytest.param({"HOME": "/h"}, Path("/h/.config/mtrepair/mtrepair.toml"), id="home-default"),
    pytest.param({"XDG_CONFIG_HOME": "", "HOME": "/h"}, Path("/h/.config/mtrepair/mtrepair.toml"), id="xdg-empty"),
    # The XDG spec: a relative XDG_CONFIG_HOME is invalid and is ignored.
    pytest.param(
        {"XDG_CONFIG_HOME": "cfg", "HOME": "/h"}, Path("/h/.config/mtrepair/mtrepair.toml"), id="xdg-relative"
    ),
    pytest.param({}, None, id="no-home"),
]


@pytest.mark.parametrize(("env", "expected"), USER_CONFIG)
def test_user_config_file(env: dict[str, str], expected: Path | None) -> None:
    assert user_config_file(env) == expected


BAD_TOML = [
    pytest.param('[glossary]\npath = "a"\npath2 "b"\n', 3, "invalid TOML", id="syntax-error-line-3"),
    pytest.param('[glossary]\npath = "unterminated\n', 2, "invalid TOML", id="unterminated-string"),
    pytest.param('[glossary]\npath = "a"\npath = "b"\n', 3, "invalid TOML", id="duplicate-key"),
    pytest.param('\n[glosary]\npath = "a"\n', 2, "unknown setting 'glosary'", id="misspelt-section"),
    pytest.param('[glossary]\n\nfolder = "a"\n', 3, "unknown key 'folder'", id="unknown-key"),
    pytest.param("[glossary]\npath = 3\n", 2, "must be a non-empty string", id="path-not-a-string"),
    pytest.param('[glossary]\npath = ""\n', 2, "must be a non-empty string", id="path-empty"),
    pytest.param('glossary = "a"\n', None, "must be a table", id="glossary-not-a-table"),
]


@pytest.mark.parametrize(("body", "line", "message"), BAD_TOML)
def test_a_bad_toml_is_one_line_naming_the_file_and_line(
    world: dict[str, Path], body: str, line: int | None, message: str
) -> None:
    file = _toml(world["cwd"] / CONFIG_FILE, body)
    with pytest.raises(ConfigError) as caught:
        resolve_glossary(None, cwd=world["cwd"], env={})
    text = str(caught.value)
    assert "\n" not in text
    assert message in text
    assert caught.value.path == str(file)
    assert caught.value.line == line
    if line is not None:
        assert text.startswith(f"{file}:{line}: ")
    assert isinstance(caught.value, MtrepairError)  # so the CLI prints it as one line, exit 1


def test_a_settings_file_that_is_not_utf8_is_one_line(world: dict[str, Path]) -> None:
    file = world["cwd"] / CONFIG_FILE
    file.write_bytes(b'[glossary]\npath = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8") as caught:
        resolve_glossary(None, cwd=world["cwd"], env={})
    assert caught.value.path == str(file)


def test_a_broken_toml_is_an_error_even_when_a_lower_rule_would_apply(world: dict[str, Path]) -> None:
    # Skipping it would quietly apply ./glossary or the shipped one instead of the folder the user named.
    _glossary(world["cwd"] / "glossary")
    _toml(world["cwd"] / CONFIG_FILE, "[glossary\n")
    with pytest.raises(ConfigError):
        resolve_glossary(None, cwd=world["cwd"], env={})


def test_a_broken_toml_is_not_read_when_a_higher_rule_applies(world: dict[str, Path]) -> None:
    _toml(world["cwd"] / CONFIG_FILE, "[glossary\n")
    assert resolve_glossary(None, cwd=world["cwd"], env={ENV_VAR: str(world["env"])}).source == SOURCE_ENV


def test_the_shipped_default_is_the_reviewed_glossary_byte_for_byte() -> None:
    # One source of truth: the package's data/glossary is the repository's glossary/ (a symlink in
    # the checkout; setuptools copies its files into the wheel, see test_wheel_install).
    for name in (GLOSSARY_FILE, HISTORY_FILE):
        assert (SHIPPED_DIR / name).read_bytes() == (REPO_GLOSSARY / name).read_bytes(), name


def test_the_shipped_default_loads_and_keeps_pesos() -> None:
    # The mistake that made this issue: installed outside the repo, "408 pesos" became "408 weights".
    glossary = load_glossary(SHIPPED_DIR)
    kept = {e.source for e in glossary.entries if e.kind == "keep"}
    assert {"pesos", "peso"} <= kept


def test_writing_to_the_shipped_default_is_refused_in_one_line(tmp_path: Path) -> None:
    location = resolve_glossary(None, cwd=tmp_path, env={})
    assert location.read_only
    with pytest.raises(GlossaryError) as caught:
        require_writable(location)
    text = str(caught.value)
    assert "\n" not in text
    assert "read-only" in text
    assert "mtrepair glossary init DIR" in text
    assert ENV_VAR in text


@pytest.mark.parametrize(
    "source",
    [pytest.param(SOURCE_CLI, id="cli"), pytest.param(SOURCE_ENV, id="env"), pytest.param(SOURCE_LOCAL, id="local")],
)
def test_every_other_location_is_writable(tmp_path: Path, source: str) -> None:
    assert require_writable(GlossaryLocation(tmp_path, source)) == tmp_path


def test_init_copies_the_shipped_glossary_so_it_can_be_edited(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    written = init_glossary(target)
    assert [p.name for p in written] == [GLOSSARY_FILE, HISTORY_FILE]
    assert (target / GLOSSARY_FILE).read_bytes() == (SHIPPED_DIR / GLOSSARY_FILE).read_bytes()
    assert len(load_glossary(target).entries) == len(load_glossary(SHIPPED_DIR).entries)
    # ... and, pointed at, it is writable.
    location = resolve_glossary(None, cwd=tmp_path, env={ENV_VAR: str(target)})
    assert require_writable(location) == target


def test_init_never_overwrites_a_glossary(tmp_path: Path) -> None:
    target = _glossary(tmp_path / "mine")
    with pytest.raises(GlossaryError, match=r"already holds a glossary\.tsv"):
        init_glossary(target)
    assert (target / GLOSSARY_FILE).read_text(encoding="utf-8") == HEADER
    assert not (target / HISTORY_FILE).exists()


def test_init_refuses_a_file_as_the_target(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not a directory"):
        init_glossary(target)


def test_describe_names_the_folder_and_the_source() -> None:
    shipped = GlossaryLocation(SHIPPED_DIR, SOURCE_SHIPPED, read_only=True)
    assert shipped.describe() == f"{SHIPPED_DIR}\t(shipped default, read-only)"
    assert GlossaryLocation(Path("/g"), SOURCE_ENV).describe() == "/g\t(MTREPAIR_GLOSSARY)"
