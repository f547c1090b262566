"""Reviewer operations: history, refusal without damage, two processes at once, a deleted file."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from mtrepair.errors import GlossaryError
from mtrepair.glossary import load_glossary
from mtrepair.glossary.journal import replay_problems
from mtrepair.glossary.review import (
    add_entry,
    current_entries,
    edit_entry,
    read_history,
    remove_entries,
    set_status,
)

ROOT = Path(__file__).resolve().parent.parent


def glossary_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The reviewer commands in a real process: `python -m mtrepair glossary …`."""
    return subprocess.run(
        [sys.executable, "-m", "mtrepair", "glossary", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
        check=False,
    )


@pytest.fixture
def gdir(tmp_path: Path) -> Path:
    directory = tmp_path / "glossary"
    add_entry(directory, source="IMSS", kind="keep", case="sensitive", status="approved", author="ana", reason="seed")
    add_entry(
        directory,
        source="IMSS-Wellbeing",
        target="IMSS-Bienestar",
        kind="variant",
        case="insensitive",
        author="ana",
        note="seed 001",
    )
    return directory


def snapshot(directory: Path) -> tuple[bytes, bytes]:
    return (directory / "glossary.tsv").read_bytes(), (directory / "history.jsonl").read_bytes()


def test_every_change_is_in_the_history_with_author_time_reason_before_after(gdir: Path) -> None:
    set_status(gdir, ["imss-wellbeing"], "approved", author="bea", reason="checked seed 001")
    edit_entry(gdir, "imss-wellbeing", {"note": "seed 001, three times"}, author="carl", reason="more detail")
    set_status(gdir, ["imss-wellbeing"], "rejected", author="dan", reason="test")
    remove_entries(gdir, ["imss-wellbeing"], author="eve", reason="gone")
    history = read_history(gdir)
    assert [(h["action"], h["author"], h["reason"]) for h in history] == [
        ("add", "ana", "seed"),
        ("add", "ana", ""),
        ("approve", "bea", "checked seed 001"),
        ("edit", "carl", "more detail"),
        ("reject", "dan", "test"),
        ("rm", "eve", "gone"),
    ]
    assert all(h["time"].endswith("Z") for h in history)
    approve, edit, rm = history[2], history[3], history[5]
    assert approve["before"]["status"] == "proposed" and approve["after"]["status"] == "approved"
    assert edit["before"]["note"] == "seed 001" and edit["after"]["note"] == "seed 001, three times"
    # A removed entry is gone from the TSV but nothing is lost: its content is in the history.
    assert rm["after"] is None and rm["before"]["source"] == "IMSS-Wellbeing"
    assert [e.id for e in current_entries(gdir)] == ["imss"]
    assert [h["id"] for h in read_history(gdir, "imss")] == ["imss"]


def test_the_entry_records_its_latest_change(gdir: Path) -> None:
    set_status(gdir, ["imss-wellbeing"], "approved", author="bea")
    entry = next(e for e in current_entries(gdir) if e.id == "imss-wellbeing")
    assert entry.author == "bea" and entry.status == "approved" and entry.updated.endswith("Z")
    assert load_glossary(gdir).lookup_term("IMSS") == "IMSS"


def test_a_refused_change_leaves_both_files_untouched(gdir: Path) -> None:
    before = snapshot(gdir)
    with pytest.raises(GlossaryError, match="id 'imss' is already used"):
        add_entry(gdir, source="IMSS ", kind="keep", entry_id="imss", author="x")
    with pytest.raises(GlossaryError, match="already in the glossary as 'imss'"):
        add_entry(gdir, source="IMSS", kind="keep", case="sensitive", author="x")
    with pytest.raises(GlossaryError, match="needs a target"):
        add_entry(gdir, source="camas", kind="term", author="x")
    with pytest.raises(GlossaryError, match="kind 'noun'"):
        add_entry(gdir, source="camas", target="beds", kind="noun", author="x")
    with pytest.raises(GlossaryError, match="no entry with id 'nope'"):
        set_status(gdir, ["imss-wellbeing", "nope"], "approved", author="x")
    with pytest.raises(GlossaryError, match="cannot edit 'status'"):
        edit_entry(gdir, "imss", {"status": "rejected"}, author="x")
    with pytest.raises(GlossaryError, match=r"tab or line break|control or invisible"):
        edit_entry(gdir, "imss-wellbeing", {"note": "two\nlines"}, author="x")
    assert snapshot(gdir) == before


class _Stale(Exception):
    """What a caller's ``expect`` raises when the entry is not the version it saw."""


def _refuse_all(entry: object) -> None:
    raise _Stale(str(entry))


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda d, i: edit_entry(d, i, {"target": "x"}, author="eva", expect=_refuse_all), id="edit"),
        pytest.param(lambda d, i: set_status(d, [i], "rejected", author="eva", expect=_refuse_all), id="status"),
        pytest.param(lambda d, i: remove_entries(d, [i], author="eva", expect=_refuse_all), id="remove"),
    ],
)
def test_a_refused_expectation_writes_nothing(gdir: Path, write: Callable[[Path, str], object]) -> None:
    """The web app's version check runs under the file lock; refusing leaves both files as they were."""
    entry_id = current_entries(gdir)[0].id
    before = snapshot(gdir)
    with pytest.raises(_Stale):
        write(gdir, entry_id)
    assert snapshot(gdir) == before


