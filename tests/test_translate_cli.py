"""`mtrepair translate` as a user runs it: a real process, real files, stdin and PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mtrepair.translate import NO_ENGINE_WARNING
from mtrepair.translate.apertium import DEFAULT_MODE

ROOT = Path(__file__).resolve().parent.parent


def _translate(*args: str, input: bytes | None = None, path_env: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    if path_env is not None:
        env["PATH"] = path_env
    env["MTREPAIR_HOME"] = str(ROOT / "build" / "no-such-home")
    return subprocess.run(
        [sys.executable, "-m", "mtrepair", "translate", *args], input=input, capture_output=True, env=env, cwd=ROOT,
        timeout=120, check=False,
    )


@pytest.mark.skipif(not DEFAULT_MODE.is_file(), reason="Apertium spa-eng is not installed")
def test_translate_file_and_stdin_line_by_line(tmp_path: Path) -> None:
    src = tmp_path / "in.spa"
    src.write_text("El presidente dice que la casa es grande.\n\nLos derechohabientes viven en EE. UU.\n",
                   encoding="utf-8")
    result = _translate("--engine", "apertium", str(src))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split("\n") == [
        "The president says that the house is big.",
        "",
        "The beneficiaries live in the U.S.",
        "",
    ]
    piped = _translate("--engine", "apertium", "-", input=src.read_bytes())
    assert piped.stdout == result.stdout


def test_bad_utf8_names_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "latin1.spa"
    src.write_bytes("Hola.\nAdiós.\n".encode("latin-1"))
    result = _translate("--engine", "none", str(src))
    assert result.returncode == 1
    assert result.stderr.decode().strip() == f"mtrepair: error: {src}:2: not UTF-8 text: convert it with iconv -t utf-8"


def test_apertium_not_installed(tmp_path: Path) -> None:
    """A PATH without Apertium: --engine apertium is an error, --engine auto warns once
    and copies the lines through (nothing to translate them with)."""
    src = tmp_path / "in.spa"
    src.write_text("La casa es grande.\nEl perro come.\n", encoding="utf-8")
    explicit = _translate("--engine", "apertium", str(src), path_env=str(tmp_path))
    assert explicit.returncode == 1 and explicit.stdout == b""
    assert "lt-proc is not on PATH" in explicit.stderr.decode()
    auto = _translate("--engine", "auto", str(src), path_env=str(tmp_path))
    assert auto.returncode == 0
    # the warning, once (with the CLI's "mtrepair: " prefix once it reaches the CLI as a notice)
    assert auto.stderr.decode().removeprefix("mtrepair: ") == NO_ENGINE_WARNING + "\n"
    assert auto.stdout.decode() == "La casa es grande.\nEl perro come.\n"


def test_missing_input_file(tmp_path: Path) -> None:
    result = _translate("--engine", "none", str(tmp_path / "nope.spa"))
    assert result.returncode == 1 and "nope.spa: cannot read (No such file or directory)" in result.stderr.decode()


@pytest.mark.skipif(not DEFAULT_MODE.is_file(), reason="Apertium spa-eng is not installed")
def test_translate_with_a_glossary(tmp_path: Path) -> None:
    (tmp_path / "glossary.tsv").write_text(
        "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated\n"
        "t1\tchirimiento\temergency\tterm\tinsensitive\tapproved\t\t\t2024-01-01\n"
        "k1\tZoé Robledo\t\tkeep\tsensitive\tapproved\t\t\t2024-01-01\n",
        encoding="utf-8",
    )
    lines = "El chirimiento preocupa a Zoé Robledo.\nchirimiento\n".encode()
    result = _translate("--engine", "apertium", "--glossary", str(tmp_path), "-", input=lines)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "The emergency concerns to Zoé Robledo.\nEmergency\n"
