"""TBX that other tools accept (issue 11 part 2) and one hardened XML parser for every import
(issue 11 part 7, issue 12 part 4).

- the v3 export validates against TBX-Basic's official RELAX NG schema and its Schematron
  dialect rules (../shared/data/schemas/tbx);
- the v2 (martif) export is read by translate-toolkit's ``tbx`` storage, every approved
  term pair coming back;
- a term base in other languages is refused in one line through the real CLI;
- XXE, billion laughs, parameter entities, external DTDs, oversized fields and documents
  are refused (or inert) by the TBX importer and by the TMX/XLIFF readers alike.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mtrepair.corpus.export.xmlread import iterparse_safely
from mtrepair.errors import CorpusError, GlossaryError
from mtrepair.glossary.entry import Entry
from mtrepair.glossary.formats import detect_format, read_entries, write_entries
from mtrepair.glossary.review import add_entry, current_entries, import_entries
from mtrepair.glossary.tbx import TBX3_NS, TBX3_OLD_NS, read_tbx, write_tbx
from mtrepair.xmlparse import parse_document

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "glossary"
SCHEMAS = ROOT.parent / "shared" / "data" / "schemas" / "tbx"
RNG = SCHEMAS / "TBXcoreStructV03_TBX-Basic_integrated.rng"
SCH = SCHEMAS / "TBX-Basic_DCA.sch"
SCHEMATRON = "http://purl.oclc.org/dsdl/schematron"


def glossary_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mtrepair", "glossary", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Every kind and every status, with markup characters in a note."""
    directory = tmp_path / "mixed"
    add_entry(directory, source="IMSS-Wellness", target="IMSS-Bienestar", kind="variant", case="insensitive",
              status="approved", note="seed 004 & <b>", author="ana")  # fmt: skip
    add_entry(directory, source="derechohabientes", target="beneficiaries", status="approved", author="ana")
    add_entry(directory, source="camas", target="beds", status="proposed", author="bob")
    add_entry(directory, source="clausura", target="shutdown", status="rejected", author="bob")
    add_entry(directory, source="Zoé Robledo", kind="keep", case="sensitive", status="approved", author="ana")
    add_entry(
        directory,
        source="Bienestar",
        target="Well-being|Wellness|Welfare",
        kind="family",
        status="approved",
        author="ana",
    )
    return directory


def _glossaries(mixed: Path) -> dict[str, list[Entry]]:
    return {"project": current_entries(PROJECT), "mixed": current_entries(mixed)}


# -- TBX-Basic v3 against the official schemas ----------------------------------------------------


@pytest.fixture(scope="module")
def relaxng() -> Any:
    from lxml import etree

    if not RNG.is_file():
        pytest.skip("../shared/data/schemas/tbx is not beside the project")
    return etree.RelaxNG(etree.parse(str(RNG)))


@pytest.fixture(scope="module")
def schematron() -> Any:
    """TBX-Basic's DCA Schematron, less the asserts written in XPath 2 (lxml runs XSLT 1).

    Those asserts cover ``@target``, ``admin`` and ``ref``, which the export never writes
    (checked in the test), so nothing the export can contain goes unchecked.
    """
    from lxml import etree, isoschematron

    if not SCH.is_file():
        pytest.skip("../shared/data/schemas/tbx is not beside the project")
    doc = etree.parse(str(SCH))
    ns = {"s": SCHEMATRON}
    for check in doc.getroot().iterfind(".//s:assert", ns):
        test = check.get("test", "")
        if "matches(" in test or "./local-name()" in test:
            check.getparent().remove(check)
    for rule in doc.getroot().iterfind(".//s:rule", ns):
        if rule.find("s:assert", ns) is None:
            rule.getparent().remove(rule)
    doc.getroot().set("queryBinding", "xslt")
    return isoschematron.Schematron(doc)