def test_an_edit_and_its_status_are_one_commit(gdir: Path) -> None:
    approved = next(e for e in current_entries(gdir) if e.status == "approved")
    seen: list[str] = []
    before, after = edit_entry(
        gdir, approved.id, {"note": "checked"}, author="eva", reason="style guide", status="proposed",
        expect=lambda e: seen.append(e.status),
    )
    assert seen == ["approved"] and (before.status, after.status, after.note) == ("approved", "proposed", "checked")
    lines = [json.loads(x) for x in (gdir / "history.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["action"] for x in lines[-2:]] == ["edit", "propose"]
    assert lines[-1]["txn"] == lines[-2]["txn"]
    assert replay_problems(gdir) == []


def test_approving_a_conflicting_proposal_is_refused(gdir: Path) -> None:
    set_status(gdir, ["imss-wellbeing"], "approved", author="ana")
    add_entry(
        gdir,
        source="IMSS-Wellbeing",
        target="IMSS-Welfare",
        kind="variant",
        case="sensitive",
        entry_id="alt",
        author="bob",
        reason="another idea",
    )
    before = snapshot(gdir)
    with pytest.raises(GlossaryError, match="change refused, the glossary would be invalid: conflicts with line"):
        set_status(gdir, ["alt"], "approved", author="bob")
    assert snapshot(gdir) == before
    # Rejecting the old one first makes room: the workflow a reviewer follows.
    set_status(gdir, ["imss-wellbeing"], "rejected", author="bob", reason="superseded")
    set_status(gdir, ["alt"], "approved", author="bob")
    assert [e.id for e in load_glossary(gdir).entries if e.kind == "variant"] == ["alt"]


def test_a_hand_broken_glossary_can_still_be_repaired(gdir: Path) -> None:
    # Someone hand-edits a conflicting approved row in; a reject that removes the
    # conflict is accepted, an unrelated change is not.
    tsv = gdir / "glossary.tsv"
    tsv.write_text(tsv.read_text(encoding="utf-8") + "dup\tIMSS\t\tkeep\tsensitive\tapproved\t\t\t\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="would be invalid"):
        add_entry(gdir, source="UMF", kind="keep", author="x")
    set_status(gdir, ["dup"], "rejected", author="x", reason="duplicate")
    assert len(load_glossary(gdir).entries) == 1


def test_changing_a_glossary_whose_file_was_deleted_is_refused(gdir: Path) -> None:
    history = (gdir / "history.jsonl").read_bytes()
    (gdir / "glossary.tsv").unlink()
    with pytest.raises(GlossaryError, match="the glossary was deleted; restore it"):
        add_entry(gdir, source="UMF", kind="keep", author="x")
    assert not (gdir / "glossary.tsv").exists()
    assert (gdir / "history.jsonl").read_bytes() == history
    with pytest.raises(GlossaryError, match="glossary file not found"):
        load_glossary(gdir)


def test_a_glossary_file_deleted_while_a_change_waits_for_the_lock(gdir: Path) -> None:
    """The change re-reads the file under the lock, finds it gone and stops cleanly."""
    history = (gdir / "history.jsonl").read_bytes()
    lock = FileLock(str(gdir / ".glossary.lock"))
    with lock:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mtrepair", "glossary", "add", "UMF", "--kind", "keep", "-g", str(gdir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        (gdir / "glossary.tsv").unlink()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert err.count("\n") == 1 and "the glossary was deleted; restore it" in err and "Traceback" not in err
    assert not (gdir / "glossary.tsv").exists()
    assert (gdir / "history.jsonl").read_bytes() == history


WORKER = textwrap.dedent(
    """
    import os, sys, time
    from mtrepair.glossary.review import add_entry
    directory, tag, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    while not os.path.exists(go):
        time.sleep(0.001)
    for i in range(count):
        add_entry(directory, source=f"{tag} palabra {i}", target=f"{tag} word {i}", kind="term",
                  entry_id=f"{tag}-{i}", author=tag, reason="race")
    """
)


def test_two_processes_editing_at_once_lose_no_edit(gdir: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    count = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(gdir), tag, str(count), str(go)], stderr=subprocess.PIPE)
        for tag in ("ana", "bob")
    ]
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    entries = current_entries(gdir)
    ids = {e.id for e in entries}
    assert {f"{tag}-{i}" for tag in ("ana", "bob") for i in range(count)} <= ids
    assert len(entries) == 2 + 2 * count
    history = read_history(gdir)
    assert len(history) == 2 + 2 * count
    assert sum(h["author"] == "ana" for h in history) == count + 2
    load_glossary(gdir, statuses=("proposed", "approved"))  # still valid


def test_two_reviewer_commands_at_once(gdir: Path) -> None:
    add_entry(gdir, source="camas", target="beds", author="ana")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "mtrepair", "glossary", "approve", entry_id, "-g", str(gdir), "--author", who],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for entry_id, who in (("camas", "bea"), ("imss-wellbeing", "carl"))
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    assert {e.id: e.status for e in current_entries(gdir)} == {
        "imss": "approved",
        "imss-wellbeing": "approved",
        "camas": "approved",
    }
    assert {(h["id"], h["author"]) for h in read_history(gdir) if h["action"] == "approve"} == {
        ("camas", "bea"),
        ("imss-wellbeing", "carl"),
    }


