"""Untrusted text never reaches the terminal as control sequences."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mtrepair.terminal import safe_for_terminal


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        pytest.param("red \x1b[31malert", "red \\x1b[31malert", id="csi"),
        pytest.param("title \x1b]0;pwned\x07", "title \\x1b]0;pwned\\x07", id="osc-title"),
        pytest.param("c1 \x9b2J", "c1 \\x9b2J", id="c1-csi"),
        pytest.param("tab\tand\nnewline", "tab\tand\nnewline", id="tab-newline-kept"),
        pytest.param("Zoé Robledo", "Zoé Robledo", id="plain-unicode"),
    ],
)
def test_controls_become_visible(raw: str, shown: str) -> None:
    assert safe_for_terminal(raw) == shown


def test_clean_diff_prints_no_escape_sequence(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The IMSS  opened \x1b]0;pwned\x07 a clinic.\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mtrepair", "clean", str(article), "--diff", "--engine", "none", "--no-glossary"],
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"\x1b" not in proc.stdout
    assert b"\\x1b]0;pwned" in proc.stdout


def test_corpus_show_and_query_print_no_escape_sequence(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The IMSS \x1b]0;pwned\x07opened 4 mil 158 beds, dice Zoé Robledo.\n", encoding="utf-8")
    store = tmp_path / "store"
    run = [sys.executable, "-m", "mtrepair"]
    proc = subprocess.run([*run, "clean", str(article), "-o", str(tmp_path / "out"), "--engine", "none",
                           "--no-glossary", "--corpus", str(store)], capture_output=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    for args in (["corpus", "show", "a.txt", "--all"], ["corpus", "query", "--kind", "segments"]):
        shown = subprocess.run([*run, *args, "--corpus", str(store)], capture_output=True, timeout=300, cwd=tmp_path)
        assert shown.returncode == 0, (args, shown.stderr.decode())
        assert b"\x1b" not in shown.stdout and b"\x07" not in shown.stdout, args
