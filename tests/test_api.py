"""The public API of DESIGN.md: importing does nothing; the four entry points work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def test_import_loads_no_heavy_module_and_touches_nothing(tmp_path: Path) -> None:
    code = (
        "import sys, mtrepair, mtrepair.cli\n"
        "heavy = {'polars', 'ctranslate2', 'sentencepiece', 'wordfreq', 'langdetect', 'trafilatura', 'lxml', 'syntok'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []  # no folder, store or cache created


def test_repair_text_and_file_with_the_real_pipeline(tmp_path: Path) -> None:
    import mtrepair

    pipeline = mtrepair.open_pipeline(glossary_dir=str(ROOT / "glossary"), engine="apertium")
    result = mtrepair.repair_text("The IMSS-Wellbeing hired 4 mil 158 doctors, dice Zoé Robledo.\n", pipeline)
    assert result.text == "The IMSS-Bienestar hired 4,158 doctors, says Zoé Robledo.\n"
    assert {e.kind for e in result.edits} == {"glossary", "number", "translation"}
    assert result.provenance.engine == "apertium" and len(result.provenance.glossary_hash) == 64
    article = tmp_path / "a.txt"
    article.write_text("Leave a Reply\n\nIt cost 13 thousand pesos.\n", encoding="utf-8")
    [from_file] = mtrepair.repair_file(str(article), pipeline)
    assert from_file.text == "It cost 13,000 pesos.\n"
    glossary = mtrepair.load_glossary(str(ROOT / "glossary"))
    assert glossary.lookup_term("derechohabientes") == "beneficiaries"
    assert not (tmp_path / "store").exists()
    corpus = mtrepair.open_corpus(str(tmp_path / "store"))
    corpus.add_results([result, from_file])
    assert (tmp_path / "store").is_dir()
    pipeline.translator.close()  # type: ignore[union-attr]


def test_spanish_quantity_reads_as_english_and_a_second_clean_changes_nothing() -> None:
    import mtrepair

    pipeline = mtrepair.open_pipeline(glossary_dir=str(ROOT / "glossary"), engine="apertium")
    first = mtrepair.repair_text("The ISSSTE reported 1,5 millones de consultas in 2023.\n", pipeline)
    assert first.text == "The ISSSTE reported 1.5 million consultations in 2023.\n"
    second = mtrepair.repair_text(first.text, pipeline)
    assert [e for e in second.edits if e.applied] == []
    pipeline.translator.close()  # type: ignore[union-attr]


# --- layering (issue 10): stages never reach up into the CLI or the package root ---------

SRC = ROOT / "src" / "mtrepair"
STAGE_PACKAGES = ["boilerplate", "corpus", "detect", "glossary", "numbers", "translate", "evaluation"]


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, relative imports resolved against its package."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    # The package a relative import starts from: the folder the file is in.
    package = list(path.relative_to(SRC.parent).with_suffix("").parts)[:-1]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - (node.level - 1)] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.append(module)
            if node.module is None or node.level:
                found += [f"{module}.{a.name}" for a in node.names]
    return found


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=str(p.relative_to(SRC))) for pkg in STAGE_PACKAGES for p in sorted((SRC / pkg).rglob("*.py"))],
)
def test_stage_modules_import_neither_typer_nor_the_cli(path: Path) -> None:
    bad = [m for m in _imports(path) if m == "typer" or m.startswith("typer.") or m.startswith("mtrepair.cli")]
    assert bad == []


@pytest.mark.parametrize("path", [pytest.param(p, id=str(p.relative_to(SRC))) for p in sorted(SRC.rglob("*.py"))])
def test_no_module_imports_the_package_root_for_the_version(path: Path) -> None:
    assert "mtrepair.__version__" not in _imports(path)
