"""The corpus store on disk (Delta tables): add, replace by content hash, reviews, memory,
compaction, time travel, damage, crashes and concurrent writers (real processes)."""

from __future__ import annotations

import re
import signal
import struct
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable, write_deltalake

from mtrepair.corpus import AddSummary, ReviewDecision, open_corpus
from mtrepair.errors import CorpusError
from test_corpus_records import CLAUSURA, CLAUSURA_EN, make_result, seed_result, seed_results

TESTS = Path(__file__).resolve().parent
TABLES = ("documents", "segments", "spans", "edits", "reviews")


def versions(store: Path) -> dict[str, int]:
    return {t: DeltaTable(str(store / t)).version() for t in TABLES if (store / t / "_delta_log").is_dir()}


def rows(lf: pl.LazyFrame, *by: str) -> pl.DataFrame:
    """Collected and sorted (by ``by``, then every column): Delta gives no row order across files."""
    df = lf.collect()
    return df.sort([*by, *(c for c in df.columns if c not in by)])


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
    assert corpus.scan("reviews").collect().sort("seq")["reviewer"].to_list() == ["ana", "luis"]
    with pytest.raises(CorpusError, match="needs a target"):
        corpus.add_reviews([ReviewDecision("el", None, "edited")])
    with pytest.raises(CorpusError, match="unknown review status"):
        corpus.add_reviews([ReviewDecision("el", "the", "maybe")])


