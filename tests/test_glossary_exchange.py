"""Import and export: TBX-Basic v3 and v2 (martif), CSV, OmegaT; hostile XML is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mtrepair.errors import GlossaryError
from mtrepair.glossary import load_glossary
from mtrepair.glossary.formats import read_entries, write_entries
from mtrepair.glossary.review import add_entry, current_entries, import_entries, read_history, set_status
from mtrepair.glossary.tabular import read_csv, read_omegat, write_omegat
from mtrepair.glossary.tbx import read_tbx, write_tbx

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "glossary"
TBX3 = "{urn:iso:std:iso:30042:ed-2}"


def glossary_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mtrepair", "glossary", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A glossary with every kind and every status."""
    directory = tmp_path / "mixed"
    add_entry(
        directory,
        source="IMSS-Wellness",
        target="IMSS-Bienestar",
        kind="variant",
        case="insensitive",
        status="approved",
        note="seed 004 & <b>",
        author="ana",
    )
    add_entry(directory, source="derechohabientes", target="beneficiaries", status="approved", author="ana")
    add_entry(directory, source="camas", target="beds", status="proposed", author="bob")
    add_entry(directory, source="clausura", target="shutdown", status="rejected", author="bob", note="wrong sense")
    add_entry(directory, source="Zoé Robledo", kind="keep", case="sensitive", status="approved", author="ana")
    add_entry(
        directory, source="Vieja Variante", target="IMSS-Bienestar", kind="variant", status="rejected", author="bob"
    )
    return directory


def comparable(directory: Path) -> list[tuple[str, ...]]:
    return [(e.id, e.source, e.target, e.kind, e.case, e.status, e.note, e.author, e.updated[:10])
            for e in current_entries(directory)]  # fmt: skip


# -- TBX -------------------------------------------------------------------------------------------------


def test_tbx_export_is_tbx_basic_v3_with_status_as_administrative_status(mixed: Path) -> None:
    from lxml import etree

    data, _ = write_entries(current_entries(mixed), "tbx")
    root = etree.fromstring(data)
    assert root.tag == f"{TBX3}tbx"
    assert (root.get("type"), root.get("style"), root.get("{http://www.w3.org/XML/1998/namespace}lang")) == (
        "TBX-Basic", "dca", "en",
    )  # fmt: skip
    concepts = root.findall(f".//{TBX3}conceptEntry")
    assert [c.get("id") for c in concepts] == [e.id for e in current_entries(mixed)]
    status = {
        c.get("id"): c.find(f"{TBX3}langSec[@{{http://www.w3.org/XML/1998/namespace}}lang='en']/{TBX3}termSec/"
                            f"{TBX3}termNote[@type='administrativeStatus']").text
        for c in concepts
    }  # fmt: skip
    assert status == {
        "imss-wellness": "preferredTerm-admn-sts",
        "derechohabientes": "preferredTerm-admn-sts",
        "camas": "admittedTerm-admn-sts",
        "clausura": "deprecatedTerm-admn-sts",
        "zoe-robledo": "preferredTerm-admn-sts",
        "vieja-variante": "deprecatedTerm-admn-sts",
    }
    variant = concepts[0].findall(f"{TBX3}langSec/{TBX3}termSec")
    assert [t.findtext(f"{TBX3}term") for t in variant] == ["IMSS-Bienestar", "IMSS-Wellness"]
    assert variant[1].find(f"{TBX3}termNote[@type='termType']").text == "variant"
    assert concepts[0].findtext(f"{TBX3}note") == "seed 004 & <b>"
    assert concepts[0].findtext(f"{TBX3}transacGrp/{TBX3}transacNote") == "ana"


