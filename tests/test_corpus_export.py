"""Exports: every format written, read back and compared; TMX 1.4b validity; hostile text; filters; failures."""

from __future__ import annotations

import re
import struct
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from lxml import etree

from mtrepair.corpus import ReviewDecision, open_corpus
from mtrepair.corpus.export import FORMATS, ExportMeta, read_export, write_export
from mtrepair.corpus.export.escape import XML_ILLEGAL, one_line
from mtrepair.corpus.query import ExportFilter, export_corpus, export_frame
from mtrepair.errors import CorpusError
from mtrepair.model import Document, Edit, RepairResult, Segment, Span, SpanTranslation, apply_edits
from test_corpus_records import CLAUSURA, CLAUSURA_EN, PROVENANCE, make_result, seed_results

# The official schemas, beside the project (../shared/data/schemas): the TMX 1.4b DTD
# (LISA OSCAR tmx14.dtd) and the OASIS XLIFF 2.0 core XSD with its modules.
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "data" / "schemas"
# Parsing never touches the network nor expands an external entity.
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def official(name: str) -> Path:
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} is not beside the project")
    return path


# A segment the web could hand us: tabs, CR LF, a Unicode line separator, markup-like text,
# a BEL and a vertical tab pasted from a word processor, a backslash.
HOSTILE = (
    'Tabla:\tcol1\tcol2 "IMSS" <b>dice</b> & más\x07 timbre\x0bvt.\n'
    "Segunda línea\r\nfin \u2028 separador \\ barra ]]> y 2\x00."
)


