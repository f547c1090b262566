"""Shared fixtures: the seed articles and their hand annotations from ../shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "corpus" / "samples"
GOLD = SHARED / "dev" / "seed_gold.jsonl"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def gold() -> list[dict]:
    if not GOLD.is_file():
        pytest.skip("../shared/dev/seed_gold.jsonl is not beside the project")
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[bytes]:
    """Run the real `mtrepair` entry point in a subprocess, as a user would."""
    env = dict(os.environ)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mtrepair", *args],
        input=input,
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )


def export_lines(store: Path, kind: str) -> list[str]:
    """A corpus store's ``kind`` rows through the real ``corpus export -f jsonl``, sorted: two
    stores built from the same articles give equal lists (revisions and times are not exported)."""
    out = store.parent / f"export-{store.name}-{kind}.jsonl"
    args = ["corpus", "export", "-f", "jsonl", "-o", str(out), "--corpus", str(store), "--kind", kind]
    if kind == "spans":
        args.append("--include-untranslated")
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr.decode()
    return sorted(out.read_text(encoding="utf-8").splitlines())


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs: a disk that really fills up (root and mount(8) needed, else skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'mount failed'}): needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)
