"""Installed from its wheel outside the repository, mtrepair applies the reviewed glossary (issue 11 part 5).

Before, ``pipx install .`` gave an mtrepair with no glossary at all, and ``clean`` turned
"408 pesos" into "408 weights". This test does what pipx does: build the wheel, install it
into a fresh virtual environment of its own, and run its ``mtrepair`` from a working
directory outside the repository with a home folder holding no settings.

Two shortcuts keep it offline and fast, neither of which lets the checkout leak in:
- the build runs in pip's isolated build environment (setuptools and wheel from the configured
  index; the test venv's own setuptools is too old for pyproject's ``setuptools>=68``); with
  no index reachable the test skips and says so;
- instead of downloading mtrepair's dependencies again, the fresh venv gets a ``.pth`` line
  naming the test venv's site-packages. A ``.pth`` line only appends that folder to
  ``sys.path``; the ``.pth`` files inside it (the editable install's pointer to ``src/``) are
  not processed, and the fresh venv's own site-packages comes first. The first test checks
  that ``mtrepair`` is imported from the fresh venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from mtrepair.translate import DEFAULT_MODE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# What a wheel is built from: the project file, the README it declares, the package, and the
# reviewed glossary that src/mtrepair/data/glossary (a symlink) points at.
SOURCE_PARTS = ("pyproject.toml", "README.md", "src", "glossary")
SKIP_NAMES = ("__pycache__", "*.egg-info", "*.pyc", ".glossary.lock", ".mypy_cache")
HEADER = "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated\n"
# Without the glossary's keep entry Apertium renders this "408 monthly weights" (checked with
# `mtrepair clean --no-glossary`); with it, "408 pesos monthly". Text written for this test.
SAMPLE = "Each family gets 408 pesos mensuales from the program.\n"
needs_apertium = pytest.mark.skipif(not DEFAULT_MODE.is_file(), reason="Apertium spa-eng is not installed")
# Environment variables that would point the installed mtrepair at something other than what a case sets.
UNSET = ("MTREPAIR_GLOSSARY", "XDG_CONFIG_HOME", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


@dataclass(frozen=True)
class Install:
    wheel: Path
    venv: Path
    site: Path
    scratch: Path

    @property
    def mtrepair(self) -> Path:
        return self.venv / "bin" / "mtrepair"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    # A generous guard so a hung pip cannot hang the suite; not a timing assertion.
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def _copy_source(dest: Path) -> Path:
    dest.mkdir()
    for part in SOURCE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, symlinks=True, ignore=shutil.ignore_patterns(*SKIP_NAMES))
        else:
            shutil.copy2(source, dest / part)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Install:
    scratch = tmp_path_factory.mktemp("wheel-install")
    assert not scratch.resolve().is_relative_to(ROOT), "the install must live outside the repository"
    tree = _copy_source(scratch / "source")
    wheels = scratch / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels), str(tree)])
    if built.returncode != 0 and "matching distribution" in built.stdout + built.stderr:
        pytest.skip("no package index reachable for the build backend (setuptools, wheel)")
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("mtrepair-*.whl")

    venv = scratch / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    probe = _run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    site = Path(probe.stdout.strip())
    dependencies = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "_test_dependencies.pth").write_text("".join(f"{p}\n" for p in dependencies), encoding="utf-8")
    # --ignore-installed: the test venv's editable mtrepair is visible through the .pth; pip must
    # neither count it as installed nor try to remove it.
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    done = _run([*pip, "--no-deps", "--no-index", "--ignore-installed", str(wheel)])
    assert done.returncode == 0, done.stdout + done.stderr
    return Install(wheel=wheel, venv=venv, site=site, scratch=scratch)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["HOME"] = str(home)
    env.update(extra)
    return env


def _empty_glossary(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "glossary.tsv").write_text(HEADER, encoding="utf-8")
    return folder


def test_the_wheel_ships_the_reviewed_glossary(installed: Install) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        shipped = (
            wheel.read("mtrepair/data/glossary/glossary.tsv") if "mtrepair/data/glossary/glossary.tsv" in names else b""
        )
    assert shipped, "the wheel lacks mtrepair/data/glossary/glossary.tsv: pyproject's package-data must list it"
    assert shipped == (ROOT / "glossary" / "glossary.tsv").read_bytes()
    assert "mtrepair/data/glossary/history.jsonl" in names
    assert not any(name.endswith(".glossary.lock") for name in names)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Install, tmp_path: Path) -> None:
    code = (
        "import mtrepair, os\n"
        "from pathlib import Path\n"
        "from mtrepair.glossary.location import resolve_glossary\n"
        "print(mtrepair.__file__)\n"
        "print(resolve_glossary(None, cwd=Path.cwd(), env=os.environ).describe())\n"
    )
    result = _run([str(installed.python), "-c", code], cwd=tmp_path, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    module, where = result.stdout.splitlines()
    assert Path(module).is_relative_to(installed.site)
    assert where == f"{installed.site / 'mtrepair' / 'data' / 'glossary'}\t(shipped default, read-only)"


@needs_apertium
def test_clean_outside_the_repository_applies_the_shipped_glossary(installed: Install, tmp_path: Path) -> None:
    (tmp_path / "sample.txt").write_text(SAMPLE, encoding="utf-8")
    result = _run([str(installed.mtrepair), "clean", "sample.txt", "--stdout"], cwd=tmp_path, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "408 pesos" in result.stdout
    assert "weights" not in result.stdout
    assert "mensuales" not in result.stdout  # the Spanish leftover was still repaired


# Each way of choosing a glossary, pointed at an empty one: the keep entry is gone, so Apertium's
# "weights" shows the installed mtrepair followed the setting instead of the shipped default.
OVERRIDES = [
    pytest.param("flag", id="glossary-flag"),
    pytest.param("env", id="MTREPAIR_GLOSSARY"),
    pytest.param("cwd-toml", id="mtrepair-toml-in-working-dir"),
    pytest.param("user-toml", id="mtrepair-toml-in-user-config"),
]


@needs_apertium
@pytest.mark.parametrize("how", OVERRIDES)
def test_each_setting_overrides_the_shipped_glossary(installed: Install, tmp_path: Path, how: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "sample.txt").write_text(SAMPLE, encoding="utf-8")
    empty = _empty_glossary(tmp_path / "empty")
    command = [str(installed.mtrepair), "clean", "sample.txt", "--stdout"]
    env = _env(tmp_path / "home")
    if how == "flag":
        command += ["--glossary", str(empty)]
    elif how == "env":
        env["MTREPAIR_GLOSSARY"] = str(empty)
    elif how == "cwd-toml":
        (work / "mtrepair.toml").write_text('[glossary]\npath = "../empty"\n', encoding="utf-8")
    else:
        config = tmp_path / "xdg" / "mtrepair"
        config.mkdir(parents=True)
        (config / "mtrepair.toml").write_text(f'[glossary]\npath = "{empty}"\n', encoding="utf-8")
        env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    result = _run(command, cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    assert "weights" in result.stdout


def test_glossary_where_names_the_shipped_default(installed: Install, tmp_path: Path) -> None:
    result = _run([str(installed.mtrepair), "glossary", "where"], cwd=tmp_path, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "shipped default" in result.stdout
    assert str(installed.site) in result.stdout


def test_a_write_to_the_shipped_glossary_is_refused(installed: Install, tmp_path: Path) -> None:
    shipped = installed.site / "mtrepair" / "data" / "glossary" / "glossary.tsv"
    before = shipped.read_bytes()
    command = [str(installed.mtrepair), "glossary", "add", "pesitos", "little pesos", "--kind", "term"]
    result = _run(command, cwd=tmp_path, env=_env(tmp_path))
    assert result.returncode != 0
    assert "read-only" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert shipped.read_bytes() == before


def test_reading_the_shipped_glossary_writes_nothing_into_the_install(installed: Install, tmp_path: Path) -> None:
    # The shipped folder belongs to pip: a lock or repair file left there survives `pip uninstall`.
    shipped = installed.site / "mtrepair" / "data" / "glossary"
    env = _env(tmp_path)
    for command in (["glossary", "list"], ["glossary", "show", "pesos"], ["glossary", "history"]):
        result = _run([str(installed.mtrepair), *command], cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in shipped.iterdir()) == ["glossary.tsv", "history.jsonl"]


def test_init_then_point_at_the_copy_to_edit_it(installed: Install, tmp_path: Path) -> None:
    # The way out the refusal names: copy the shipped glossary, point MTREPAIR_GLOSSARY at it, edit.
    mine = tmp_path / "mine"
    env = _env(tmp_path)
    made = _run([str(installed.mtrepair), "glossary", "init", str(mine)], cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    env["MTREPAIR_GLOSSARY"] = str(mine)
    command = [str(installed.mtrepair), "glossary", "add", "pesitos", "little pesos", "--kind", "term"]
    added = _run(command, cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr
    assert "pesitos" in (mine / "glossary.tsv").read_text(encoding="utf-8")
    where = _run([str(installed.mtrepair), "glossary", "where"], cwd=tmp_path, env=env)
    assert str(mine) in where.stdout
    assert "MTREPAIR_GLOSSARY" in where.stdout