def hostile_result() -> RepairResult:
    text = HOSTILE
    pairs = {
        "dice": "says",
        "col1\tcol2": "col 1\tcol 2",
        "más\x07 timbre": "more\x07 bell",
        "Segunda línea": "Second line",
    }
    spans, done, edits = [], [], []
    for src, tgt in pairs.items():
        i = text.index(src)
        spans.append(Span(i, i + len(src), "es", src))
        done.append(SpanTranslation(i, i + len(src), src, tgt, "hand", 0.5))
        edits.append(Edit(i, i + len(src), src, tgt, "translation", "translate.hand", 0.5, "hand"))
    edits.sort(key=lambda e: e.start)
    return RepairResult(
        Document("hostile.jsonl", text, date="2023-05-01"),
        tuple(edits),
        apply_edits(text, edits),
        PROVENANCE,
        (Segment("hostile.jsonl", 0, len(text), text),),
        tuple(spans),
        tuple(done),
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "store"
    corpus = open_corpus(path)
    corpus.add_results([*seed_results(), hostile_result()])
    corpus.add_reviews([ReviewDecision(CLAUSURA, CLAUSURA_EN, "approved", "ana")])
    return path


def meta_for(kind: str) -> ExportMeta:
    return ExportMeta(kind, "en-x-mt" if kind == "segments" else "es", "en", "0.1.0")


def strip_xml_illegal(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col(c).str.replace_all(XML_ILLEGAL, "") for c, t in df.schema.items() if t == pl.String)


@pytest.mark.parametrize("kind", ["spans", "terms", "segments"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_round_trips(store: Path, tmp_path: Path, fmt: str, kind: str) -> None:
    corpus = open_corpus(store)
    expected = export_frame(corpus, ExportFilter(kind=kind)).collect()
    assert expected.height > 0
    meta = meta_for(kind)
    out = tmp_path / f"out.{fmt}"
    result = export_corpus(corpus, ExportFilter(kind=kind), out, fmt, meta)
    assert result.rows == expected.height
    back = read_export(out, fmt, meta.src_lang, meta.tgt_lang)
    if fmt == "moses":
        flat = expected.select(one_line("source").fill_null(""), one_line("target").fill_null(""))
        assert back.equals(flat)
        src, tgt = result.paths
        src_text, tgt_text = src.read_text(encoding="utf-8"), tgt.read_text(encoding="utf-8")
        # Equal line counts for every line-splitting convention, and no tab inside a segment.
        assert src_text.count("\n") == tgt_text.count("\n") == expected.height
        assert len(src_text.splitlines()) == len(tgt_text.splitlines()) == expected.height
        assert "\t" not in src_text + tgt_text
    elif fmt == "tmx":
        assert back.equals(strip_xml_illegal(expected))
    else:
        assert back.equals(expected)
    # The file is complete and alone: no temporary left beside it.
    assert not list(tmp_path.glob(".*.tmp"))


def test_hostile_text_is_escaped_for_each_format(store: Path, tmp_path: Path) -> None:
    corpus = open_corpus(store)
    f = ExportFilter(kind="segments")
    hostile = export_frame(corpus, f).filter(pl.col("doc_id") == "hostile.jsonl").collect().row(0, named=True)
    assert hostile["source"] == HOSTILE

    tmx = export_corpus(corpus, f, tmp_path / "s.tmx", "tmx", meta_for("segments"))
    raw = (tmp_path / "s.tmx").read_text(encoding="utf-8")
    assert "&lt;b&gt;dice&lt;/b&gt; &amp; más" in raw and "]]&gt;" in raw and "&#13;" in raw
    # BEL, VT and NUL cannot exist in XML 1.0: dropped and counted (in the original and the
    # repaired text), never written raw.
    assert tmx.dropped_controls == 6 and not re.search(XML_ILLEGAL.replace(r"\x{FFFE}\x{FFFF}", ""), raw)
    back = read_export(tmp_path / "s.tmx", "tmx").filter(pl.col("doc_id") == "hostile.jsonl").row(0, named=True)
    assert back["source"] == HOSTILE.replace("\x07", "").replace("\x0b", "").replace("\x00", "")

    export_corpus(corpus, f, tmp_path / "s.xlf", "xliff", meta_for("segments"))
    raw = (tmp_path / "s.xlf").read_text(encoding="utf-8")
    assert '<cp hex="0007"/>' in raw and '<cp hex="000B"/>' in raw and '<cp hex="0000"/>' in raw
    back = read_export(tmp_path / "s.xlf", "xliff").filter(pl.col("doc_id") == "hostile.jsonl").row(0, named=True)
    assert back["source"] == HOSTILE

    export_corpus(corpus, f, tmp_path / "s.tsv", "tsv", meta_for("segments"))
    raw = (tmp_path / "s.tsv").read_bytes().decode("utf-8")
    # Quoted (RFC 4180 with tabs), quotes doubled, everything else as it is.
    assert '\n"Tabla:\tcol1\tcol2 ""IMSS"" <b>dice</b> & más\x07 timbre\x0bvt.\nSegunda línea\r\nfin' in raw
    back = pl.read_csv(tmp_path / "s.tsv", separator="\t").filter(pl.col("doc_id") == "hostile.jsonl")
    assert back["source"].to_list() == [HOSTILE]

    export_corpus(corpus, f, tmp_path / "s", "moses", meta_for("segments"))
    src_lines = (tmp_path / "s.en-x-mt").read_text(encoding="utf-8").split("\n")
    assert (
        'Tabla: col1 col2 "IMSS" <b>dice</b> & más timbre vt. Segunda línea  fin   separador \\ barra ]]> y 2.'
        in src_lines
    )


def test_tmx_is_valid_1_4b_and_holds_the_span_pairs(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "spans.tmx"
    export_corpus(open_corpus(store), ExportFilter(kind="spans"), out, "tmx", meta_for("spans"))
    tree = etree.parse(str(out), SAFE)
    dtd = etree.DTD(str(official("tmx14.dtd")))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    header = tree.find("header")
    assert header is not None
    assert header.get("srclang") == "es" and header.get("segtype") == "phrase"
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate") or "")
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tree.iter("tuv")}
    assert langs == {"es", "en"}
    # An independent reader (translate-toolkit) sees the same pairs.
    from translate.storage.tmx import tmxfile

    units = {u.source: u.target for u in tmxfile.parsefile(str(out)).units}
    assert units[CLAUSURA] == CLAUSURA_EN
    assert units["dice"] == "says"


def test_xliff_is_read_by_translate_toolkit(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "spans.xlf"
    export_corpus(
        open_corpus(store), ExportFilter(kind="spans", statuses=("approved",)), out, "xliff", meta_for("spans")
    )
    from translate.storage.xliff2 import Xliff2File

    units = Xliff2File.parsefile(str(out)).units
    assert [(u.source, u.target) for u in units] == [(CLAUSURA, CLAUSURA_EN)]
    assert 'state="final"' in out.read_text(encoding="utf-8")


def test_filters_status_confidence_dates_and_kind(store: Path) -> None:
    corpus = open_corpus(store)

    def rows(**kw: object) -> pl.DataFrame:
        return export_frame(corpus, ExportFilter(**kw)).collect()  # type: ignore[arg-type]

    assert rows(kind="spans", statuses=("approved",))["source"].to_list() == [CLAUSURA]
    seg = rows(kind="segments")
    high = rows(kind="segments", min_confidence=0.95)
    assert high.height == seg.filter(pl.col("confidence") >= 0.95).height < seg.height
    assert set(seg["confidence"].unique().to_list()) >= {0.5, 0.8, 0.9, 0.95, 1.0}
    assert set(rows(kind="segments", since=date(2022, 1, 1))["doc_id"].unique().to_list()) == {
        "002_dbae9789e0361efb.txt",
        "hostile.jsonl",
    }
    assert set(rows(kind="segments", until=date(2021, 12, 31))["doc_id"].unique().to_list()) == {
        "003_51a4ab63d0b55e58.txt"
    }
    assert rows(kind="segments", statuses=("unchanged",))["source"].equals(
        rows(kind="segments", statuses=("unchanged",))["target"]
    )
    # Untranslated spans only when asked for.
    assert "chirimiento" not in rows(kind="spans")["source"].to_list()
    assert "chirimiento" in rows(kind="spans", include_untranslated=True)["source"].to_list()
    with pytest.raises(CorpusError, match="is after --until"):
        ExportFilter(since=date(2022, 1, 2), until=date(2022, 1, 1))
    with pytest.raises(CorpusError, match="unknown kind"):
        ExportFilter(kind="words")  # type: ignore[arg-type]


IMSS_ES = "Instituto Mexicano del Seguro Social"
IMSS_EN = "Mexican Social Security Institute"


def test_exact_and_normalized_dedup(tmp_path: Path) -> None:
    corpus = open_corpus(tmp_path / "store")
    line = "During the presidential morning conference, the general director of the {} (IMSS), Zoé Robledo, spoke {}."
    results = [
        make_result(f"d{i}.txt", line.format(IMSS_ES, i), {IMSS_ES: (IMSS_EN, "apertium", 0.8)}) for i in range(3)
    ]
    lower = IMSS_ES.lower()
    results.append(make_result("d9.txt", line.format(lower, 9), {lower: (IMSS_EN + ".", "ct2", 0.6)}))
    corpus.add_results(results)
    none = export_frame(corpus, ExportFilter(kind="spans")).collect()
    exact = export_frame(corpus, ExportFilter(kind="spans", dedup="exact")).collect()
    normalized = export_frame(corpus, ExportFilter(kind="spans", dedup="normalized")).collect()
    assert none.height == 4
    assert exact.select("source", "target", "count").rows() == [(IMSS_ES, IMSS_EN, 3), (lower, IMSS_EN + ".", 1)]
    assert normalized.select("source", "target", "count", "engine").rows() == [(IMSS_ES, IMSS_EN, 4, "apertium")]
    # Segments dedup the same way: the four sentences differ, so none merge.
    assert export_frame(corpus, ExportFilter(kind="segments", dedup="normalized")).collect().height == 4


def test_normalized_dedup_folds_unicode_forms_and_spacing(tmp_path: Path) -> None:
    corpus = open_corpus(tmp_path / "store")
    composed = "Secretaría de Salud"  # é as one code point
    decomposed = "Secretari\u0301a de Salud"  # i + combining acute, as some CMSs store it
    spaced = "Secretaría  de\u00a0Salud"
    results = [
        make_result(f"s{i}.txt", f"The {src} (SSA) reported {i} new cases.", {src: ("Ministry of Health", "ct2", 0.9)})
        for i, src in enumerate([composed, decomposed, spaced])
    ]
    corpus.add_results(results)
    exact = export_frame(corpus, ExportFilter(kind="spans", dedup="exact")).collect()
    normalized = export_frame(corpus, ExportFilter(kind="spans", dedup="normalized")).collect()
    assert exact.height == 3
    assert normalized.select("source", "count").rows() == [(composed, 3)]


def test_export_to_unwritable_paths_fails_cleanly(store: Path, tmp_path: Path) -> None:
    corpus = open_corpus(store)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for fmt in FORMATS:
        with pytest.raises(CorpusError, match=rf"^{re.escape(str(blocker))}/out.*: cannot create the folder"):
            export_corpus(corpus, ExportFilter(), blocker / f"out.{fmt}", fmt, meta_for("spans"))
    folder = tmp_path / "existing-folder"
    folder.mkdir()
    with pytest.raises(CorpusError, match=r"is a directory; give a file name"):
        export_corpus(corpus, ExportFilter(), folder, "tmx", meta_for("spans"))
    assert blocker.read_text(encoding="utf-8") == "not a folder" and folder.is_dir()
    with pytest.raises(CorpusError, match="not a BCP 47 language tag"):
        from mtrepair.corpus.export.meta import check_lang

        check_lang('es"><evil')


def test_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    store = tmp_path / "store"
    corpus = open_corpus(store)
    corpus.add_results(seed_results())
    out = tmp_path / "exports" / "segments.tmx"
    export_corpus(corpus, ExportFilter(kind="segments"), out, "tmx", meta_for("segments"))
    previous = out.read_bytes()
    part = corpus.data_files()["segments"][0]
    data = bytearray(part.read_bytes())  # damage the data pages, keep the footer
    footer = struct.unpack("<I", data[-8:-4])[0]
    data[4 : len(data) - 8 - footer] = b"\xff" * (len(data) - 12 - footer)
    part.write_bytes(bytes(data))
    for fmt in FORMATS:
        target = out.with_suffix(f".{fmt}") if fmt != "tmx" else out
        with pytest.raises(CorpusError, match=rf"^{re.escape(str(part))}: damaged Parquet file"):
            export_corpus(open_corpus(store), ExportFilter(kind="segments"), target, fmt, meta_for("segments"))
    assert out.read_bytes() == previous
    assert sorted(p.name for p in out.parent.iterdir()) == ["segments.tmx"]


def test_reader_never_resolves_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    evil = tmp_path / "evil.tmx"
    evil.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="phrase" o-tmf="x" '
        'adminlang="en" srclang="es" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="es"><seg>hola &xxe;</seg></tuv><tuv xml:lang="en"><seg>hi</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    # refused outright, not read with the entity left out: a term base or TMX that declares
    # entities is hostile or broken, and silently dropping text would corrupt the corpus
    with pytest.raises(CorpusError, match="refused: the file declares XML entities"):
        read_export(evil, "tmx")
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><header srclang='es'/><body><tu>", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{re.escape(str(broken))}:1: not well-formed XML"):
        read_export(broken, "tmx")


def test_moses_reader_refuses_misaligned_files(tmp_path: Path) -> None:
    (tmp_path / "train.es").write_text("uno\ndos\n", encoding="utf-8")
    (tmp_path / "train.en").write_text("one\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"2 lines here but 1 in train\.en"):
        read_export(tmp_path / "train", "moses")


def test_streaming_writer_batches_match_one_batch(store: Path, tmp_path: Path) -> None:
    lf = export_frame(open_corpus(store), ExportFilter(kind="segments"))
    one = write_export(lf, tmp_path / "one.tmx", "tmx", meta_for("segments"), batch_rows=1_000_000)
    many = write_export(lf, tmp_path / "many.tmx", "tmx", meta_for("segments"), batch_rows=7)
    assert one.rows == many.rows
    assert read_export(tmp_path / "one.tmx", "tmx").equals(read_export(tmp_path / "many.tmx", "tmx"))
    tuids = re.findall(r'<tu tuid="([0-9a-f]+)"', (tmp_path / "many.tmx").read_text(encoding="utf-8"))
    assert tuids == re.findall(r'<tu tuid="([0-9a-f]+)"', (tmp_path / "one.tmx").read_text(encoding="utf-8"))
    assert len(tuids) == many.rows


# ---- the official schemas (issue 11) -------------------------------------------------------------

KINDS = [pytest.param("segments", id="segments"), pytest.param("spans", id="spans"), pytest.param("terms", id="terms")]


def export_of(store: Path, tmp_path: Path, kind: str, fmt: str, **filters: object) -> Path:
    out = tmp_path / f"{kind}.{fmt}"
    f = ExportFilter(kind=kind, **filters)  # type: ignore[arg-type]
    assert export_corpus(open_corpus(store), f, out, fmt, meta_for(kind)).rows > 0
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_tmx_export_is_valid_against_the_official_tmx14_dtd(store: Path, tmp_path: Path, kind: str) -> None:
    dtd = etree.DTD(str(official("tmx14.dtd")))
    filters = {"include_untranslated": True} if kind == "spans" else {}
    tree = etree.parse(str(export_of(store, tmp_path, kind, "tmx", **filters)), SAFE)
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


@pytest.mark.parametrize(
    "schema", [pytest.param("xliff_core_2.0.xsd", id="core"), pytest.param("xliff_all.xsd", id="core+modules")]
)
@pytest.mark.parametrize("kind", KINDS)
def test_xliff_export_is_valid_against_the_official_xsd(store: Path, tmp_path: Path, kind: str, schema: str) -> None:
    # xliff_all.xsd also loads the Metadata module, so the <mda:meta> columns are checked too.
    xsd = etree.XMLSchema(etree.parse(str(official(f"xliff20/{schema}")), SAFE))
    filters = {"include_untranslated": True} if kind == "spans" else {}
    tree = etree.parse(str(export_of(store, tmp_path, kind, "xliff", **filters)), SAFE)
    assert xsd.validate(tree), xsd.error_log.filter_from_errors()


@pytest.mark.parametrize(
    ("fmt", "damage"),
    [
        pytest.param("tmx", ('segtype="sentence"', 'segtype="segment"'), id="tmx-unknown-segtype"),
        pytest.param("xliff", ('<segment state="', '<segment state="done" x="'), id="xliff-bad-state"),
    ],
)
def test_the_schema_checks_catch_a_broken_export(
    store: Path, tmp_path: Path, fmt: str, damage: tuple[str, str]
) -> None:
    """The validators above are not vacuous: one wrong attribute fails them."""
    out = export_of(store, tmp_path, "segments", fmt)
    out.write_text(out.read_text(encoding="utf-8").replace(*damage, 1), encoding="utf-8")
    tree = etree.parse(str(out), SAFE)
    if fmt == "tmx":
        assert not etree.DTD(str(official("tmx14.dtd"))).validate(tree)
    else:
        assert not etree.XMLSchema(etree.parse(str(official("xliff20/xliff_core_2.0.xsd")), SAFE)).validate(tree)


def test_tmx_tuids_are_content_ids_of_the_pair(store: Path, tmp_path: Path) -> None:
    from mtrepair.corpus.export.tmx import content_id

    everything = export_of(store, tmp_path, "spans", "tmx")
    tree = etree.parse(str(everything), SAFE)
    tus = tree.findall(".//tu")
    # Of the pair as stored (before XML 1.0 drops the control characters it cannot hold).
    back = export_frame(open_corpus(store), ExportFilter(kind="spans")).collect()
    ids = [tu.get("tuid") for tu in tus]
    assert ids == [content_id(s, t) for s, t in back.select("source", "target").iter_rows()]
    # The same pair has the same id in another export (here: only the approved spans, another day).
    approved = tmp_path / "approved.tmx"
    export_corpus(
        open_corpus(store), ExportFilter(kind="spans", statuses=("approved",)), approved, "tmx", meta_for("spans")
    )
    (tu,) = etree.parse(str(approved), SAFE).findall(".//tu")
    assert tu.get("tuid") == content_id(CLAUSURA, CLAUSURA_EN) and tu.get("tuid") in ids
    # Different pairs, different ids (a null target differs from an empty one).
    pairs = set(back.select("source", "target").iter_rows())
    assert len({content_id(s, t) for s, t in pairs}) == len(pairs)
    assert content_id("a", None) != content_id("a", "") != content_id("a", "b")


def read_pandas(path: Path) -> pl.DataFrame:
    pd = pytest.importorskip("pandas")
    return pl.from_pandas(pd.read_csv(path, sep="\t"))


def read_polars(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, separator="\t")


def as_export(df: pl.DataFrame) -> pl.DataFrame:
    """The column types the README's reader calls give (a CSV reader infers them from the text)."""
    return df.with_columns(
        pl.col(c).cast(pl.String) for c in ("source", "target", "status", "engine", "doc_id", "date")
    ).with_columns(
        pl.col("date").str.to_date("%Y-%m-%d"),
        pl.col("confidence").cast(pl.Float64),
        pl.col("count").cast(pl.Int64),
    )


@pytest.mark.parametrize("reader", [pytest.param(read_pandas, id="pandas"), pytest.param(read_polars, id="polars")])
@pytest.mark.parametrize("kind", KINDS)
def test_tsv_reads_back_equal_with_the_readers_defaults(store: Path, tmp_path: Path, kind: str, reader) -> None:
    corpus = open_corpus(store)
    f = ExportFilter(kind=kind, include_untranslated=kind == "spans")
    expected = export_frame(corpus, f).collect()
    out = tmp_path / "out.tsv"
    export_corpus(corpus, f, out, "tsv", meta_for(kind))
    assert as_export(reader(out)).equals(expected)


TRAPS = [
    '"quoted" at the start',  # opened a quoted field that swallowed lines (issue 11)
    "\\N",  # schema 1's null: read as text by both readers
    "tab\there",
    "two\nlines",
    "cr\r\nlf",
    "a \\ backslash",
    "#not a comment",
    "  leading and trailing spaces  ",
    "NA",  # pandas' default NA tokens: the README's exact call keeps them
    "null",
    "None",
]


def test_tsv_traps_read_back_equal_with_both_readers(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    n = len(TRAPS)
    frame = pl.DataFrame(
        {
            "source": TRAPS,
            "target": list(reversed(TRAPS)),
            "status": ["machine"] * n,
            "confidence": [0.1 * i for i in range(n)],
            "engine": [None] * n,
            "doc_id": [f"{i:03d}.txt" for i in range(n)],
            "date": [date(2024, 1, 1 + i) for i in range(n)],
            "count": list(range(n)),
        }
    )
    out = tmp_path / "traps.tsv"
    write_export(frame.lazy(), out, "tsv", meta_for("spans"))
    assert as_export(read_polars(out)).equals(frame)
    # pandas' exact call from the README (its defaults would read "NA", "null" and "None" as missing).
    exact = pl.from_pandas(pd.read_csv(out, sep="\t", keep_default_na=False, na_values=[""]))
    assert as_export(exact).equals(frame)
    ordinary = frame.filter(
        ~pl.col("source").is_in(["NA", "null", "None"]) & ~pl.col("target").is_in(["NA", "null", "None"])
    )
    assert as_export(read_pandas(out)).filter(pl.col("doc_id").is_in(ordinary["doc_id"].implode())).equals(ordinary)
    assert read_export(out, "tsv").equals(frame)


@pytest.mark.parametrize("dedup", [pytest.param("none", id="none"), pytest.param("normalized", id="normalized")])
def test_segment_tuids_come_from_the_store_and_equal_the_content_id(store: Path, tmp_path: Path, dedup: str) -> None:
    from mtrepair.corpus.export.tmx import content_id

    out = export_of(store, tmp_path, "segments", "tmx", dedup=dedup)
    ids = [tu.get("tuid") for tu in etree.parse(str(out), SAFE).findall(".//tu")]
    rows = export_frame(open_corpus(store), ExportFilter(kind="segments", dedup=dedup)).collect()  # type: ignore[arg-type]
    assert ids == [content_id(s, t) for s, t in rows.select("source", "target").iter_rows()]