# -- the commands ------------------------------------------------------------------------------------


def test_cli_round_of_review(tmp_path: Path) -> None:
    g = str(tmp_path / "g")
    added = glossary_cli("add", "derechohabientes", "beneficiaries", "--note", "seed 003", "-g", g, "--reason", "r1")
    assert added.returncode == 0, added.stderr
    assert "derechohabientes" in added.stdout and "proposed" in added.stdout
    assert glossary_cli("approve", "derechohabientes", "-g", g, "--author", "rev").returncode == 0
    listed = glossary_cli("list", "-g", g, "--status", "approved")
    assert listed.stdout.split() == ["derechohabientes", "term", "approved", "derechohabientes", "→", "beneficiaries"]
    assert "derechohabientes" in glossary_cli("search", "BENEFIC", "-g", g).stdout
    shown = glossary_cli("show", "derechohabientes", "-g", g).stdout
    assert "note     seed 003" in shown and "rev approve derechohabientes" in shown
    # Without --author the login name is recorded.
    edited = glossary_cli("edit", "derechohabientes", "--target", "insured", "-g", g)
    assert edited.returncode == 0, edited.stderr
    last = json.loads(glossary_cli("history", "-g", g, "--jsonl", "--limit", "1").stdout)
    assert last["author"] == getpass.getuser() and last["after"]["target"] == "insured"
    assert glossary_cli("validate", "-g", g).stdout.startswith("ok: 1 entries (1 approved")
    assert glossary_cli("rm", "derechohabientes", "-g", g, "--reason", "r2").returncode == 0
    assert glossary_cli("list", "-g", g).stdout == ""


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    missing = glossary_cli("approve", "x", "-g", str(tmp_path / "none"))
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "glossary directory not found" in missing.stderr
    directory = tmp_path / "bad"
    directory.mkdir()
    (directory / "glossary.tsv").write_text("id\tsource\n", encoding="utf-8")
    bad = glossary_cli("validate", "-g", str(directory))
    assert bad.returncode == 1 and "glossary.tsv:1: missing column 'target'" in bad.stderr


