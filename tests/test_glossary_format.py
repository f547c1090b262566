"""Glossary TSV: loading, validation with file and line, the project's seeded glossary."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mtrepair.errors import GlossaryError
from mtrepair.glossary import COLUMNS, load_glossary
from mtrepair.glossary.tsvfile import parse_tsv, read_bytes

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "glossary"
HEADER = "\t".join(COLUMNS)


def write_glossary(directory: Path, *rows: str, header: str = HEADER) -> Path:
    """A glossary directory whose TSV has ``header`` and ``rows`` (fields separated by |)."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = [header] + [row.replace("|", "\t") for row in rows]
    (directory / "glossary.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def load_error(directory: Path) -> GlossaryError:
    with pytest.raises(GlossaryError) as info:
        load_glossary(directory)
    return info.value


GOOD = [
    "imss-wellbeing|IMSS-Wellbeing|IMSS-Bienestar|variant|insensitive|approved|seed 001|ana|2024-05-01T10:00:00Z",
    "imss|IMSS||keep|sensitive|approved|acronym|ana|2024-05-01",
    "camas|camas|beds|term|insensitive|approved||ana|",
]


# -- the project's glossary ------------------------------------------------------------------------


def test_project_glossary_loads_and_every_entry_is_approved_with_a_reason() -> None:
    glossary = load_glossary(PROJECT, statuses=("proposed", "approved", "rejected"))
    assert len(glossary.entries) >= 80
    assert {e.status for e in glossary.entries} == {"approved"}
    for entry in glossary.entries:
        assert len(entry.note) >= 10, entry.id
    seeded = {(e.source, e.target, e.kind) for e in glossary.entries}
    # The IMSS-Wellbeing/-Wellness spellings are no rows of their own: the keep entry
    # IMSS-Bienestar and the family Bienestar generate them (issue 9, part 3).
    assert ("Bienestar", "Well-being|Wellness|Welfare", "family") in seeded
    forms = {surface: output for surface, output, _ in glossary.forms("imss-bienestar")}
    assert forms["IMSS-Wellbeing"] == forms["IMSS-Wellness"] == forms["IMSS Welfare"] == "IMSS-Bienestar"
    assert ("Mexican Institute of Social Security", "Mexican Social Security Institute", "variant") in seeded
    assert ("derechohabientes", "beneficiaries", "term") in seeded
    keep = set(glossary.keep_strings())
    assert {
        "IMSS",
        "IMSS-Bienestar",
        "UMAE",
        "UMF",
        "IPN",
        "UNAM",
        "Zoé Robledo",
        "Instituto Politécnico Nacional",
    } <= keep
    # Notes cite the seed article they come from.
    assert sum("seed 0" in e.note for e in glossary.entries) >= 60


def test_project_history_records_every_seeded_entry() -> None:
    import json

    records = [json.loads(line) for line in (PROJECT / "history.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = {e.id for e in load_glossary(PROJECT).entries}
    assert {r["id"] for r in records} >= ids
    assert all(r["author"] and r["time"] and r["reason"] for r in records)


def test_content_hash_is_the_sha256_of_the_file(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", *GOOD)
    glossary = load_glossary(directory)
    assert glossary.content_hash == hashlib.sha256((directory / "glossary.tsv").read_bytes()).hexdigest()
    assert [e.id for e in glossary.entries] == ["imss-wellbeing", "imss", "camas"]
    # A path to the TSV itself is accepted as well as its directory.
    assert load_glossary(directory / "glossary.tsv").content_hash == glossary.content_hash


def test_only_approved_entries_unless_asked(tmp_path: Path) -> None:
    directory = write_glossary(
        tmp_path / "g",
        *GOOD,
        "cama|cama|bed|term|insensitive|proposed|||",
        "clausura|clausura|shutdown|term|insensitive|rejected|||",
    )
    assert [e.id for e in load_glossary(directory).entries] == ["imss-wellbeing", "imss", "camas"]
    both = load_glossary(directory, statuses=("approved", "proposed"))
    assert [e.id for e in both.entries] == ["imss-wellbeing", "imss", "camas", "cama"]
    with pytest.raises(GlossaryError, match="unknown status 'aproved'"):
        load_glossary(directory, statuses=("aproved",))


def test_crlf_line_ends_a_bom_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    directory = tmp_path / "g"
    directory.mkdir()
    text = "\ufeff" + HEADER + "\r\n" + "\r\n".join(r.replace("|", "\t") for r in GOOD) + "\r\n\r\n"
    (directory / "glossary.tsv").write_bytes(text.encode("utf-8"))
    assert len(load_glossary(directory).entries) == 3


# -- malformed files ---------------------------------------------------------------------------------


def test_unknown_column_is_rejected_on_line_1(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", *GOOD, header=HEADER + "\tcomment")
    error = load_error(directory)
    assert error.line == 1
    assert "unknown column 'comment'" in str(error)
    assert str(error).startswith(f"{directory / 'glossary.tsv'}:1: ")


def test_missing_and_reordered_columns_are_rejected(tmp_path: Path) -> None:
    missing = write_glossary(tmp_path / "a", header="\t".join(c for c in COLUMNS if c != "case"))
    assert "missing column 'case'" in str(load_error(missing))
    swapped = list(COLUMNS)
    swapped[1], swapped[2] = swapped[2], swapped[1]
    reordered = write_glossary(tmp_path / "b", header="\t".join(swapped))
    assert "out of order" in str(load_error(reordered))


def test_a_row_with_the_wrong_number_of_fields_names_its_line(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", *GOOD, "broken|only three|fields")
    error = load_error(directory)
    assert error.line == 5
    assert "expected 9 tab-separated fields" in str(error) and "found 3" in str(error)


def test_spaces_instead_of_tabs_are_a_malformed_line(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", GOOD[0], "camas camas beds term insensitive approved")
    assert load_error(directory).line == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x|camas|beds|noun|insensitive|approved|||", "kind 'noun' is not one of term, variant, keep"),
        ("x|camas|beds|term|Insensitive|approved|||", "case 'Insensitive'"),
        ("x|camas|beds|term|insensitive|ok|||", "status 'ok'"),
        ("x|camas||term|insensitive|approved|||", "a term entry needs a target"),
        ("x|IMSS-Wellness||variant|sensitive|approved|||", "a variant entry needs a target"),
        ("x|IMSS|Imss|keep|sensitive|approved|||", "a keep entry leaves its text as it is"),
        ("x|camas|camas|term|sensitive|approved|||", "use kind 'keep'"),
        ("x||beds|term|sensitive|approved|||", "source is empty"),
        ("x| camas|beds|term|sensitive|approved|||", "leading or trailing spaces"),
        ("9lives|camas|beds|term|sensitive|approved|||", "must start with a letter"),
        ("x|camas|beds|term|sensitive|approved|||yesterday", "not an ISO 8601 date"),
        ("x|ca\u200bmas|beds|term|sensitive|approved|||", "invisible character"),
    ],
)
def test_bad_fields_are_rejected_with_the_line(tmp_path: Path, row: str, message: str) -> None:
    directory = write_glossary(tmp_path / "g", GOOD[0], row)
    error = load_error(directory)
    assert error.line == 3
    assert message in str(error)


def test_a_keep_entry_may_repeat_its_source_as_target(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", "unam|UNAM|UNAM|keep|sensitive|approved|||")
    assert load_glossary(directory).keep_strings() == ["UNAM"]


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", *GOOD, "camas|cama|bed|term|insensitive|proposed|||")
    error = load_error(directory)
    assert error.line == 5
    assert "duplicate id 'camas' (first used on line 4)" in str(error)


def test_conflicting_approved_entries_are_rejected(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", *GOOD, "camas-2|Camas|cots|term|sensitive|approved|||")
    error = load_error(directory)
    assert error.line == 5
    assert "conflicts with line 4 ('camas')" in str(error)


def test_the_same_rule_twice_is_a_duplicate(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", *GOOD, "camas-2|CAMAS|beds|term|insensitive|approved|||")
    assert "duplicate of line 4 ('camas')" in str(load_error(directory))


def test_a_proposed_alternative_is_not_a_conflict(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", *GOOD, "camas-2|camas|cots|term|insensitive|proposed|||")
    assert len(load_glossary(directory).entries) == 3


def test_case_sensitive_entries_differing_in_case_do_not_conflict(tmp_path: Path) -> None:
    # "La Raza" (the hospital, seed 003) and "la raza" (the race) are different strings.
    directory = write_glossary(
        tmp_path / "g",
        "la-raza|La Raza||keep|sensitive|approved|||",
        "raza|la raza|the race|term|sensitive|approved|||",
    )
    assert len(load_glossary(directory).entries) == 2


def test_a_variant_cycle_is_rejected(tmp_path: Path) -> None:
    directory = write_glossary(
        tmp_path / "g",
        "a|IMSS-Wellbeing|IMSS-Wellness|variant|sensitive|approved|||",
        "b|IMSS-Wellness|IMSS-Wellbeing|variant|sensitive|approved|||",
    )
    error = load_error(directory)
    assert "variant cycle IMSS-Wellbeing → IMSS-Wellness → IMSS-Wellbeing" in str(error)
    assert error.line == 2


def test_a_longer_cycle_is_rejected(tmp_path: Path) -> None:
    directory = write_glossary(
        tmp_path / "g",
        "a|alpha|beta|variant|insensitive|approved|||",
        "b|Beta|gamma|variant|insensitive|approved|||",
        "c|gamma|ALPHA|variant|sensitive|approved|||",
    )
    assert "variant cycle alpha → Beta → gamma → alpha (lines 2, 3, 4)" in str(load_error(directory))


def test_a_chain_of_variants_is_rejected(tmp_path: Path) -> None:
    directory = write_glossary(
        tmp_path / "g",
        "a|IMSS Wellbeing|IMSS-Wellbeing|variant|sensitive|approved|||",
        "b|IMSS-Wellbeing|IMSS-Bienestar|variant|sensitive|approved|||",
    )
    error = load_error(directory)
    assert error.line == 2
    assert "target 'IMSS-Wellbeing' is itself rewritten by line 3" in str(error)


def test_a_case_fix_variant_is_not_a_cycle(tmp_path: Path) -> None:
    directory = write_glossary(tmp_path / "g", "imss|Imss|IMSS|variant|insensitive|approved|||")
    assert len(load_glossary(directory).entries) == 1


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    directory = tmp_path / "g"
    directory.mkdir()
    good = (HEADER + "\n" + GOOD[0].replace("|", "\t") + "\n").encode("utf-8")
    (directory / "glossary.tsv").write_bytes(
        good + "x\tcamas\tbeds\tterm\tinsensitive\tapproved\tcaf\xe9\t\t\n".encode("latin-1")
    )
    error = load_error(directory)
    assert error.line == 3 and "not valid UTF-8" in str(error)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    directory = tmp_path / "g"
    directory.mkdir()
    (directory / "glossary.tsv").write_bytes(b"")
    assert "empty file" in str(load_error(directory))


def test_missing_directory_and_missing_file_are_clear_errors(tmp_path: Path) -> None:
    assert "glossary directory not found" in str(load_error(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    error = load_error(tmp_path / "empty")
    assert "glossary file not found" in str(error)
    assert error.path == str(tmp_path / "empty" / "glossary.tsv")


def test_one_error_message_counts_the_others(tmp_path: Path) -> None:
    directory = write_glossary(
        tmp_path / "g", "a|camas||term|insensitive|approved|||", "a|cama||term|insensitive|approved|||"
    )
    message = str(load_error(directory))
    assert "(and 2 more; run `mtrepair glossary validate`)" in message
    assert "\n" not in message


def test_a_field_over_the_limit_is_one_error_naming_the_line() -> None:
    """A term base field of 200 MB was imported whole (issue 12): refused with its line."""
    header = "\t".join(COLUMNS)
    row = "\t".join(["big", "x" * 1_000_001, "y", "term", "insensitive", "proposed", "", "ana", "2024-01-01T00:00:00Z"])
    with pytest.raises(GlossaryError, match=r"g\.tsv:2: a field of 1,000,001 characters is over the limit"):
        parse_tsv(f"{header}\n{row}\n".encode(), "g.tsv")


def test_a_glossary_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "glossary.tsv"
    with huge.open("wb") as f:
        f.truncate((256 << 20) + 1)  # sparse: nothing is written or read
    with pytest.raises(GlossaryError, match="over the limit of 268,435,456 for a glossary file"):
        read_bytes(huge)
