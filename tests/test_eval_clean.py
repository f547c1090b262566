"""`mtrepair eval clean`: the real clean pipeline scored against segment gold (issue 9, part 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import GOLD, ROOT, SHARED, run_cli
from mtrepair.evaluation import CleanScore, evaluate_clean, read_gold
from mtrepair.evaluation.judge import judge_edit
from mtrepair.evaluation.render import Change, render
from mtrepair.model import Edit, EditKind

SEEDS = SHARED / "seeds"
REAL = SHARED / "dev" / "real"
NEWSTEST = SHARED / "data" / "mt" / "newstest2013.eng"
GLOSSARY = str(ROOT / "glossary")


@pytest.fixture(scope="module")
def seeds_score() -> CleanScore:
    if not GOLD.is_file() or not SEEDS.is_dir():
        pytest.skip("../shared/dev/seed_gold.jsonl and ../shared/seeds are not beside the project")
    return evaluate_clean(GOLD, SEEDS, glossary_dir=GLOSSARY)


def test_scores_every_kind_the_issue_lists(seeds_score: CleanScore, gold: list[dict]) -> None:
    assert set(seeds_score.kind_scores()) == {"boilerplate", "numbers", "terms", "glued", "es_f1"}
    assert seeds_score.documents == len({g["doc"] for g in gold}) and seeds_score.segments == len(gold)
    assert seeds_score.boilerplate.gold == sum(1 for g in gold if g["boiler"])
    assert seeds_score.boilerplate.body == sum(1 for g in gold if not g["boiler"])
    for kind in ("numbers", "terms", "glued"):
        assert seeds_score.items[kind].gold == sum(len(g[kind]) for g in gold)
    assert len(seeds_score.chrf.segments) == sum(1 for g in gold if g.get("reference") and not g["boiler"])
    assert seeds_score.es.tp + seeds_score.es.fn == sum(
        sum(c.isalpha() for c in s["text"]) for g in gold if not g["boiler"] for s in g["spans"] if s["label"] == "es"
    )


def test_seeds_are_repaired_completely(seeds_score: CleanScore) -> None:
    assert seeds_score.kind_scores() == {"boilerplate": 1.0, "numbers": 1.0, "terms": 1.0, "glued": 1.0, "es_f1": 1.0}
    assert seeds_score.boilerplate.lost == ()
    assert seeds_score.chrf.worse == ()
    assert seeds_score.chrf.mean_gain > 0
    assert seeds_score.applied_wrong == ()


def test_every_edit_is_judged_against_the_article(seeds_score: CleanScore) -> None:
    assert seeds_score.edits
    for e in seeds_score.edits:
        text = (SEEDS / e.doc).read_text(encoding="utf-8")
        assert text[e.start : e.end] == e.before
        assert e.verdict in {"correct", "wrong", "unjudged"} and e.reason
    numbers = {(e.before, e.after): e for e in seeds_score.edits if e.kind == "number"}
    assert numbers[("4 mil 158", "4,158")].verdict == "correct"
    # The gold annotates part of each article only: the date line of seed 002 is not in it.
    dates = [e for e in seeds_score.edits if e.rule == "metadata:date"]
    assert dates and {e.verdict for e in dates} == {"unjudged"}


@pytest.mark.parametrize(
    ("changes", "start", "end", "expected"),
    [
        pytest.param([Change(4, 9, "4,158")], 0, 20, "The 4,158 doctors an", id="inside"),
        pytest.param([Change(4, 9, "4,158")], 6, 20, " doctors an", id="straddles-start-belongs-before"),
        pytest.param([Change(4, 9, "4,158")], 0, 6, "The 4,158", id="straddles-end-written-here"),
        pytest.param([Change(0, 12, "")], 4, 20, "ctors an", id="deletion-clipped"),
        pytest.param([Change(9, 9, "!")], 0, 9, "The 4 mil!", id="insertion-at-end"),
        pytest.param([], 4, 9, "4 mil", id="nothing"),
    ],
)
def test_render_a_region(changes: list[Change], start: int, end: int, expected: str) -> None:
    assert render("The 4 mil doctors and nurses", start, end, changes) == expected


def _seed_edit(text: str, before: str, after: str, kind: EditKind, rule: str = "test") -> Edit:
    i = text.index(before)
    return Edit(i, i + len(before), before, after, kind, rule, 0.9, "rules")


@pytest.mark.parametrize(
    ("doc", "before", "after", "kind", "verdict"),
    [
        pytest.param("000_2e8fdd939f08f812.txt", "4 mil 158", "4,158", "number", "correct", id="gold-number"),
        pytest.param("000_2e8fdd939f08f812.txt", "4 mil 158", "4158", "number", "wrong", id="number-unlike-gold"),
        pytest.param("000_2e8fdd939f08f812.txt", "Zoé Robledo", "Zoe Robledo", "glossary", "wrong", id="touches-name"),
        pytest.param("000_2e8fdd939f08f812.txt", "dice", "says", "translation", "correct", id="translation-toward-reference"),
        pytest.param("000_2e8fdd939f08f812.txt", "the best school", "the school", "glossary", "wrong", id="no-gold-item"),
        pytest.param("000_2e8fdd939f08f812.txt", "IMSS is the best", "", "boilerplate", "wrong", id="removes-body"),
    ],
)
def test_judge_one_edit_on_seed_text(doc: str, before: str, after: str, kind: EditKind, verdict: str) -> None:
    if not GOLD.is_file():
        pytest.skip("../shared/dev/seed_gold.jsonl not present")
    gold = read_gold(GOLD, SEEDS)
    text = gold.documents[doc].text
    e = _seed_edit(text, before, after, kind)
    assert judge_edit(e, text, gold.by_doc()[doc], []).verdict == verdict


def test_cli_prints_json_and_text(tmp_path: Path) -> None:
    if not GOLD.is_file():
        pytest.skip("../shared/dev/seed_gold.jsonl not present")
    proc = run_cli("eval", "clean", "--gold", str(GOLD), "--articles", str(SEEDS), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert {"kind_scores", "boilerplate", "items", "es", "chrf", "edits", "reliability", "applied_wrong"} <= set(data)
    assert set(data["es"]) >= {"precision", "recall", "f1"}
    assert {"mean_gain", "oracle_mean_gain", "share_of_oracle", "worse"} <= set(data["chrf"])
    text = run_cli("eval", "clean", "--gold", str(GOLD), "--articles", str(SEEDS))
    assert text.returncode == 0, text.stderr.decode()
    out = text.stdout.decode()
    for needle in ("boilerplate: gold segments removed", "numbers: fixed exactly", "es letters", "chrF against", "reliability"):
        assert needle in out


def test_gold_that_does_not_slice_its_articles_is_one_line_error(tmp_path: Path) -> None:
    if not GOLD.is_file():
        pytest.skip("../shared/dev/seed_gold.jsonl not present")
    wrong = tmp_path / "articles"
    wrong.mkdir()
    for path in SEEDS.glob("*.txt"):
        (wrong / path.name).write_text("Something else entirely.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_cli("eval", "clean", "--gold", str(GOLD), "--articles", str(wrong))
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "Traceback" not in err and "gold offsets do not slice the article text" in err


@pytest.mark.slow
def test_dev_real_and_newstest_meet_the_issue_targets() -> None:
    """Issue 9's acceptance figures that hold now; re-run `mtrepair eval calibrate` if this fails after a stage change."""
    if not (REAL / "gold.jsonl").is_file() or not NEWSTEST.is_file():
        pytest.skip("../shared/dev/real or newstest2013.eng not present")
    score = evaluate_clean(REAL / "gold.jsonl", REAL / "articles", glossary_dir=GLOSSARY, newstest=NEWSTEST)
    assert [(e.doc, e.rule, e.before, e.after) for e in score.applied_wrong] == []
    assert score.boilerplate.lost == ()
    assert score.newstest is not None and score.newstest.share <= 0.002


def test_articles_folder_defaults_to_what_gold_articles_names(tmp_path: Path) -> None:
    if not (REAL / "gold.articles").is_file():
        pytest.skip("../shared/dev/real not present")
    gold = read_gold(REAL / "gold.jsonl")
    assert len(gold.documents) == len({json.loads(x)["doc"] for x in (REAL / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()})
    proc = run_cli("eval", "clean", "--gold", str(GOLD))  # the seed gold names no folder
    assert proc.returncode == 1 and "give --articles DIR" in proc.stderr.decode()
