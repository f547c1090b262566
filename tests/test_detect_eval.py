"""The detector's scorers, its shipped data, and its quality on the shared evaluation data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtrepair.detect import Detector, build_detector
from mtrepair.detect.build_data import HUNSPELL_DIR, build_chargrams, build_names
from mtrepair.detect.evaluate import (
    conll_text,
    read_conll,
    score_clean,
    score_conll,
    score_conll_jsonl,
    score_gold,
    score_letters,
)
from mtrepair.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "mtrepair" / "data"
SHARED = ROOT.parent / "shared"
LINCE = SHARED / "data" / "lince_spaeng" / "dev.conll"
NEWS = SHARED / "data" / "mt" / "newstest2013.eng"

CONLL = """# sent_enum = 1
I\tlang1
love\tlang1
you\tlang1
.\tother

# sent_enum = 2
@amiga\tother
te\tlang2
quiero\tlang2
mucho\tlang2
amiga\tlang2
❤\tother

# sent_enum = 3
que\tlang2
risa\tlang2
lol\tlang1
jajaja\tlang2
"""


@pytest.fixture(scope="module")
def detector() -> Detector:
    return build_detector()


def test_score_conll_counts_tokens_as_the_cli_sees_them(tmp_path: Path, detector: Detector) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    sentences = read_conll(path)
    assert conll_text(sentences) == "I love you .\n@amiga te quiero mucho amiga ❤\nque risa lol jajaja\n"
    r = score_conll(path, detector)
    assert (r["sentences"], r["tokens"], r["scored_tokens"]) == (3, 14, 11)
    # "lol" between Spanish words is outvoted by its neighbours: the one error
    assert r["per_label"]["lang1"] == {"precision": 1.0, "recall": 0.75, "f1": 0.8571, "tp": 3, "fp": 0, "fn": 1}
    assert r["per_label"]["lang2"] == {"precision": 0.875, "recall": 1.0, "f1": 0.9333, "tp": 7, "fp": 1, "fn": 0}
    assert r["accuracy"] == round(10 / 11, 4)


def test_score_conll_jsonl_reads_detect_output(tmp_path: Path, detector: Detector) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    text = conll_text(read_conll(path))
    out = tmp_path / "out.jsonl"
    pos = 0
    with out.open("w", encoding="utf-8") as fh:
        for line in text.splitlines():
            # "te quiero mucho amiga" tagged Spanish, nothing else
            spans = [{"start": pos + 7, "end": pos + 28, "text": "", "label": "es"}] if "quiero" in line else []
            fh.write(json.dumps({"doc": "-", "start": pos, "end": pos + len(line), "text": line, "spans": spans}))
            fh.write("\n")
            pos += len(line) + 1
    r = score_conll_jsonl(path, out)
    assert r["per_label"]["lang2"]["tp"] == 4 and r["per_label"]["lang2"]["fn"] == 3
    # a record out of step with the sentences is refused, naming the line
    lines = out.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join([lines[1], lines[0], lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"out\.jsonl:1: record does not match"):
        score_conll_jsonl(path, out)


def test_bad_conll_line_names_file_and_line(tmp_path: Path, detector: Detector) -> None:
    path = tmp_path / "bad.conll"
    path.write_text("hola\tlang2\nno tab here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.conll:2: expected 'token<TAB>tag'"):
        score_conll(path, detector)
    with pytest.raises(InputError, match=r"missing\.conll: no such file"):
        score_conll(tmp_path / "missing.conll", detector)


def test_score_gold_on_a_small_gold_file(tmp_path: Path, detector: Detector) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    doc = "IMSS is the best school of Medicine, dice Zoé Robledo in graduation\n\nLeave a Reply\n"
    (seeds / "a.txt").write_text(doc, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    records = [
        {
            "doc": "a.txt",
            "start": 0,
            "end": 67,
            "spans": [{"start": 37, "end": 41, "label": "es"}, {"start": 42, "end": 53, "label": "name"}],
        },
        {"doc": "a.txt", "start": 69, "end": 82, "spans": [{"start": 69, "end": 74, "label": "es"}]},
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    r = score_gold(gold, seeds, detector)
    assert r["es"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "tp": 1, "fp": 0, "fn": 1}
    assert r["name"]["tp"] == 1
    assert r["missed_es"] == ["a.txt:69-74 'Leave'"]
    assert r["names_as_es"] == []
    gold.write_text('{"doc": "a.txt", "start": 0, "end": 999, "spans": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.jsonl:1: segment \[0, 999\) lies outside"):
        score_gold(gold, seeds, detector)


def test_score_clean_counts_lines_with_spanish(tmp_path: Path, detector: Detector) -> None:
    path = tmp_path / "news.txt"
    path.write_text("The mayor spoke.\n\nDeja una respuesta\nHe left.\n", encoding="utf-8")
    r = score_clean(path, detector)
    assert (r["lines"], r["lines_with_es"], r["rate"]) == (3, 1, 0.3333)


@pytest.mark.skipif(not HUNSPELL_DIR.is_dir(), reason="Debian hunspell dictionaries are not installed")
def test_shipped_data_is_what_build_data_makes() -> None:
    """The shipped tables come from wordfreq and hunspell only, and can be remade."""
    assert build_chargrams() == (DATA / "detect_chargrams.tsv").read_text(encoding="utf-8")
    assert build_names() == (DATA / "detect_names_es.txt").read_text(encoding="utf-8")


# --- the issue-3 targets on the shared evaluation data -----------------------------


@pytest.mark.skipif(not LINCE.is_file(), reason="../shared/data/lince_spaeng/dev.conll is not beside the project")
def test_lince_dev_token_accuracy(detector: Detector) -> None:
    r = score_conll(LINCE, detector)
    assert r["scored_tokens"] == 31667
    assert r["accuracy"] >= 0.95


@pytest.mark.skipif(not NEWS.is_file(), reason="../shared/data/mt/newstest2013.eng is not beside the project")
def test_clean_english_news_is_left_alone(detector: Detector) -> None:
    r = score_clean(NEWS, detector)
    assert r["lines"] == 3000
    assert r["rate"] <= 0.01, r["flagged"]


def test_score_letters_counts_letters_and_skips_boilerplate(tmp_path: Path, detector: Detector) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    doc = "IMSS is the best school of Medicine, dice Zoé Robledo in graduation\n\nDeja una respuesta\n"
    (folder / "a.txt").write_text(doc, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    records = [
        # gold says "Medicine, dice" is Spanish: 4 letters found ("dice"), 8 missed
        {"doc": "a.txt", "start": 0, "end": 67, "boiler": False, "spans": [{"start": 27, "end": 41, "label": "es"}]},
        # site chrome: not body text, not scored
        {"doc": "a.txt", "start": 69, "end": 87, "boiler": True, "spans": []},
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    r = score_letters(gold, folder, detector)
    assert r["es_letters"] == {"precision": 1.0, "recall": 0.3333, "f1": 0.5, "tp": 4, "fp": 0, "fn": 8}
    assert r["gold_es"] == [{"id": "a.txt+27", "text": "Medicine, dice", "share": 0.333}]
    assert r["false_positives"] == [] and r["names_as_es"] == []
    # with boilerplate scored too, the Spanish line counts against precision
    r = score_letters(gold, folder, detector, body_only=False)
    assert r["es_letters"]["fp"] == len("Dejaunarespuesta")