@pytest.mark.parametrize(
    "which", [pytest.param("project", id="project-glossary"), pytest.param("mixed", id="every-kind")]
)
def test_v3_export_validates_against_tbx_basic_rng_and_schematron(
    which: str, mixed: Path, relaxng: Any, schematron: Any
) -> None:
    from lxml import etree

    data, _ = write_entries(_glossaries(mixed)[which], "tbx")
    root = etree.fromstring(data)
    assert root.tag == f"{{{TBX3_NS}}}tbx"
    assert relaxng.validate(root), relaxng.error_log
    assert schematron.validate(root), schematron.error_log
    assert not root.xpath("//*[@target] | //*[local-name()='admin' or local-name()='ref']")


def test_the_schemas_reject_what_they_should(relaxng: Any, schematron: Any, mixed: Path) -> None:
    """The checks above can fail: the old namespace and a termType TBX-Basic lacks are caught."""
    from lxml import etree

    data = write_tbx(current_entries(mixed))
    assert not relaxng.validate(etree.fromstring(data.replace(TBX3_NS.encode(), TBX3_OLD_NS.encode())))
    bogus = data.replace(b'type="termType">variant<', b'type="termType">misspelling<')
    assert relaxng.validate(etree.fromstring(bogus)) and not schematron.validate(etree.fromstring(bogus))


def test_an_export_in_the_old_namespace_still_imports(mixed: Path) -> None:
    entries = current_entries(mixed)
    old = write_tbx(entries).replace(TBX3_NS.encode(), TBX3_OLD_NS.encode())
    assert read_tbx(old, "old.tbx") == read_tbx(write_tbx(entries), "new.tbx")


# -- TBX v2 (martif) for translate-toolkit ------------------------------------------------------------


def _toolkit_tbx() -> Any:
    """translate-toolkit's TBX store class (the library is untyped)."""
    from translate.storage import tbx

    return tbx.tbxfile


def _pairs(entries: list[Entry]) -> set[tuple[str, str]]:
    """The approved Spanish → English pairs: terms, and keep entries as (name, name)."""
    return {(e.source, e.output) for e in entries if e.status == "approved" and e.kind in ("term", "keep")}


@pytest.mark.parametrize(
    "which", [pytest.param("project", id="project-glossary"), pytest.param("mixed", id="every-kind")]
)
def test_translate_toolkit_reads_every_approved_pair_of_the_v2_export(which: str, mixed: Path) -> None:
    entries = _glossaries(mixed)[which]
    data, _ = write_entries(entries, "tbx2")
    # Without being told the languages, as `tbx2po` or pootle open it.
    store = _toolkit_tbx().parsestring(data)
    got = {(u.source, u.target) for u in store.units if u.source and u.target}
    assert _pairs(entries) and _pairs(entries) <= got
    told = _toolkit_tbx().parsestring(data, sourcelanguage="es", targetlanguage="en")
    assert _pairs(entries) <= {(u.source, u.target) for u in told.units}
    by_id = {u.getid(): u for u in told.units}
    rejected = next(e for e in entries if e.status == "rejected") if which == "mixed" else None
    if rejected is not None:
        assert by_id[rejected.id].isobsolete()


def test_v2_export_round_trips_through_the_cli(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tbx"
    exported = glossary_cli("export", str(out), "--format", "tbx2", "-g", str(mixed))
    assert exported.returncode == 0, exported.stderr
    assert b"<martif" in out.read_bytes() and b"urn:iso" not in out.read_bytes()
    imported = glossary_cli("import", str(out), "-g", str(tmp_path / "copy"))
    assert imported.returncode == 0, imported.stderr
    fields = [(e.id, e.source, e.target, e.kind, e.case, e.status, e.note, e.author) for e in current_entries(mixed)]
    assert [(e.id, e.source, e.target, e.kind, e.case, e.status, e.note, e.author)
            for e in current_entries(tmp_path / "copy")] == fields  # fmt: skip


def test_a_store_translate_toolkit_writes_imports() -> None:
    store = _toolkit_tbx()(sourcelanguage="es-MX", targetlanguage="en-US")
    for source, target in (("derechohabientes", "beneficiaries"), ("UMAE", "UMAE")):
        store.addsourceunit(source).target = target
    entries = read_entries(bytes(store), "tt.tbx", "tbx2")
    assert [(e.source, e.target, e.kind) for e in entries] == [
        ("derechohabientes", "beneficiaries", "term"),
        ("UMAE", "", "keep"),
    ]


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        pytest.param("g.tbx", "auto", "tbx", id="tbx-extension"),
        pytest.param("g.xml", "auto", "tbx", id="xml-extension"),
        pytest.param("g.tbx", "tbx2", "tbx2", id="flag-tbx2"),
    ],
)
def test_tbx_formats_by_name(name: str, fmt: str, expected: str) -> None:
    assert detect_format(name, fmt) == expected