def test_each_table_is_a_delta_table_other_tools_open(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    corpus.add_results(seed_results()[:2])  # a re-clean: superseded rows are deleted, not hidden
    import pyarrow.dataset as pads

    for table in ("documents", "segments", "spans", "edits"):
        via_delta = DeltaTable(str(store / table)).to_pyarrow_dataset().to_table()
        assert via_delta.num_rows == corpus.live(table).collect().height, table
        # pyarrow's dataset factory over the raw folder would also read removed files; the
        # Delta log is what names the live ones.
        assert isinstance(pads.dataset(DeltaTable(str(store / table)).file_uris()).count_rows(), int)
    assert (
        DeltaTable(str(store / "documents")).to_pyarrow_table()["doc_id"].to_pylist().count("000_2e8fdd939f08f812.txt")
        == 1
    )
    edits = pl.scan_delta(str(store / "edits")).collect()
    assert set(edits["status"]) == {"applied"}
    pd = pytest.importorskip("pandas")
    frame = DeltaTable(str(store / "edits")).to_pandas(columns=["doc_hash", "rev", "kind", "status"])
    assert isinstance(frame, pd.DataFrame) and len(frame) == edits.height


def test_flagged_edits_keep_their_status(tmp_path: Path) -> None:
    corpus = open_corpus(tmp_path / "store")
    result = seed_result("000_2e8fdd939f08f812.txt")
    flagged = result.edits[0].flag()
    from dataclasses import replace

    corpus.add_results([replace(result, edits=(flagged, *result.edits[1:]))])
    edits = corpus.edits().collect()
    assert edits.filter(pl.col("start") == flagged.start)["status"].to_list() == ["flagged"]
    assert edits["status"].value_counts().height == 2


def unreferenced(store: Path, corpus, table: str) -> set[str]:
    """Parquet files in a table folder that its current version does not name."""
    referenced = {p.name for p in corpus.data_files()[table]}
    return {p.name for p in (store / table).glob("*.parquet")} - referenced


def test_compact_drops_orphans_optimizes_and_vacuums(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    corpus.add_reviews([ReviewDecision(CLAUSURA, CLAUSURA_EN, "approved")])

    def dies_after_one():
        yield seed_result("000_2e8fdd939f08f812.txt")
        yield make_result("extra.txt", "El director dijo que la clausura del Ciclo fue ayer.\n")
        raise RuntimeError("the pipeline died")

    with pytest.raises(RuntimeError):
        corpus.add_results(dies_after_one(), chunk_rows=5)  # child rows were appended, no documents commit
    corpus = open_corpus(store)
    live = rows(corpus.segments(), "doc_hash", "seg")
    assert corpus.scan("segments").collect().height > live.height  # orphans, invisible to readers
    assert corpus.documents().collect().height == 5
    assert unreferenced(store, corpus, "documents")  # the dead writer's documents file: never committed
    # A fresh orphan may belong to a writer still running: kept.
    assert corpus.compact(retain_hours=1).dead_documents_dropped == 0
    assert open_corpus(store).scan("segments").collect().height > live.height
    summary = corpus.compact(retain_hours=0, orphan_grace=timedelta(0))
    assert summary.parts_after == 5 and summary.files_vacuumed > 0
    corpus = open_corpus(store)
    assert rows(corpus.scan("segments"), "doc_hash", "seg").equals(live)
    assert corpus.translation_memory() == {CLAUSURA: CLAUSURA_EN}
    assert all(len(files) == 1 for files in corpus.data_files().values())
    assert not any(unreferenced(store, corpus, t) for t in TABLES)  # vacuumed


def test_as_of_reads_every_table_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results()[:3])
    v1 = corpus.version
    corpus.add_reviews([ReviewDecision(CLAUSURA, CLAUSURA_EN, "approved")])
    corpus.add_results(seed_results())
    old = open_corpus(store, as_of=v1)
    assert old.documents().collect().height == 3
    assert old.translation_memory() == {}
    assert open_corpus(store).documents().collect().height == 5
    with pytest.raises(CorpusError, match="read-only"):
        old.add_reviews([ReviewDecision("el", "the", "approved")])
    history = open_corpus(store).history()
    assert [c.version for c in history if c.table == "documents"][-1] == 0
    assert any(c.table == "reviews" and c.summary == "review: 1 decision(s)" for c in history)


def damage_pages(path: Path) -> None:
    """Overwrite a Parquet file's data pages, keeping its footer: the schema reads, the data does not."""
    data = bytearray(path.read_bytes())
    footer = struct.unpack("<I", data[-8:-4])[0]
    data[4 : len(data) - 8 - footer] = b"\xff" * (len(data) - 12 - footer)
    path.write_bytes(bytes(data))


def test_damaged_data_file_is_named_on_read(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    corpus = open_corpus(store)
    part = corpus.data_files()["segments"][0]
    damage_pages(part)
    with pytest.raises(CorpusError, match=rf"^{re.escape(str(part))}: damaged Parquet file"):
        corpus.collect(corpus.segments())


def test_missing_data_file_is_named_on_read(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results())
    corpus = open_corpus(store)
    part = corpus.data_files()["edits"][0]
    part.unlink()
    with pytest.raises(CorpusError, match=rf"^{re.escape(str(part))}: this edits data file.*is missing"):
        corpus.collect(corpus.edits())


def test_store_from_a_newer_schema_or_another_tool_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    data = pl.DataFrame({"doc_hash": ["x"], "rev": [1]}).to_arrow()
    write_deltalake(str(store / "documents"), data, description="mtrepair-corpus schema 99; documents")
    with pytest.raises(CorpusError, match=r"documents: written by a newer mtrepair \(corpus schema 99.*upgrade"):
        open_corpus(store)
    other = tmp_path / "other"
    write_deltalake(str(other / "documents"), data)
    with pytest.raises(CorpusError, match="not one mtrepair wrote"):
        open_corpus(other)


def test_failing_input_commits_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    before = {t: rows(corpus.live(t)) for t in TABLES}
    docs_version = versions(store)["documents"]

    def results():
        yield seed_result("000_2e8fdd939f08f812.txt")
        raise RuntimeError("the pipeline died on article 2")

    with pytest.raises(RuntimeError):
        corpus.add_results(results(), chunk_rows=5)
    corpus = open_corpus(store)
    assert versions(store)["documents"] == docs_version
    for t in TABLES:
        assert rows(corpus.live(t)).equals(before[t]), t


# ---- real processes -----------------------------------------------------------------------------

WRITER = """
import sys, time
sys.path.insert(0, {tests!r})
from test_corpus_records import make_result, SEEDS
from mtrepair.corpus import open_corpus

text = (SEEDS / "000_2e8fdd939f08f812.txt").read_text(encoding="utf-8")
start = {start!r}
if start:
    while not __import__("os").path.exists(start):
        time.sleep(0.001)

def results():
    for i in range({count}):
        yield make_result(f"{prefix}-{{i}}.txt", text + f"\\n{prefix} {{i}}.\\n",
                          {{"clausura del Ciclo": ("closing of the Cycle", "apertium", 0.7)}})
        time.sleep({pause})

open_corpus({store!r}).add_results(results(), chunk_rows={chunk})
"""

REVIEWER = """
import os, sys, time
from mtrepair.corpus import open_corpus, ReviewDecision
while not os.path.exists({start!r}):
    time.sleep(0.001)
corpus = open_corpus({store!r})
for i in range({count}):
    corpus.add_reviews([ReviewDecision(f"fuente {{i}}", f"source {{i}}", "approved", "ana")])
"""


def spawn(script: str, **fields: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", script.format(tests=str(TESTS), **fields)])


def test_writer_killed_mid_write_leaves_the_previous_version_readable(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    corpus.add_reviews([ReviewDecision(CLAUSURA, CLAUSURA_EN, "approved")])
    before = rows(corpus.segments(), "doc_hash", "seg")
    committed = versions(store)

    proc = spawn(WRITER, store=str(store), start="", count=2000, prefix="copy", pause=0.002, chunk=300)
    try:
        deadline = time.monotonic() + 120
        started = False
        while time.monotonic() < deadline and proc.poll() is None:
            started = versions(store)["segments"] > committed["segments"]
            if started:  # the writer has committed child rows, not its documents
                break
            time.sleep(0.005)
        assert started, "the writer never started writing"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    corpus = open_corpus(store)
    assert versions(store)["documents"] == committed["documents"]
    assert rows(corpus.segments(), "doc_hash", "seg").equals(before)
    assert corpus.documents().collect().height == 5
    assert corpus.translation_memory() == {CLAUSURA: CLAUSURA_EN}
    # The dead writer's rows are in the table but belong to no document; compact drops them.
    assert corpus.scan("segments").collect().height > before.height
    corpus.compact(retain_hours=0, orphan_grace=timedelta(0))
    assert rows(open_corpus(store).scan("segments"), "doc_hash", "seg").equals(before)


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results()[:1])  # both writers find the tables there
    go = tmp_path / "go"
    procs = [
        spawn(WRITER, store=str(store), start=str(go), count=40, prefix=p, pause=0.0, chunk=60) for p in ("a", "b")
    ]
    time.sleep(1.0)
    go.touch()
    for proc in procs:
        assert proc.wait(timeout=300) == 0
    corpus = open_corpus(store)
    docs = corpus.documents().collect()
    assert docs.height == 81 and docs["doc_id"].n_unique() == 81
    # Every copy has all its segments (the seed text plus one line), no more, no fewer.
    per_doc = corpus.segments().collect().group_by("doc_hash").len()
    copies = per_doc.join(docs.filter(pl.col("doc_id").str.contains("^[ab]-")), on="doc_hash", how="semi")
    assert copies.height == 80 and copies["len"].unique().to_list() == [copies["len"][0]]
    assert corpus.scan("segments").collect().height == per_doc["len"].sum()
    assert corpus.scan("documents").collect().height == 81


def test_a_writer_and_a_reviewer_at_once_lose_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    open_corpus(store).add_results(seed_results()[:1])
    go = tmp_path / "go"
    writer = spawn(WRITER, store=str(store), start=str(go), count=40, prefix="w", pause=0.0, chunk=60)
    reviewer = spawn(REVIEWER, store=str(store), start=str(go), count=15)
    time.sleep(1.0)
    go.touch()
    assert writer.wait(timeout=300) == 0 and reviewer.wait(timeout=300) == 0
    corpus = open_corpus(store)
    assert corpus.documents().collect().height == 41
    memory = corpus.translation_memory()
    assert all(memory[f"fuente {i}"] == f"source {i}" for i in range(15))


# ---- migration from the schema-1 layout ----------------------------------------------------------


def write_schema1_store(store: Path) -> dict[str, pl.DataFrame]:
    """A store in the old layout (Parquet parts + MANIFEST.json), written as mtrepair 0.x did,
    with a re-cleaned article (superseded rows in older parts) and two review decisions.
    Returns the live rows a reader of that format saw."""
    import json
    from datetime import datetime, timezone

    from mtrepair.corpus.legacy import legacy_schema
    from mtrepair.corpus.rows import RowBuffer, tabulate_result

    store.mkdir(parents=True)
    now = datetime(2025, 3, 1, tzinfo=timezone.utc)
    tables: dict[str, list[str]] = {t: [] for t in TABLES}
    batches = [seed_results(), [seed_result("000_2e8fdd939f08f812.txt", translations={CLAUSURA: "closure"})]]
    for generation, results in enumerate(batches, start=1):
        buffers = {t: RowBuffer(t) for t in TABLES[:4]}
        for i, r in enumerate(results):
            tabulate_result(r, (generation << 32) | i, now, buffers)
        for table, buf in buffers.items():
            # Today's rows, less the columns schema 1 did not have.
            df = pl.DataFrame(buf.take()).select(list(legacy_schema(table))).cast(dict(legacy_schema(table)))
            name = f"{table}-{generation:08d}-0000000{generation}.parquet"
            df.write_parquet(store / name)
            tables[table].append(name)
    reviews = pl.DataFrame(
        {
            "seq": [3 << 32, (3 << 32) | 1],
            "source": [CLAUSURA, "haber"],
            "target": [CLAUSURA_EN, "having"],
            "status": ["approved", "rejected"],
            "reviewer": ["ana", "luis"],
            "note": ["", "verb"],
            "updated": [now, now],
        },
        schema=legacy_schema("reviews"),
    )
    reviews.write_parquet(store / "reviews-00000003-00000003.parquet")
    tables["reviews"].append("reviews-00000003-00000003.parquet")
    manifest = {
        "format": "mtrepair-corpus",
        "schema_version": 1,
        "generation": 3,
        "tables": tables,
        "retired": [],
        "dead_documents": 1,
        "written_by": "mtrepair 0.1.0",
        "updated": now.isoformat(),
    }
    (store / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    parts = {t: pl.concat([pl.read_parquet(store / n) for n in names]) for t, names in tables.items()}
    revs = parts["documents"].group_by("doc_hash").agg(pl.col("rev").max())["rev"]
    return {t: (df.filter(pl.col("rev").is_in(revs.implode())) if t != "reviews" else df) for t, df in parts.items()}


def test_a_schema1_store_migrates_on_first_open_losing_no_row(tmp_path: Path) -> None:
    store = tmp_path / "store"
    expected = write_schema1_store(store)
    assert expected["documents"].height == 5
    messages: list[str] = []
    from mtrepair.corpus.store import open_store

    corpus = open_store(store, notify=messages.append)
    assert any("migrating" in m for m in messages)
    assert not (store / "MANIFEST.json").exists() and (store / "_legacy-schema1" / "MANIFEST.json").exists()
    assert not list(store.glob("*.parquet"))
    for table, old in expected.items():
        new = corpus.scan(table).collect()
        if table == "edits":
            assert set(new["status"]) == {"applied"}
            new = new.drop("status")
        if table == "segments":
            from mtrepair.corpus.pairid import pair_id

            assert new["pair_id"].to_list() == [
                pair_id(o, r) for o, r in new.select("original", "repaired").iter_rows()
            ]
            new = new.drop("pair_id")
        key = ["seq"] if table == "reviews" else [c for c in ("rev", "seg", "start", "end") if c in old.columns]
        assert new.sort(key).equals(old.sort(key)), table
    assert corpus.translation_memory() == {CLAUSURA: CLAUSURA_EN}
    # The migrated store takes new writes and replaces a re-cleaned article as usual.
    summary = corpus.add_results([seed_result("001_5724677a762a89f5.txt")])
    assert (summary.documents, summary.replaced) == (1, 1)
    assert open_corpus(store).documents().collect().height == 5
    messages.clear()
    open_store(store, notify=messages.append)
    assert messages == []


def test_a_busy_store_is_waited_for_with_a_message_never_skipped(tmp_path: Path) -> None:
    """Issue 12: a store whose lock another process holds is waited for, saying so, then written."""
    import threading

    from filelock import FileLock

    from mtrepair.corpus.migrate import migrate

    store = tmp_path / "store"
    expected = write_schema1_store(store)
    messages: list[str] = []
    done: list[object] = []
    lock = FileLock(str(store / ".lock"))
    lock.acquire()  # another mtrepair process
    worker = threading.Thread(target=lambda: done.append(migrate(store, messages.append, lock_wait_s=0.05)))
    worker.start()
    deadline = time.monotonic() + 60
    while not any("waiting for another mtrepair process" in m for m in messages) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not done and (store / "MANIFEST.json").exists()  # still waiting, nothing skipped
    lock.release()
    worker.join(timeout=120)
    assert done and done[0] is not None
    assert open_corpus(store).documents().collect().height == expected["documents"].height


def test_a_broken_schema1_manifest_is_reported_with_its_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "MANIFEST.json").write_text(
        '{"format": "mtrepair-corpus",\n "schema_version": 1,\n oops', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"MANIFEST.json:3: the corpus manifest is not valid JSON"):
        open_corpus(store)


def test_revisions_keep_rising_when_the_clock_is_behind_the_store(tmp_path: Path) -> None:
    """A clock set back (NTP) must not make a re-clean's revision older than the one it replaces."""
    from mtrepair.corpus.store import REV_TOKEN_BITS, RevClock

    ahead = (RevClock().next() >> REV_TOKEN_BITS) + 3_600_000_000  # an hour ahead of this clock
    clock = RevClock(after=ahead << REV_TOKEN_BITS)
    first, second = clock.next(), clock.next()
    assert ahead < first >> REV_TOKEN_BITS < second >> REV_TOKEN_BITS
