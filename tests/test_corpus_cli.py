"""`mtrepair corpus …` commands on real stores, and glossary suggestions into a real glossary."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from lxml import etree
from typer.testing import CliRunner

from mtrepair.cli.corpus import app
from mtrepair.corpus import open_corpus
from test_corpus_records import CLAUSURA, CLAUSURA_EN, make_result, seed_results

runner = CliRunner()
COMMANDS = [
    ["stats"],
    ["show"],
    ["query"],
    ["review"],
    ["review", "list"],
    ["review", "approve"],
    ["review", "reject"],
    ["review", "edit"],
    ["review", "apply"],
    ["export"],
    ["compact"],
    ["suggest-terms"],
]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    open_corpus(path).add_results(seed_results())
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    code, out, _ = invoke(*command, "--help")
    assert code == 0
    assert "Example: mtrepair corpus" in out
    if command[0] not in ("review",) or len(command) > 1:
        assert "--corpus" in out


def test_stats_shows_the_seed_documents(store: Path) -> None:
    code, out, _ = invoke("stats", "--corpus", str(store))
    assert code == 0
    assert "documents      5" in out
    assert "untranslated 1" in out and "chirimiento" in out
    code, out, _ = invoke("stats", "--corpus", str(store), "--json")
    data = json.loads(out)
    assert data["documents"] == 5 and data["spans_by_label"]["es"] == 6
    assert data["edits_by_kind"]["number"] == 6


def test_show_and_query(store: Path) -> None:
    code, out, _ = invoke("show", "000_2e8fdd939f08f812.txt", "--corpus", str(store))
    assert code == 0
    assert f"- During the {CLAUSURA}" in out and f"+ During the {CLAUSURA_EN}" in out
    code, out, _ = invoke("query", "ciclo académico", "--corpus", str(store), "--jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in rows] == [CLAUSURA]
    code, out, _ = invoke("query", "4 mil", "--kind", "edits", "--corpus", str(store))
    assert "4 mil 158\t4,158" in out
    code, _, err = invoke("query", "(", "--regex", "--corpus", str(store))
    assert code == 1 and "bad regular expression" in err


def test_review_commands_feed_the_translation_memory(store: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("review", "list", "--corpus", str(store))
    assert code == 0 and CLAUSURA in out
    code, out, _ = invoke("review", "approve", CLAUSURA, "--corpus", str(store), "--reviewer", "ana")
    assert code == 0 and f"approved: {CLAUSURA} → {CLAUSURA_EN}" in out
    code, out, _ = invoke("review", "edit", "dice", "says so", "--corpus", str(store))
    assert code == 0 and "edited: dice → says so" in out
    code, out, _ = invoke("review", "reject", "haber", "--corpus", str(store))
    assert code == 0
    assert open_corpus(store).translation_memory() == {CLAUSURA: CLAUSURA_EN, "dice": "says so"}
    code, _, err = invoke("review", "approve", "chirimiento", "--corpus", str(store))
    assert code == 1 and "has no translation to approve" in err
    code, _, err = invoke("review", "approve", "no such span", "--corpus", str(store))
    assert code == 1 and "no Spanish span 'no such span'" in err

    # A decisions file is checked whole before anything is recorded.
    decisions = tmp_path / "decisions.tsv"
    decisions.write_text("source\ttarget\tdecision\nel\tthe\tapprove\nal\tto\tmaybe\n", encoding="utf-8")
    code, _, err = invoke("review", "apply", str(decisions), "--corpus", str(store))
    assert code == 1 and f"{decisions}:3: decision 'maybe'" in err
    assert "el" not in open_corpus(store).translation_memory()
    decisions.write_text("source\ttarget\tdecision\nel\t\tapprove\nal\tat the\tedit\n", encoding="utf-8")
    code, out, _ = invoke("review", "apply", str(decisions), "--corpus", str(store))
    assert code == 0 and "2 decision(s)" in out
    memory = open_corpus(store).translation_memory()
    assert memory["el"] == "the" and memory["al"] == "at the"


def test_export_commands(store: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "out" / "spans.tmx"
    code, _, err = invoke("export", "--format", "tmx", "-o", str(tmx), "--corpus", str(store))
    assert code == 0 and "wrote 5 row(s) (spans)" in err
    root = etree.parse(str(tmx), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    assert root.get("version") == "1.4"
    segs = ["".join(s.itertext()) for s in root.iter("seg")]
    assert CLAUSURA in segs and CLAUSURA_EN in segs
    prefix = tmp_path / "out" / "train"
    code, _, _ = invoke("export", "--format", "moses", "-o", str(prefix), "--kind", "segments", "--corpus", str(store))
    assert code == 0
    es = (tmp_path / "out" / "train.en-x-mt").read_text(encoding="utf-8").split("\n")
    en = (tmp_path / "out" / "train.en").read_text(encoding="utf-8").split("\n")
    assert len(es) == len(en) > 50
    code, _, err = invoke("export", "--format", "docx", "-o", str(tmp_path / "x"), "--corpus", str(store))
    assert code == 1 and "unknown export format 'docx'" in err
    code, _, err = invoke(
        "export", "-f", "tsv", "-o", str(tmp_path / "y.tsv"), "--since", "May 1", "--corpus", str(store)
    )
    assert code == 1 and "--since 'May 1' is not a date" in err


def test_errors_are_one_line_and_exit_1(store: Path, tmp_path: Path) -> None:
    code, _, err = invoke("query", "x", "--corpus", str(tmp_path / "nothing"))
    assert code == 1 and err.count("\n") == 1 and "no corpus store here" in err
    part = open_corpus(store).data_files()["documents"][0]
    part.write_bytes(b"garbage")
    code, _, err = invoke("stats", "--corpus", str(store))
    assert code == 1 and err == f"mtrepair: error: {part}: damaged Parquet file (" + err.split(" (", 1)[1]
    assert err.count("\n") == 1


def test_compact_command_and_history(store: Path) -> None:
    open_corpus(store).add_results(seed_results()[:1])
    # The re-clean deleted the rows it superseded itself: nothing is left for compact to drop.
    stats = json.loads(invoke("stats", "--corpus", str(store), "--json")[1])
    assert (stats["documents"], stats["superseded_documents"]) == (5, 0)
    code, out, _ = invoke("compact", "--corpus", str(store), "--retain-hours", "0")
    assert code == 0 and "0 superseded document version(s) dropped" in out
    assert json.loads(invoke("stats", "--corpus", str(store), "--json")[1])["documents"] == 5
    code, out, _ = invoke("history", "--corpus", str(store), "--jsonl", "--limit", "100")
    commits = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {c["table"] for c in commits} == {"documents", "segments", "spans", "edits", "reviews"}
    assert any(c["operation"] == "OPTIMIZE" for c in commits)
    assert any(c["summary"] == "add: 1 document(s), 1 replaced" and c["rows_added"] == 1 for c in commits)


def test_as_of_reads_an_earlier_version(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results()[:2])
    first = open_corpus(store).version
    open_corpus(store).add_results(seed_results()[2:])
    code, out, _ = invoke("stats", "--corpus", str(store), "--json", "--as-of", str(first))
    assert code == 0 and json.loads(out)["documents"] == 2
    assert json.loads(invoke("stats", "--corpus", str(store), "--json")[1])["documents"] == 5
    code, _, err = invoke("stats", "--corpus", str(store), "--as-of", "99")
    assert code == 1 and "version 99" in err


IMSS_ES = "Instituto Mexicano del Seguro Social"
SENTENCES = [
    "The director of the {imss} (IMSS), Zoé Robledo, said that los derechohabientes will be served in 23 entities.",
    "During the press conference, the {imss} reported that el hiring process for 13,000 specialists began.",
    "Guanajuato has 245 new specialists of the {imss}, and el delegate and los derechohabientes welcomed them.",
]


def suggestion_store(path: Path) -> Path:
    translations = {
        IMSS_ES: ("Mexican Institute of Social Security", "apertium", 0.7),
        "los derechohabientes": ("the beneficiaries", "apertium", 0.8),
        "el": ("the", "apertium", 0.9),
    }
    corpus = open_corpus(path)
    corpus.add_results(
        make_result(f"imss-{i}.txt", s.format(imss=IMSS_ES), translations) for i, s in enumerate(SENTENCES)
    )
    return path


def test_suggest_terms_prints_proposed_glossary_rows(tmp_path: Path) -> None:
    store = suggestion_store(tmp_path / "store")
    # The reviewer fixed the institute's name once; the engine's rendering is then a variant.
    code, _, _ = invoke("review", "edit", IMSS_ES, "Mexican Social Security Institute", "--corpus", str(store))
    assert code == 0
    code, out, _ = invoke("suggest-terms", "--corpus", str(store), "--glossary", str(tmp_path / "none"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated"
    rows = {r[1]: r for r in (line.split("\t") for line in lines[1:])}
    assert all(len(r) == 9 and r[5] == "proposed" for r in rows.values())
    assert rows[IMSS_ES][2:5] == ["Mexican Social Security Institute", "term", "sensitive"]
    assert "seen 3x in 3 document(s)" in rows[IMSS_ES][6]
    assert rows["los derechohabientes"][2:5] == ["the beneficiaries", "term", "insensitive"]
    variant = rows["Mexican Institute of Social Security"]
    assert variant[2:5] == ["Mexican Social Security Institute", "variant", "sensitive"]
    assert "3x" in variant[6]
    # "el" → "the" recurs too, but a function word is never proposed as a term.
    assert open_corpus(store).spans().filter(pl.col("source") == "el").collect().height == 2
    assert "el" not in rows


def test_suggest_terms_writes_into_the_glossary_once(tmp_path: Path) -> None:
    from mtrepair.glossary import load_glossary
    from mtrepair.glossary.review import add_entry, current_entries

    store = suggestion_store(tmp_path / "store")
    glossary = tmp_path / "glossary"
    add_entry(
        glossary, source="los derechohabientes", target="the insured", kind="term", status="approved", author="ana"
    )
    code, _, err = invoke("suggest-terms", "--corpus", str(store), "--glossary", str(glossary), "--write")
    assert code == 0 and "1 proposed entr(ies) added" in err
    entries = {e.source: e for e in current_entries(glossary)}
    assert entries["los derechohabientes"].target == "the insured"  # the reviewed entry is untouched
    proposed = entries[IMSS_ES]
    assert (proposed.status, proposed.kind, proposed.target) == (
        "proposed",
        "term",
        "Mexican Institute of Social Security",
    )
    assert "seen 3x" in proposed.note
    load_glossary(glossary, statuses=("approved", "proposed"))  # still a valid glossary
    code, _, err = invoke("suggest-terms", "--corpus", str(store), "--glossary", str(glossary), "--write")
    assert code == 0 and "0 proposed entr(ies) added" in err
    assert len(current_entries(glossary)) == 2


def test_clean_the_seeds_into_a_corpus_through_the_real_cli(tmp_path: Path) -> None:
    from conftest import SEEDS, run_cli
    from test_corpus_export import SAFE, official

    store, out = tmp_path / "store", tmp_path / "clean"
    done = run_cli("clean", str(SEEDS), "--corpus", str(store), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    stats = run_cli("corpus", "stats", "--corpus", str(store), "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["documents"] == 5

    tmx = tmp_path / "spans.tmx"
    assert run_cli("corpus", "export", "--format", "tmx", "-o", str(tmx), "--corpus", str(store)).returncode == 0
    tree = etree.parse(str(tmx), SAFE)
    dtd = etree.DTD(str(official("tmx14.dtd")))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    pairs = {}
    for tu in tree.iter("tu"):
        segs = {t.get("{http://www.w3.org/XML/1998/namespace}lang"): t.findtext("seg") for t in tu.iter("tuv")}
        pairs[segs["es"]] = segs.get("en")
    assert pairs[CLAUSURA]  # translated by the real engine
    assert "chirimiento" not in pairs  # the engine gave it back unchanged: untranslated, not a pair

    prefix = tmp_path / "train"
    moses = run_cli(
        "corpus", "export", "--format", "moses", "-o", str(prefix), "--kind", "segments", "--corpus", str(store)
    )
    assert moses.returncode == 0
    src = (tmp_path / "train.en-x-mt").read_text(encoding="utf-8")
    tgt = (tmp_path / "train.en").read_text(encoding="utf-8")
    assert src.count("\n") == tgt.count("\n") == len(src.splitlines()) > 50

    # The loop: an approved pair is the translation memory of the next clean.
    assert run_cli("corpus", "review", "edit", CLAUSURA, CLAUSURA_EN, "--corpus", str(store)).returncode == 0
    again = run_cli("clean", str(SEEDS), "--corpus", str(store), "-o", str(tmp_path / "clean2"))
    assert again.returncode == 0, again.stderr.decode()
    corpus = open_corpus(store)
    assert corpus.documents().collect().height == 5
    row = corpus.spans().filter(pl.col("source") == CLAUSURA).collect().row(0, named=True)
    assert row["target"] == CLAUSURA_EN and row["status"] == "approved"
    assert CLAUSURA_EN in (tmp_path / "clean2" / "000_2e8fdd939f08f812.txt").read_text(encoding="utf-8")


def test_migrate_command_moves_a_schema1_store_to_delta(tmp_path: Path) -> None:
    from test_corpus_store import write_schema1_store

    store = tmp_path / "store"
    expected = write_schema1_store(store)
    code, out, err = invoke("migrate", "--corpus", str(store))
    assert code == 0 and "Delta tables, schema 2" in out and "migrated" in err
    stats = json.loads(invoke("stats", "--corpus", str(store), "--json")[1])
    assert stats["documents"] == expected["documents"].height and stats["schema_version"] == 2


def test_flagged_edits_are_counted_and_queried(tmp_path: Path) -> None:
    from dataclasses import replace

    from test_corpus_records import seed_result

    store = tmp_path / "store"
    result = seed_result("000_2e8fdd939f08f812.txt")
    flagged = next(e for e in result.edits if e.kind == "number").flag()
    edits = tuple(flagged if e.start == flagged.start and e.kind == "number" else e for e in result.edits)
    open_corpus(store).add_results([replace(result, edits=edits)])
    stats = json.loads(invoke("stats", "--corpus", str(store), "--json")[1])
    assert stats["edits_flagged"] == 1
    code, out, _ = invoke("query", "--kind", "edits", "--status", "flagged", "--jsonl", "--corpus", str(store))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["before"], r["after"]) for r in rows] == [(flagged.before, flagged.after)]