# -- language codes ----------------------------------------------------------------------------------

CONCEPT = '<termEntry id="{id}"><langSet xml:lang="{a}"><tig><term>{s}</term></tig></langSet>' \
          '<langSet xml:lang="{b}"><tig><term>{t}</term></tig></langSet></termEntry>'  # fmt: skip


def martif(*concepts: str) -> bytes:
    body = "".join(concepts)
    return f'<?xml version="1.0"?><martif type="TBX" xml:lang="en"><text><body>{body}</body></text></martif>'.encode()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("es", "en", id="plain"),
        pytest.param("es-MX", "en-US", id="regions"),
        pytest.param("es_MX", "EN_gb", id="underscores-and-case"),
        pytest.param("spa", "eng", id="iso-639-2"),
    ],
)
def test_spanish_and_english_codes_in_any_spelling_import(a: str, b: str) -> None:
    entries = read_tbx(martif(CONCEPT.format(id="t1", a=a, b=b, s="camas", t="beds")), "g.tbx")
    assert [(e.source, e.target) for e in entries] == [("camas", "beds")]


def test_english_only_variants_import() -> None:
    data = write_tbx([Entry(id="v", source="IMSS-Wellness", target="IMSS-Bienestar", kind="variant",
                            case="sensitive", status="approved")])  # fmt: skip
    assert [e.kind for e in read_tbx(data, "v.tbx")] == ["variant"]


@pytest.mark.parametrize(
    ("a", "b", "named"),
    [
        pytest.param("fr-FR", "de-DE", "de-DE, fr-FR", id="neither"),
        pytest.param("es", "fr", "es, fr", id="no-english"),
        pytest.param("en-US", "pt-BR", "en-US, pt-BR", id="no-spanish"),
    ],
)
def test_other_languages_are_refused_in_one_line_through_the_cli(a: str, b: str, named: str, tmp_path: Path) -> None:
    path = tmp_path / "other.tbx"
    path.write_bytes(martif(CONCEPT.format(id="t1", a=a, b=b, s="lits", t="Betten")))
    directory = tmp_path / "g"
    add_entry(directory, source="IMSS", kind="keep", author="x")
    before = (directory / "glossary.tsv").read_bytes()
    result = glossary_cli("import", str(path), "-g", str(directory))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr and f"language codes {named} do not match" in result.stderr
    assert (directory / "glossary.tsv").read_bytes() == before


# -- one hardened parser ------------------------------------------------------------------------------

_ROOTS = {
    "tbx": ('<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">'
            '<text><body><conceptEntry id="c1"><langSec xml:lang="es"><termSec><term>{es}</term></termSec></langSec>'
            '<langSec xml:lang="en"><termSec><term>leak</term></termSec></langSec></conceptEntry></body></text></tbx>'),
    "tmx": ('<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="phrase" o-tmf="x" '
            'adminlang="en" srclang="es" datatype="plaintext"/><body><tu><tuv xml:lang="es"><seg>{es}</seg></tuv>'
            '<tuv xml:lang="en"><seg>hi</seg></tuv></tu></body></tmx>'),
}  # fmt: skip


