"""Issue 4's acceptance on the hand annotations: every number, term and glued word
of seed_gold.jsonl is fixed by `mtrepair clean` exactly as annotated, and nothing
else in those segments changes except other annotated items."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED, run_cli


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    seeds = sorted(str(p) for p in (SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds not present")
    out = tmp_path_factory.mktemp("gold")
    proc = run_cli("clean", *seeds, "-o", str(out), "--report", str(out / "r.jsonl"))
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in (out / "r.jsonl").read_text(encoding="utf-8").splitlines()]


def _items(gold: list[dict], field: str) -> list[tuple[dict, dict]]:
    return [(seg, item) for seg in gold for item in seg[field]]


@pytest.mark.parametrize("field", ["numbers", "terms", "glued"])
def test_each_annotated_fix_is_made_exactly(report: list[dict], gold: list[dict], field: str) -> None:
    items = _items(gold, field)
    assert items
    for seg, item in items:
        exact = [r for r in report if r["doc"] == seg["doc"] and r["start"] == item["start"] and r["end"] == item["end"]]
        assert exact, f"{seg['doc']}: {item['text']!r} not fixed"
        assert exact[0]["before"] == item["text"] and exact[0]["after"] == item["fix"], exact[0]


def test_nothing_else_changes_in_annotated_segments(report: list[dict], gold: list[dict]) -> None:
    for seg in gold:
        if not (seg["numbers"] or seg["terms"] or seg["glued"]):
            continue
        annotated = [(i["start"], i["end"]) for f in ("numbers", "terms", "glued") for i in seg[f]]
        annotated += [(s["start"], s["end"]) for s in seg["spans"] if s["label"] == "es"]
        for r in report:
            if r["doc"] != seg["doc"] or r["before"] == r["after"]:
                continue
            if not (seg["start"] <= r["start"] and r["end"] <= seg["end"]):
                continue
            # Spacing around quotes and stray periods is repaired wherever it is wrong
            # (seed 000: '“the best medical school”By haber'); everything else must be
            # one of the annotated items.
            if r["kind"] == "whitespace" and len(r["before"].strip()) + len(r["after"].strip()) <= 1:
                continue
            assert (r["start"], r["end"]) in annotated, (seg["doc"], r)


def test_no_name_is_touched(report: list[dict], gold: list[dict]) -> None:
    for seg in gold:
        for span in seg["spans"]:
            if span["label"] != "name":
                continue
            hits = [
                r for r in report
                if r["doc"] == seg["doc"] and r["before"] != r["after"] and r["start"] < span["end"] and span["start"] < r["end"]
            ]
            assert not hits, (span, hits)
