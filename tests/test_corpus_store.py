"""The corpus store on disk: add, replace by content hash, reviews, memory, compaction, damage, crashes."""

from __future__ import annotations

import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from mtrepair.corpus import AddSummary, ReviewDecision, open_corpus
from mtrepair.corpus.manifest import PART_NAME
from mtrepair.errors import CorpusError
from test_corpus_records import CLAUSURA, CLAUSURA_EN, make_result, seed_result, seed_results

TESTS = Path(__file__).resolve().parent


def parquet_files(store: Path) -> set[str]:
    return {p.name for p in store.iterdir() if p.suffix == ".parquet"}


def manifest(store: Path) -> dict:
    return json.loads((store / "MANIFEST.json").read_text(encoding="utf-8"))


def test_opening_creates_nothing_and_an_empty_store_reads_empty(tmp_path: Path) -> None:
    store = tmp_path / "never" / "store"
    corpus = open_corpus(store)
    assert not store.exists() and not corpus.exists
    assert corpus.translation_memory() == {}
    assert corpus.documents().collect().height == 0
    assert corpus.add_results([]) == AddSummary()
    assert not store.exists()


def test_add_seeds_then_reclean_replaces_rows_and_keeps_review_decisions(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    first = corpus.add_results(seed_results())
    assert (first.documents, first.replaced) == (5, 0)
    assert first.segments == corpus.segments().collect().height > 50
    corpus.add_reviews([ReviewDecision(CLAUSURA, CLAUSURA_EN, "approved", "ana")])
    assert corpus.translation_memory() == {CLAUSURA: CLAUSURA_EN}

    # The same article cleaned again (another engine this time): replaced, not duplicated.
    again = seed_result("000_2e8fdd939f08f812.txt", translations={CLAUSURA: "closure of the Academic Cycle"})
    summary = open_corpus(store).add_results([again])
    assert (summary.documents, summary.replaced, summary.reviews_kept) == (1, 1, 1)
    corpus = open_corpus(store)
    docs = corpus.documents().collect()
    assert docs.height == 5 and docs["doc_id"].n_unique() == 5
    assert corpus.segments().collect().height == first.segments
    spans = corpus.reviewed_spans().filter(pl.col("source") == CLAUSURA).collect()
    # The reviewer's approval still wins over what the new engine said.
    assert spans.rows(named=True)[0]["target"] == CLAUSURA_EN
    assert spans.rows(named=True)[0]["machine_target"] == "closure of the Academic Cycle"
    assert spans["status"].to_list() == ["approved"]
    assert corpus.translation_memory() == {CLAUSURA: CLAUSURA_EN}


def test_a_changed_article_is_a_new_document(tmp_path: Path) -> None:
    corpus = open_corpus(tmp_path / "store")
    corpus.add_results(seed_results())
    base = seed_result("001_5724677a762a89f5.txt")
    text = base.document.text + "\nUpdated at 18:00.\n"
    summary = corpus.add_results([make_result("001_5724677a762a89f5.txt", text)])
    assert (summary.documents, summary.replaced) == (1, 0)
    assert corpus.documents().collect().height == 6


def test_duplicates_within_one_call_count_once(tmp_path: Path) -> None:
    corpus = open_corpus(tmp_path / "store")
    r = seed_result("002_dbae9789e0361efb.txt")
    corpus.add_results([r, r])
    assert corpus.documents().collect().height == 1
    assert corpus.segments().collect()["seg"].to_list() == sorted(set(corpus.segments().collect()["seg"].to_list()))


def test_review_log_latest_decision_wins_and_rejection_leaves_memory(tmp_path: Path) -> None:
    corpus = open_corpus(tmp_path / "store")
    corpus.add_results(seed_results())
    corpus.add_reviews([ReviewDecision("haber", "having", "approved", "ana")])
    corpus.add_reviews([ReviewDecision("haber", "having", "rejected", "luis", "verb: translate in context")])
    assert "haber" not in corpus.translation_memory()
    row = corpus.reviewed_spans().filter(pl.col("source") == "haber").collect().row(0, named=True)
    assert row["status"] == "rejected"
    # The whole history is kept.
    assert corpus.scan("reviews").collect()["reviewer"].to_list() == ["ana", "luis"]
    with pytest.raises(CorpusError, match="needs a target"):
        corpus.add_reviews([ReviewDecision("el", None, "edited")])
    with pytest.raises(CorpusError, match="unknown review status"):
        corpus.add_reviews([ReviewDecision("el", "the", "maybe")])


def test_compact_merges_parts_and_drops_superseded_rows(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    corpus.add_results(seed_results()[:2])
    corpus.add_reviews([ReviewDecision(CLAUSURA, CLAUSURA_EN, "approved")])
    before_rows = corpus.segments().collect()
    assert corpus.scan("segments").collect().height > before_rows.height
    summary = corpus.compact()
    assert summary.dead_documents_dropped == 2 and summary.parts_after == 5
    assert corpus.scan("segments").collect().equals(before_rows)
    assert corpus.translation_memory() == {CLAUSURA: CLAUSURA_EN}
    # Parts of the generation before are kept one more write for readers still scanning them.
    corpus.add_results([seed_result("003_51a4ab63d0b55e58.txt")])
    assert parquet_files(store) == {n for t in manifest(store)["tables"].values() for n in t} | set(
        manifest(store)["retired"]
    )


def test_corrupt_parquet_part_is_named_and_nothing_is_overwritten(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    part = store / manifest(store)["tables"]["spans"][0]
    part.write_bytes(b"PAR1 this is not parquet at all")
    with pytest.raises(CorpusError, match=rf"^{re.escape(str(part))}: not a readable Parquet file.*restore it"):
        open_corpus(store)
    # A writer refuses too (it re-reads the manifest under its lock), and leaves the damaged
    # file for the user to restore.
    before = manifest(store)
    from mtrepair.corpus.store import Corpus

    with pytest.raises(CorpusError, match="not a readable Parquet file"):
        Corpus(store, None).add_results([seed_result("000_2e8fdd939f08f812.txt")])
    assert part.read_bytes() == b"PAR1 this is not parquet at all"
    assert manifest(store) == before


def damage_pages(path: Path) -> None:
    """Overwrite a Parquet file's data pages, keeping its footer: the schema reads, the data does not."""
    data = bytearray(path.read_bytes())
    footer = struct.unpack("<I", data[-8:-4])[0]
    data[4 : len(data) - 8 - footer] = b"\xff" * (len(data) - 12 - footer)
    path.write_bytes(bytes(data))


def test_damaged_data_pages_are_found_and_named_on_read(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    part = store / manifest(store)["tables"]["segments"][0]
    damage_pages(part)
    corpus = open_corpus(store)  # the footer is fine
    with pytest.raises(CorpusError, match=rf"^{re.escape(str(part))}: damaged Parquet part"):
        corpus.collect(corpus.segments())


def test_store_from_a_newer_schema_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    data = manifest(store)
    data["schema_version"] = 99
    (store / "MANIFEST.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"MANIFEST.json: written by a newer mtrepair \(corpus schema 99.*upgrade"):
        open_corpus(store)


def test_broken_manifest_is_reported_with_its_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    (store / "MANIFEST.json").write_text(
        '{"format": "mtrepair-corpus",\n "schema_version": 1,\n oops', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"MANIFEST.json:3: the corpus manifest is not valid JSON"):
        open_corpus(store)


def test_missing_part_is_reported(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    part = store / manifest(store)["tables"]["edits"][0]
    part.unlink()
    with pytest.raises(
        CorpusError, match=rf"{re.escape(str(part))}: this edits part, named in MANIFEST.json, is missing"
    ):
        open_corpus(store)


def test_failing_input_commits_nothing_and_leaves_no_files(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    files = parquet_files(store)

    def results():
        yield seed_result("000_2e8fdd939f08f812.txt")
        raise RuntimeError("the pipeline died on article 2")

    with pytest.raises(RuntimeError):
        corpus.add_results(results(), chunk_rows=5)
    assert parquet_files(store) == files
    assert open_corpus(store).documents().collect().height == 5


WRITER = """
import sys, time
sys.path.insert(0, {tests!r})
from test_corpus_records import make_result, SEEDS
from mtrepair.corpus import open_corpus

text = (SEEDS / "000_2e8fdd939f08f812.txt").read_text(encoding="utf-8")

def slow_results():
    # Like the real pipeline: one article at a time, each takes a while.
    for i in range(2000):
        yield make_result(f"copy-{{i}}.txt", text + f"\\nCopy {{i}}.\\n", {{"clausura del Ciclo": ("closing of the Cycle", "apertium", 0.7)}})
        time.sleep(0.002)

open_corpus({store!r}).add_results(slow_results(), chunk_rows=300)
"""


def test_writer_killed_mid_write_leaves_the_previous_state_readable(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    corpus.add_reviews([ReviewDecision(CLAUSURA, CLAUSURA_EN, "approved")])
    before_manifest = manifest(store)
    before = corpus.segments().collect()
    committed = {n for t in before_manifest["tables"].values() for n in t}

    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(tests=str(TESTS), store=str(store))])
    try:
        deadline = time.monotonic() + 60
        new_parts: set[str] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            new_parts = {n for n in os.listdir(store) if PART_NAME.match(n)} - committed
            if new_parts:  # the writer has started writing its parts
                break
            time.sleep(0.001)
        assert new_parts, "the writer never started writing"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    corpus = open_corpus(store)
    assert manifest(store) == before_manifest
    assert corpus.segments().collect().equals(before)
    assert corpus.documents().collect().height == 5
    assert corpus.translation_memory() == {CLAUSURA: CLAUSURA_EN}
    # The dead writer's parts are ignored, then swept by the next write.
    assert {n for n in os.listdir(store) if PART_NAME.match(n)} - committed
    corpus.add_results([seed_result("004_c347115ea5c58886.txt")])
    live = manifest(store)
    assert parquet_files(store) == {n for t in live["tables"].values() for n in t} | set(live["retired"])
    assert not [n for n in os.listdir(store) if n.endswith(".tmp")]
