"""The public API of DESIGN.md: importing does nothing; the four entry points work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