def _hostile(case: str, kind: str, secret: Path) -> str:
    root = "tbx" if kind == "tbx" else "tmx"
    body = _ROOTS[kind]
    doctypes = {
        "xxe-file": (f'<!DOCTYPE {root} [<!ENTITY s SYSTEM "file://{secret}">]>', "&s;"),
        "xxe-network": (f'<!DOCTYPE {root} [<!ENTITY s SYSTEM "http://127.0.0.1:9/x">]>', "&s;"),
        "billion-laughs": (
            f'<!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
            "&d;",
        ),
        "parameter-entity": (f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>', "x"),
        "external-dtd-with-reference": (f'<!DOCTYPE {root} SYSTEM "file://{secret}">', "&nbsp;x"),
    }
    doctype, inner = doctypes[case]
    return '<?xml version="1.0"?>\n' + doctype + "\n" + body.format(es=inner)


HOSTILE = ["xxe-file", "xxe-network", "billion-laughs", "parameter-entity", "external-dtd-with-reference"]


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in HOSTILE])
def test_the_tbx_importer_refuses_entities(case: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    with pytest.raises(GlossaryError, match="refused: the file declares XML entities") as info:
        read_tbx(_hostile(case, "tbx", secret).encode(), "hostile.tbx")
    assert "TOPSECRET" not in str(info.value)


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in HOSTILE])
def test_the_tmx_reader_refuses_entities(case: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = tmp_path / "hostile.tmx"
    path.write_text(_hostile(case, "tmx", secret), encoding="utf-8")
    with pytest.raises(CorpusError, match="refused: the file declares XML entities") as info:
        list(iterparse_safely(path, ("end",)))
    assert "TOPSECRET" not in str(info.value)


def test_a_dtd_that_is_only_named_is_ignored() -> None:
    """TBX v2 files name their DTD; it is never loaded (no network) and the file imports."""
    data = martif(CONCEPT.format(id="t1", a="es", b="en", s="camas", t="beds")).replace(
        b"<martif", b'<!DOCTYPE martif SYSTEM "http://127.0.0.1:9/TBXcoreStructV02.dtd">\n<martif', 1
    )
    assert [e.source for e in read_tbx(data, "g.tbx")] == ["camas"]


def test_a_huge_field_is_refused_with_its_line() -> None:
    data = martif(CONCEPT.format(id="t1", a="es", b="en", s="x" * 1_000_001, t="beds"))
    with pytest.raises(GlossaryError, match=r"a field of <term> is longer than 1,000,000 characters"):
        read_tbx(data, "big.tbx")
    note = martif(CONCEPT.format(id="t1", a="es", b="en", s="camas", t="beds")).replace(
        b'<termEntry id="t1">', b'<termEntry id="' + b"i" * 1_000_001 + b'">'
    )
    with pytest.raises(GlossaryError, match="longer than"):
        read_tbx(note, "big.tbx")


def test_a_huge_field_in_an_export_read_back_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.tmx"
    path.write_text(_ROOTS["tmx"].format(es="y" * 1_000_001), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a field of <seg> is longer"):
        list(iterparse_safely(path, ("end",)))


def test_an_oversized_document_is_refused_before_parsing() -> None:
    with pytest.raises(GlossaryError, match=r"refused: 2,048 bytes is more than the 1,024"):
        parse_document(b"<a>" + b"x" * 2041 + b"</a>", "big.tbx", GlossaryError, max_bytes=1024)


def test_deep_nesting_is_a_clear_error_not_a_crash() -> None:
    deep = b"<martif>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</martif>"
    with pytest.raises(GlossaryError, match="not well-formed XML"):
        read_tbx(deep, "deep.tbx")


def test_an_import_of_a_large_term_base_is_linear(tmp_path: Path) -> None:
    """20,000 concepts (issue 12 took 112 s and held the lock): parsed and imported whole."""
    concepts = [CONCEPT.format(id=f"t{i}", a="es", b="en", s=f"término {i}", t=f"term {i}") for i in range(20_000)]
    entries = read_tbx(martif(*concepts), "big.tbx")
    assert len(entries) == 20_000
    import_entries(tmp_path / "g", entries, author="x")
    assert len(current_entries(tmp_path / "g")) == 20_000