def test_validate_lists_every_problem(tmp_path: Path) -> None:
    directory = tmp_path / "g"
    directory.mkdir()
    header = "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated"
    rows = ["a\tcamas\t\tterm\tinsensitive\tapproved\t\t\t", "a\tcama\tbed\tterm\tinsensitive\tapproved\t\t\t"]
    (directory / "glossary.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = glossary_cli("validate", "-g", str(directory))
    assert result.returncode == 1
    assert ":2: a term entry needs a target" in result.stderr
    assert ":3: duplicate id 'a' (first used on line 2)" in result.stderr


def test_a_torn_last_history_line_is_moved_aside_with_one_warning(
    gdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A writer killed mid-append leaves a torn last line: ``history`` repairs it and works."""
    history = gdir / "history.jsonl"
    whole = history.read_bytes()
    with open(history, "ab") as fh:
        fh.write(b'{"time": "2024-01-01T00:00:00Z", "trunc')
    assert [h["id"] for h in read_history(gdir)] == ["imss", "imss-wellbeing"]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a torn last line" in err and "history.uncommitted.jsonl" in err
    assert history.read_bytes() == whole
    saved = [json.loads(ln) for ln in (gdir / "history.uncommitted.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(s["why"], s["line"], s["text"]) for s in saved] == [("torn", 3, '{"time": "2024-01-01T00:00:00Z", "trunc')]
    # Repaired once: the next read says nothing, the next change appends after the whole lines.
    read_history(gdir)
    assert capsys.readouterr().err == ""
    add_entry(gdir, source="UMF", kind="keep", author="x")
    assert [h["id"] for h in read_history(gdir)] == ["imss", "imss-wellbeing", "umf"]


def test_a_hand_broken_line_inside_the_history_is_skipped_with_its_line(
    gdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = gdir / "history.jsonl"
    lines = history.read_text(encoding="utf-8").splitlines(keepends=True)
    history.write_text(lines[0] + "not json\n" + lines[1], encoding="utf-8")
    assert [h["id"] for h in read_history(gdir)] == ["imss", "imss-wellbeing"]
    assert "history.jsonl:2: not a JSON object, skipped" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    ["list", "show", "search", "add", "edit", "approve", "reject", "rm", "validate", "history", "import", "export"],
)
def test_every_command_has_help_with_an_example(command: str) -> None:
    from typer.testing import CliRunner

    from mtrepair.cli.glossary import app

    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: mtrepair glossary " + command.split()[0] in " ".join(result.output.split())
    assert "--glossary" in result.output


def test_the_command_group_help_has_an_example() -> None:
    result = glossary_cli("--help")
    assert result.returncode == 0 and "Example: mtrepair glossary add" in " ".join(result.stdout.split())


def test_mutating_commands_take_reviewer_and_reason() -> None:
    from typer.testing import CliRunner

    from mtrepair.cli.glossary import app

    # --reviewer is the one spelling across commands (issue 11); --author stays a hidden alias.
    for command in ("add", "edit", "approve", "reject", "rm", "import"):
        output = CliRunner().invoke(app, [command, "--help"]).output
        assert "--reviewer" in output and "--reason" in output, command


def test_the_lock_file_is_the_only_extra_file_and_modes_are_kept(gdir: Path) -> None:
    assert sorted(p.name for p in gdir.iterdir() if p.name != ".glossary.lock") == ["glossary.tsv", "history.jsonl"]
    assert os.stat(gdir / "glossary.tsv").st_mode & 0o777 == 0o644
    os.chmod(gdir / "glossary.tsv", 0o664)  # a group-writable glossary stays group-writable
    set_status(gdir, ["imss-wellbeing"], "approved", author="x")
    assert os.stat(gdir / "glossary.tsv").st_mode & 0o777 == 0o664
    assert not any(p.name.endswith(".tmp") for p in gdir.iterdir())


# -- the commit protocol's records --------------------------------------------------------------------


def test_each_commit_records_the_tsv_it_started_from_and_the_one_it_made(gdir: Path) -> None:
    import hashlib

    set_status(gdir, ["imss", "imss-wellbeing"], "rejected", author="x")  # one commit, two records
    records = read_history(gdir)
    assert records[0]["prev"] == "" and records[1]["prev"] == records[0]["tsv"]
    assert records[2]["txn"] == records[3]["txn"] != records[1]["txn"]
    assert records[2]["prev"] == records[1]["tsv"]
    assert records[3]["tsv"] == hashlib.sha256((gdir / "glossary.tsv").read_bytes()).hexdigest()


def test_a_history_written_before_the_hashes_reads_and_takes_new_commits(
    gdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = gdir / "history.jsonl"
    old = [
        {k: v for k, v in json.loads(line).items() if k not in ("txn", "prev", "tsv")}
        for line in history.read_text(encoding="utf-8").splitlines()
    ]
    history.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in old), encoding="utf-8")
    assert [h["id"] for h in read_history(gdir)] == ["imss", "imss-wellbeing"]
    add_entry(gdir, source="UMF", kind="keep", author="x")
    assert [h["id"] for h in read_history(gdir)] == ["imss", "imss-wellbeing", "umf"]
    assert capsys.readouterr().err == "" and not (gdir / "history.uncommitted.jsonl").exists()


def test_a_tsv_changed_by_hand_keeps_its_history(gdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only a TSV that is exactly the one the last commit started from means that commit never
    happened; a hand edit since (a reviewer's text editor, a git merge) leaves the history alone."""
    tsv = gdir / "glossary.tsv"
    tsv.write_text(tsv.read_text(encoding="utf-8").replace("seed 001", "seed 001, by hand"), encoding="utf-8")
    history = (gdir / "history.jsonl").read_bytes()
    assert len(read_history(gdir)) == 2
    add_entry(gdir, source="UMF", kind="keep", author="x")
    assert (gdir / "history.jsonl").read_bytes().startswith(history)
    assert capsys.readouterr().err == ""


def test_an_import_of_many_entries_is_one_commit_and_gives_fresh_ids_once(gdir: Path) -> None:
    from mtrepair.glossary.entry import Entry
    from mtrepair.glossary.review import import_entries

    drafts = [
        Entry(id="imss", source=f"unidad {i}", target=f"unit {i}", kind="term", case="insensitive") for i in range(300)
    ]
    drafts.append(Entry(id="", source="IMSS", target="", kind="keep", case="sensitive"))  # the rule is there
    drafts.append(Entry(id="", source="Unidad 7", target="unit 7", kind="term", case="insensitive"))  # same rule
    summary = import_entries(gdir, drafts, author="imp")
    assert (summary.added, summary.unchanged) == (300, 2)
    ids = [e.id for e in current_entries(gdir)]
    assert len(ids) == len(set(ids)) == 302
    assert ids[2:5] == ["unidad-0", "unidad-1", "unidad-2"]
    assert len({h["txn"] for h in read_history(gdir) if h["action"] == "import"}) == 1


def test_history_and_show_work_through_the_cli_after_a_torn_last_line(gdir: Path) -> None:
    """Issue 12: a torn last history line blocked `history` and `show` until fixed by hand."""
    with open(gdir / "history.jsonl", "ab") as fh:
        fh.write(b'{"time": "2024-01-01T00:00:00Z", "action": "add", "id": "umf", "af')
    shown = glossary_cli("show", "imss-wellbeing", "-g", str(gdir))
    assert shown.returncode == 0, shown.stderr
    assert "add imss-wellbeing" in shown.stdout
    assert shown.stderr.count("\n") == 1 and "a torn last line" in shown.stderr
    listed = glossary_cli("history", "-g", str(gdir))
    assert listed.returncode == 0 and listed.stderr == ""
    assert [line.split()[3] for line in listed.stdout.splitlines()] == ["imss:", "imss-wellbeing:"]


def test_a_symlinked_tsv_stays_a_link_and_its_target_is_changed(gdir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "kept" / "terms.tsv"
    elsewhere.parent.mkdir()
    (gdir / "glossary.tsv").rename(elsewhere)
    (gdir / "glossary.tsv").symlink_to(elsewhere)
    add_entry(gdir, source="UMF", kind="keep", author="x")
    assert (gdir / "glossary.tsv").is_symlink()
    assert "umf" in elsewhere.read_text(encoding="utf-8")
    assert not list(elsewhere.parent.glob(".*.tmp")) and read_history(gdir)[-1]["id"] == "umf"


def test_many_ids_are_approved_and_removed_in_one_commit(gdir: Path) -> None:
    from mtrepair.glossary.entry import Entry
    from mtrepair.glossary.review import import_entries

    drafts = [
        Entry(id=f"u{i}", source=f"unidad {i}", target=f"unit {i}", kind="term", case="insensitive")
        for i in range(3000)
    ]
    import_entries(gdir, drafts, author="imp")
    ids = [f"u{i}" for i in range(3000)]
    assert len(set_status(gdir, [*ids, "u7"], "approved", author="bea")) == 3000
    with pytest.raises(GlossaryError, match="no entry with id 'nope'"):
        remove_entries(gdir, [*ids[:10], "nope"], author="x")
    assert len(remove_entries(gdir, ids[::2], author="eve")) == 1500
    left = [e.id for e in current_entries(gdir)]
    assert left == ["imss", "imss-wellbeing", *ids[1::2]]
    assert replay_problems(gdir) == []
