"""Calibrated confidence and the --min-confidence threshold (issue 9, part 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED, run_cli
from mtrepair.calibration import (
    DEFAULT_TABLE,
    Calibration,
    Counts,
    calibration_key,
    confidence_bin,
    format_calibration,
    load_calibration,
    parse_calibration,
)
from mtrepair.evaluation.calibrate import FLOOR, fit_records
from mtrepair.evaluation.clean import EditRecord
from mtrepair.model import Edit, EditKind, apply_edits
from mtrepair.repair import assemble

SENTENCE = "The IMSS hired 4 mil 158 doctors and 13 thousand nurses in 2021.\n"


def _edit(
    text: str, before: str, after: str, kind: EditKind = "number", rule: str = "number:r", conf: float = 0.9
) -> Edit:
    i = text.index(before)
    return Edit(i, i + len(before), before, after, kind, rule, conf, "rules")


def test_shipped_table_loads_with_a_threshold_and_counts_only() -> None:
    table = load_calibration()
    assert table.rules, "src/mtrepair/data/calibration.tsv is empty"
    assert 0.5 <= table.default_min_confidence <= 1.0
    assert all(0 <= c.correct <= c.n for c in (*table.rules.values(), *table.bins.values()))
    text = DEFAULT_TABLE.read_text(encoding="utf-8")
    assert text.startswith("# ") and "mtrepair eval calibrate" in text  # says how it was made


def test_table_round_trips() -> None:
    rules = {"number:thousand": Counts(6, 6), "translate:apertium": Counts(7, 5)}
    bins = {("translate:apertium", 0): Counts(1, 0), ("translate:apertium", 3): Counts(6, 5)}
    parsed = parse_calibration(format_calibration(rules, bins, 0.83, "made by a test"))
    assert parsed.rules == rules and parsed.bins == bins and parsed.default_min_confidence == 0.83


@pytest.mark.parametrize(
    ("rule", "bin_counts", "raw", "expected"),
    [
        pytest.param(None, None, 0.7, 0.7, id="unknown-rule-keeps-raw"),
        pytest.param(Counts(20, 20), Counts(20, 20), 0.9, (20 + 4 * 0.9) / 24, id="always-right-moves-up"),
        pytest.param(Counts(3, 0), Counts(3, 0), 0.9, (0 + 4 * 0.9) / 7, id="always-wrong-moves-down-not-to-zero"),
        pytest.param(Counts(1, 1), Counts(1, 1), 0.8, (1 + 4 * 0.8) / 5, id="one-observation-moves-little"),
        pytest.param(Counts(20, 20), None, 0.2, 0.2, id="unseen-bin-not-lifted-by-other-bins"),
        pytest.param(Counts(10, 0), None, 0.3, (0 + 4 * 0.3) / 14, id="unseen-bin-lowered-by-a-bad-rule"),
    ],
)
def test_beta_smoothing_with_the_raw_confidence_as_prior(
    rule: Counts | None, bin_counts: Counts | None, raw: float, expected: float
) -> None:
    table = Calibration(
        {"number:r": rule} if rule else {}, {("number:r", confidence_bin(raw)): bin_counts} if bin_counts else {}
    )
    assert table.confidence(_edit(SENTENCE, "4 mil 158", "4,158", conf=raw), SENTENCE) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "before", "key"),
    [
        pytest.param("They hired 4 mil 158 doctors.", "4 mil 158", "number:r", id="whole-expression"),
        pytest.param("It cost 6 thousand three pesos.", "6 thousand", "number:r|cut", id="number-word-after"),
        pytest.param("A fund of four 1,192 million pesos.", "1,192 million", "number:r|cut", id="number-word-before"),
        pytest.param("It cost 2 thousand 175.7 million.", "2 thousand", "number:r|cut", id="digits-after"),
    ],
)
def test_number_edits_that_cut_an_expression_short_have_their_own_key(text: str, before: str, key: str) -> None:
    assert calibration_key(_edit(text, before, "x"), text) == key


def test_glossary_entries_share_one_key() -> None:
    text = "The IMSS-Wellbeing program."
    e = _edit(text, "IMSS-Wellbeing", "IMSS-Bienestar", kind="glossary", rule="glossary:imss-wellbeing")
    assert calibration_key(e, text) == "glossary"


def test_an_edit_below_the_threshold_is_flagged_and_changes_nothing() -> None:
    low = _edit(SENTENCE, "4 mil 158", "4,158", conf=0.4)
    high = _edit(SENTENCE, "13 thousand", "13,000", conf=0.95)
    chosen = assemble([low, high], 0.5)
    assert [(e.after, e.status) for e in chosen] == [("4,158", "flagged"), ("13,000", "applied")]
    assert apply_edits(SENTENCE, chosen) == SENTENCE.replace("13 thousand", "13,000")
    assert [e.to_json("d")["status"] for e in chosen] == ["flagged", "applied"]


def test_a_flagged_edit_does_not_block_a_lower_priority_one_inside_it() -> None:
    text = "dice que 4 mil 158 doctors"
    translation = _edit(text, "dice que 4 mil 158", "says that 4,158", kind="translation", rule="t", conf=0.3)
    number = _edit(text, "4 mil 158", "4,158", conf=0.95)
    chosen = assemble([translation, number], 0.5)
    assert apply_edits(text, chosen) == "dice que 4,158 doctors"
    assert {e.kind: e.status for e in chosen} == {"translation": "flagged", "number": "applied"}


@pytest.fixture(scope="module")
def seed_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    seeds = sorted(str(p) for p in (SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds not present")
    out = tmp_path_factory.mktemp("thresholds")
    runs = {}
    for name, args in {"zero": ["--min-confidence", "0"], "above-one": ["--min-confidence", "1.01"], "default": []}.items():
        proc = run_cli("clean", *seeds, "-o", str(out / name), "--report", str(out / f"{name}.jsonl"), *args)
        assert proc.returncode == 0, proc.stderr.decode()
        runs[name] = [json.loads(x) for x in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        for path in seeds:
            runs[f"{name}:{Path(path).name}"] = [{"text": (out / name / Path(path).name).read_text(encoding="utf-8")}]
    return runs


def test_min_confidence_zero_applies_every_proposed_edit(seed_runs: dict[str, list[dict]]) -> None:
    rows = seed_runs["zero"]
    assert rows and all(r["status"] == "applied" for r in rows if r["before"] != r["after"])


def test_min_confidence_above_one_changes_nothing(seed_runs: dict[str, list[dict]]) -> None:
    rows = seed_runs["above-one"]
    assert rows and all(r["status"] == "flagged" for r in rows)
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        assert seed_runs[f"above-one:{path.name}"][0]["text"] == path.read_text(encoding="utf-8")


def test_default_threshold_reports_status_and_flagged_rows_change_nothing(seed_runs: dict[str, list[dict]]) -> None:
    rows = seed_runs["default"]
    threshold = load_calibration().default_min_confidence
    for r in rows:
        assert r["status"] in {"applied", "flagged"}
        if r["status"] == "applied":
            assert r["confidence"] >= round(threshold, 4) - 1e-4, r
        elif r["before"] != r["after"]:
            assert r["confidence"] < threshold, r


def _record(key: str, raw: float, verdict: str) -> EditRecord:
    return EditRecord("d", 0, 1, "number", key, raw, "applied", "a", "b", verdict, "test", key, raw)


@pytest.mark.parametrize(
    ("records", "threshold"),
    [
        pytest.param([("number:r", 0.95, "correct")] * 10, FLOOR, id="all-right-keeps-the-floor"),
        pytest.param(
            [("number:r", 0.95, "correct")] * 10 + [("glue:w", 0.8, "correct")] * 3 + [("glue:w", 0.8, "wrong")],
            0.78,  # glue:w is (3 + 4 * 0.8) / (4 + 4) = 0.775 calibrated, for the right and the wrong one
            id="a-wrong-edit-falls-below",
        ),
        pytest.param([("t:a", 0.2, "wrong")] * 3, FLOOR, id="wrong-only-at-low-confidence"),
    ],
)
def test_fitted_threshold_puts_every_wrong_edit_below_it(records: list[tuple[str, float, str]], threshold: float) -> None:
    fit = fit_records([_record(*r) for r in records])
    assert fit.threshold == pytest.approx(threshold)
    for key, raw, verdict in records:
        calibrated = fit.calibration.map(key, raw)
        assert (calibrated < fit.threshold) if verdict == "wrong" else 0 < calibrated <= 1
    assert all(fit.calibration.map(k, r) < 1.0 for k, r, _ in records)  # the prior keeps it off 1.0


@pytest.mark.slow
def test_eval_calibrate_writes_a_table_clean_can_read(tmp_path: Path) -> None:
    if not (SHARED / "dev" / "seed_gold.jsonl").is_file():
        pytest.skip("../shared/dev/seed_gold.jsonl not present")
    table = tmp_path / "calibration.tsv"
    proc = run_cli(
        "eval", "calibrate", "--gold", str(SHARED / "dev" / "seed_gold.jsonl"), "--articles", str(SHARED / "seeds"),
        "-o", str(table),
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "default --min-confidence" in proc.stdout.decode()
    parsed = parse_calibration(table.read_text(encoding="utf-8"))
    assert parsed.rules and FLOOR <= parsed.default_min_confidence <= 1.0
    assert "glossary" in parsed.rules and all(not k.startswith("glossary:") for k in parsed.rules)