def test_tbx_round_trip_keeps_every_field(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tbx"
    exported = glossary_cli("export", str(out), "-g", str(mixed))
    assert exported.returncode == 0, exported.stderr
    imported = glossary_cli("import", str(out), "-g", str(tmp_path / "copy"), "--author", "importer")
    assert imported.returncode == 0, imported.stderr
    assert "imported 6 entries" in imported.stdout
    assert comparable(tmp_path / "copy") == comparable(mixed)
    assert {h["author"] for h in read_history(tmp_path / "copy")} == {"importer"}
    again = glossary_cli("import", str(out), "-g", str(tmp_path / "copy"))
    assert "imported 0 entries" in again.stdout and "6 already there" in again.stdout


def test_the_project_glossary_survives_a_tbx_round_trip(tmp_path: Path) -> None:
    drafts = read_tbx(write_tbx(current_entries(PROJECT)), "g.tbx")
    import_entries(tmp_path / "copy", drafts, author="x")
    assert comparable(tmp_path / "copy") == comparable(PROJECT)
    assert load_glossary(tmp_path / "copy").keep_strings() == load_glossary(PROJECT).keep_strings()


MARTIF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>IMSS style sheet</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="t1">
      <note>IMSS usage</note>
      <langSet xml:lang="es-MX">
        <tig><term>derechohabientes</term><termNote type="partOfSpeech">noun</termNote></tig>
      </langSet>
      <langSet xml:lang="en-US">
        <tig><term>beneficiaries</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>rightholders</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
        <tig><term>insured</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="t2">
      <langSet xml:lang="es"><ntig><termGrp><term>UMAE</term></termGrp></ntig></langSet>
      <langSet xml:lang="en"><ntig><termGrp><term>UMAE</term></termGrp></ntig></langSet>
    </termEntry>
    <termEntry id="t3">
      <langSet xml:lang="fr"><tig><term>lits</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_tbx_v2_martif_is_read() -> None:
    entries = read_tbx(MARTIF.encode("utf-8"), "style.tbx", default_status="proposed")
    got = [(e.id, e.source, e.target, e.kind, e.case, e.status, e.note) for e in entries]
    assert got == [
        ("t1", "derechohabientes", "beneficiaries", "term", "insensitive", "approved", "IMSS usage"),
        ("t1-2", "rightholders", "beneficiaries", "variant", "sensitive", "approved", "IMSS usage"),
        ("t2", "UMAE", "", "keep", "sensitive", "proposed", ""),
    ]


def test_unusable_concept_ids_are_replaced_on_import(tmp_path: Path) -> None:
    data = MARTIF.replace('id="t1"', 'id="42 a"').replace('id="t2"', 'id="t3"').encode()
    import_entries(tmp_path / "g", read_tbx(data, "x.tbx"), author="x")
    assert [e.id for e in current_entries(tmp_path / "g")] == ["derechohabientes", "rightholders", "t3"]


def test_a_tbx_written_by_translate_toolkit_is_read(tmp_path: Path) -> None:
    from translate.storage import tbx as tt_tbx

    store = tt_tbx.tbxfile(sourcelanguage="es", targetlanguage="en")
    for source, target in (("derechohabientes", "beneficiaries"), ("camas", "beds"), ("IMSS", "IMSS")):
        store.addsourceunit(source).target = target
    path = tmp_path / "toolkit.tbx"
    path.write_bytes(bytes(store))
    result = glossary_cli("import", str(path), "-g", str(tmp_path / "g"))
    assert result.returncode == 0, result.stderr
    entries = current_entries(tmp_path / "g")
    assert [(e.source, e.target, e.kind, e.status) for e in entries] == [
        ("derechohabientes", "beneficiaries", "term", "proposed"),
        ("camas", "beds", "term", "proposed"),
        ("IMSS", "", "keep", "proposed"),
    ]


XXE = """<?xml version="1.0"?>
<!DOCTYPE tbx [ <!ENTITY secret SYSTEM "file://{path}"> ]>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed:3.0">
  <tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
  <text><body><conceptEntry id="c1">
    <langSec xml:lang="es"><termSec><term>&secret;</term></termSec></langSec>
    <langSec xml:lang="en"><termSec><term>leak</term></termSec></langSec>
  </conceptEntry></body></text>
</tbx>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
 <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<martif type="TBX"><text><body><termEntry><langSet xml:lang="en"><tig><term>&c;</term></tig></langSet>
</termEntry></body></text></martif>
"""


def test_an_external_entity_is_refused_and_nothing_is_imported(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    hostile = tmp_path / "hostile.tbx"
    hostile.write_text(XXE.format(path=secret), encoding="utf-8")
    directory = tmp_path / "g"
    add_entry(directory, source="IMSS", kind="keep", author="x")
    before = (directory / "glossary.tsv").read_bytes()
    result = glossary_cli("import", str(hostile), "-g", str(directory))
    assert result.returncode == 1
    assert "refused: the file declares XML entities" in result.stderr and result.stderr.count("\n") == 1
    assert (directory / "glossary.tsv").read_bytes() == before
    assert "TOPSECRET" not in (directory / "glossary.tsv").read_text(encoding="utf-8")
    assert "TOPSECRET" not in (directory / "history.jsonl").read_text(encoding="utf-8")


def test_entity_expansion_is_refused() -> None:
    with pytest.raises(GlossaryError, match="refused: the file declares XML entities"):
        read_tbx(LAUGHS.encode(), "laughs.tbx")


def test_malformed_and_foreign_xml_are_clear_errors() -> None:
    with pytest.raises(GlossaryError) as info:
        read_tbx(b"<tbx>\n<text>\n</tbx>", "broken.tbx")
    assert info.value.line == 3 and "not well-formed XML" in str(info.value)
    with pytest.raises(GlossaryError, match="not a TBX file: the root element is <html>"):
        read_tbx(b"<html><body/></html>", "page.tbx")


def test_an_import_that_conflicts_with_approved_entries_is_refused_whole(tmp_path: Path) -> None:
    directory = tmp_path / "g"
    add_entry(directory, source="derechohabientes", target="beneficiaries", status="approved", author="x")
    path = tmp_path / "style.tbx"
    path.write_text(MARTIF.replace("beneficiaries", "insured persons"), encoding="utf-8")
    before = (directory / "glossary.tsv").read_bytes(), (directory / "history.jsonl").read_bytes()
    refused = glossary_cli("import", str(path), "-g", str(directory))
    assert refused.returncode == 1 and "conflicts with line 2" in refused.stderr
    assert ((directory / "glossary.tsv").read_bytes(), (directory / "history.jsonl").read_bytes()) == before
    # As proposals it goes in, for a reviewer to decide.
    proposed = glossary_cli("import", str(path), "-g", str(directory), "--propose")
    assert proposed.returncode == 0, proposed.stderr
    assert [e.status for e in current_entries(directory)] == ["approved", "proposed", "proposed", "proposed"]


# -- CSV and OmegaT ------------------------------------------------------------------------------------


def test_csv_round_trip(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    assert glossary_cli("export", str(out), "-g", str(mixed)).returncode == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "id,source,target,kind,case,status,note,author,updated"
    assert glossary_cli("import", str(out), "-g", str(tmp_path / "copy")).returncode == 0
    assert comparable(tmp_path / "copy") == comparable(mixed)


def test_a_minimal_csv_imports_as_proposed_terms() -> None:
    data = 'source,target\nquirófanos,operating rooms\n"Palacio Nacional","National Palace"\n'.encode()
    entries = read_csv(data, "t.csv")
    assert [(e.source, e.target, e.kind, e.case, e.status) for e in entries] == [
        ("quirófanos", "operating rooms", "term", "insensitive", "proposed"),
        ("Palacio Nacional", "National Palace", "term", "insensitive", "proposed"),
    ]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        ("source,meaning\nx,y\n", 1, "unknown column 'meaning'"),
        ("target\ny\n", 1, "no 'source' column"),
        ("source,target,kind\ncamas,beds,noun\n", 2, "kind 'noun'"),
        ("source,target\ncamas,beds\ncamas\n", 3, "expected 2 fields, found 1"),
        ("source,target\n,beds\n", 2, "empty source"),
    ],
)
def test_bad_csv_names_the_line(data: str, line: int, message: str) -> None:
    with pytest.raises(GlossaryError) as info:
        read_csv(data.encode(), "t.csv")
    assert info.value.line == line and message in str(info.value)


def test_omegat_export_holds_terms_and_keeps_and_says_what_it_left_out(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "glossary.txt"
    result = glossary_cli("export", str(out), "-g", str(mixed))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    # Approved only by default: OmegaT has no status, and rejected terms must not be suggested.
    assert lines[1:] == ["derechohabientes\tbeneficiaries\t", "Zoé Robledo\tZoé Robledo\tkeep as is."]
    assert "left out 1 variant entries" in result.stderr
    _, skipped = write_omegat(current_entries(mixed))
    assert skipped == 2


def test_omegat_import() -> None:
    data = b"# comment\nderechohabientes\tbeneficiaries\tIMSS usage\n\nIMSS\tIMSS\n"
    entries = read_omegat(data, "g.txt", default_status="approved")
    assert [(e.source, e.target, e.kind, e.case, e.status, e.note) for e in entries] == [
        ("derechohabientes", "beneficiaries", "term", "insensitive", "approved", "IMSS usage"),
        ("IMSS", "", "keep", "sensitive", "approved", ""),
    ]
    with pytest.raises(GlossaryError) as info:
        read_omegat(b"ok\tfine\nonly-one-column\n", "g.txt")
    assert info.value.line == 2


def test_format_is_chosen_by_extension_or_flag(mixed: Path, tmp_path: Path) -> None:
    unknown = glossary_cli("export", str(tmp_path / "g.docx"), "-g", str(mixed))
    assert unknown.returncode == 1 and "pass --format" in unknown.stderr
    stdout = glossary_cli("export", "-", "--format", "tsv", "-g", str(mixed), "--status", "approved")
    assert stdout.returncode == 0
    rows = stdout.stdout.splitlines()
    assert len(rows) == 4 and all(row.split("\t")[5] == "approved" for row in rows[1:])
    assert read_entries(stdout.stdout.encode(), "-", "tsv")[0].id == "imss-wellness"


def test_an_export_never_half_writes(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tbx"
    out.write_text("previous export", encoding="utf-8")
    result = glossary_cli("export", str(tmp_path / "missing" / "g.tbx"), "-g", str(mixed))
    assert result.returncode == 1 and "output directory does not exist" in result.stderr
    set_status(mixed, ["camas"], "approved", author="x")
    assert glossary_cli("export", str(out), "-g", str(mixed)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(
    ("fmt", "data", "message"),
    [
        pytest.param("omegat", "camas\t" + "x" * 1_000_001 + "\n", "a field is longer than 1,000,000", id="omegat"),
        pytest.param("csv", "source,target\ncamas," + "x" * 1_000_001 + "\n", "malformed CSV: field larger", id="csv"),
    ],
)
def test_a_huge_field_is_refused_with_its_line(fmt: str, data: str, message: str) -> None:
    """Issue 12: a 200 MB term-base field was imported whole."""
    with pytest.raises(GlossaryError, match=message) as info:
        read_entries(data.encode(), f"big.{fmt}", fmt)
    assert info.value.line == (1 if fmt == "omegat" else 2)
