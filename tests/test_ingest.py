"""Reading articles: formats, metadata and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtrepair.errors import InputError
from mtrepair.ingest import Source, decode_bytes, expand_sources, read_source


def _src(path: Path) -> Source:
    return Source(str(path), path.name)


def test_plain_text_keeps_exact_text_and_headline(seeds_dir: Path) -> None:
    path = seeds_dir / "000_2e8fdd939f08f812.txt"
    [doc] = read_source(_src(path))
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.title == "IMSS is the best school of Medicine, dice Zoé Robledo in graduation of resident medicine"
    assert doc.fmt == "txt"


def test_folder_is_expanded_recursively_by_suffix(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "two.md").write_text("# Two", encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    found = list(expand_sources([str(tmp_path)]))
    assert [s.relative for s in found if isinstance(s, Source)] == ["a/one.txt", "two.md"]


def test_missing_path_and_empty_folder_are_reported_not_raised(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    items = list(expand_sources([str(tmp_path / "nope.txt"), str(empty)]))
    assert all(isinstance(i, InputError) for i in items)
    assert "no such file" in str(items[0]) and "nope.txt" in str(items[0])
    assert "folder holds no" in str(items[1])


def test_binary_and_invalid_utf8_are_clear_errors() -> None:
    with pytest.raises(InputError, match=r"x\.bin: looks like a binary file"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "x.bin")
    with pytest.raises(InputError, match=r"bad\.txt:2: invalid UTF-8 at byte 8"):
        decode_bytes(b"caf\xc3\xa9\nab\xff", "bad.txt")


def test_crlf_is_normalised_and_bom_dropped() -> None:
    assert decode_bytes(b"\xef\xbb\xbfa\r\nb\rc", "x") == "a\nb\nc"


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        read_source(_src(path))


def test_jsonl_documents_and_bad_line_named(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [{"id": "a1", "text": "IMSS hires 4 mil 158 doctors.", "date": "2021-01-02", "url": "https://x.mx/a"}, {"text": "Second."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs = read_source(_src(path))
    assert [d.doc_id for d in docs] == ["a1", "feed:2"]
    assert docs[0].date == "2021-01-02" and docs[0].url == "https://x.mx/a" and docs[0].fmt == "jsonl"
    path.write_text(json.dumps(rows[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"feed\.jsonl:2: not valid JSON"):
        read_source(_src(path))
    path.write_text('{"title": "no text"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"feed\.jsonl:1: each line needs a \"text\""):
        read_source(_src(path))


def test_html_main_text_without_script_or_style(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><title>IMSS news</title>
<style>body { color: red } .x::after { content: "STYLE-LEAK" }</style>
<script>var leak = "SCRIPT-LEAK"; document.write("<p>SCRIPT-LEAK</p>");</script></head>
<body><nav><a href="/">Home</a> | <a href="/x">Sections</a></nav>
<article><h1>IMSS launches call to hire 13 thousand medical specialists</h1>
<p>During the presidential morning conference, the general director of the Mexican Social Security
Institute (IMSS), Zoé Robledo, announced the start of the hiring process for more than 9,000 specialist
doctors who will join the medical units in 23 entities.</p>
<p>Robledo pointed out that this year 11,049 doctors completed their specialty; it is expected that this
year more than 9,000 places will be offered to general practitioners.</p></article>
<script>console.log("SCRIPT-LEAK")</script></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [doc] = read_source(_src(path))
    assert doc.fmt == "html"
    assert "Zoé Robledo, announced the start" in doc.text
    assert "11,049 doctors" in doc.text
    assert "LEAK" not in doc.text and "<p>" not in doc.text
    # the page itself travels with the article, so clean can write it back as HTML
    assert doc.markup == page and doc.title == "IMSS news"
    assert doc.text.startswith("IMSS launches call to hire 13 thousand medical specialists\n\nDuring the presidential")


def test_only_html_documents_carry_markup(tmp_path: Path, seeds_dir: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "<p>IMSS</p>"}) + "\n", encoding="utf-8")
    [row] = read_source(_src(path))
    [plain] = read_source(_src(seeds_dir / "000_2e8fdd939f08f812.txt"))
    assert row.markup is None and plain.markup is None and row.text == "<p>IMSS</p>"


# --- hostile and unusual input (issue 12): one bad record never costs the rest ---

_TEXT = "Zoé Robledo visited the hospital in Tlaxcala."


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        pytest.param("utf-16-le", b"\xff\xfe", id="utf16le"),
        pytest.param("utf-16-be", b"\xfe\xff", id="utf16be"),
        pytest.param("utf-32-le", b"\xff\xfe\x00\x00", id="utf32le"),
        pytest.param("utf-32-be", b"\x00\x00\xfe\xff", id="utf32be"),
    ],
)
def test_utf16_and_utf32_with_a_bom_are_decoded(encoding: str, bom: bytes) -> None:
    data = bom + (_TEXT + "\r\n").encode(encoding)
    assert decode_bytes(data, "x.txt") == _TEXT + "\n"


def test_nfd_input_becomes_nfc() -> None:
    nfd = "Zoe\u0301 Robledo"
    assert decode_bytes(nfd.encode("utf-8"), "x.txt") == "Zoé Robledo"


_GOOD = json.dumps({"id": "good", "text": _TEXT})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param('{"id": "s", "text": "\\ud800 broken"}', "lone surrogate", id="lone-surrogate"),
        pytest.param('{"id": ' + "9" * 5000 + ', "text": "x"}', "not usable JSON", id="huge-int-id"),
        pytest.param("[" * 100_000 + "]" * 100_000, "nested deeper", id="deep-json"),
        pytest.param('{"id": null, "text": "x"}', '"id" must be a string or a number', id="null-id"),
        pytest.param('{"id": {"x": 1}, "text": "x"}', '"id" must be a string or a number', id="object-id"),
        pytest.param('{"id": "a", "text": 5}', '"text" string field', id="text-not-string"),
        pytest.param("{not json", "not valid JSON", id="not-json"),
    ],
)
def test_a_bad_jsonl_line_is_reported_and_the_good_lines_are_kept(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(_GOOD + "\n" + line + "\n" + _GOOD.replace("good", "also-good") + "\n", encoding="utf-8")
    errors: list[InputError] = []
    docs = read_source(_src(path), errors=errors)
    assert [d.doc_id for d in docs] == ["good", "also-good"]
    assert len(errors) == 1
    assert "batch.jsonl:2: " in str(errors[0]) and message in str(errors[0])
    with pytest.raises(InputError, match=message):
        read_source(_src(path))


def test_numeric_jsonl_id_is_kept_as_its_digits(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"id": 42, "text": _TEXT}) + "\n", encoding="utf-8")
    [doc] = read_source(_src(path))
    assert doc.doc_id == "42"


def test_html_nested_deeper_than_libxml2s_default_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    body = "<div>" * 1000 + f"<p>{_TEXT}</p>" + "</div>" * 1000
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    [doc] = read_source(_src(path))
    assert _TEXT in doc.text


@pytest.mark.parametrize("suffix", [pytest.param(".txt", id="txt"), pytest.param(".jsonl", id="jsonl-line")])
def test_an_article_over_max_bytes_is_one_clear_error(tmp_path: Path, suffix: str) -> None:
    from mtrepair.ingest import iter_documents

    path = tmp_path / f"big{suffix}"
    body = "The IMSS opened a clinic. " * 100
    path.write_text(json.dumps({"id": "big", "text": body}) + "\n" if suffix == ".jsonl" else body, encoding="utf-8")
    errors: list[InputError] = []
    try:
        docs = list(iter_documents(_src(path), errors, max_bytes=1000))
    except InputError as exc:
        errors.append(exc)
        docs = []
    assert docs == []
    assert len(errors) == 1 and "more than --max-bytes 1,000" in str(errors[0])
    assert list(iter_documents(_src(path), [], max_bytes=10_000))
