"""HTML in, HTML out (issue 11 part 6): a page is repaired in its text nodes and written back
with its markup intact; report offsets slice the extracted text and name the element."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import ROOT, SHARED, run_cli
from mtrepair.htmldoc import PageError, apply_to_page, element_path, locate_edits, read_page, render_page, serialize
from mtrepair.ingest import Source, parse_html, read_source
from mtrepair.model import Document, Edit, EditKind, RepairResult, apply_edits
from mtrepair.repair import Pipeline, open_pipeline, repair_document

# A news page as an MT site serves one (written for these tests): the site's header and
# Spanish navigation, an article with its own header, h1, h2, paragraphs with links and
# emphasis, a figure, Spanish chrome lines inside the article (a follow prompt, a share list),
# a share widget its class names, a sidebar and the site footer.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>IMSS hires 4 mil 158 doctors | Noticias del Sur</title>
<link rel="canonical" href="https://noticias.example.mx/salud/imss-medicos">
<meta property="article:published_time" content="2024-03-05T10:32:00-06:00">
<style>.share li { display: inline }</style>
<script>window.dataLayer = [{"page": "<p>article</p>"}];</script>
</head>
<body class="single">
<header class="site-header"><a href="/" class="logo"><img src="/logo.png" alt="Noticias del Sur"></a>
<nav aria-label="Principal"><ul><li><a href="/">Inicio</a></li><li><a href="/salud">Salud</a></li>
<li><a href="/gobierno">Gobierno</a></li></ul></nav></header>
<main id="content">
<article class="post" data-id="8812">
<header><h1 class="title">IMSS hires <em>4 mil 158</em> doctors for rural clinics</h1>
<p class="byline">By <a href="/autor/redaccion" rel="author">Editorial staff</a></p></header>
<p>The <a href="https://www.imss.gob.mx/prensa" title="IMSS press room">Mexican Social Security Institute</a>
   (IMSS) hired 4 mil <strong>158</strong> doctors who will work in the rural clinics of the
   <em>IMSS-Wellness</em> program, the director general reported on Tuesday.</p>
<figure class="wp-caption"><img src="/fotos/medicos.jpg" alt="Doctors at the ceremony" width="800">
<figcaption>Doctors received their appointments at a ceremony in Mexico City.</figcaption></figure>
<h2 id="plazas">Where the new doctors will work</h2>
<p>The hiring covers 23 states; the remaining places will be offered in a second call, and
the list of units is published at <a href="https://www.gob.mx/imss">gob.mx/imss</a>.
A note for the editors: &lt;script&gt; tags in a text are text.</p>
<p>Síguenos en Facebook</p>
<ul><li><a href="https://facebook.com/sharer">Facebook</a></li><li><a href="https://x.com/share">Twitter</a></li></ul>
<div class="social-share">Comparte esta nota: <a href="https://wa.me/?text=nota">WhatsApp</a></div>
</article>
<aside class="related"><h3>Más noticias</h3><ul><li><a href="/otra">Otra nota</a></li></ul></aside>
</main>
<footer class="site-footer"><p>© 2024 Noticias del Sur. Todos los derechos reservados.</p></footer>
<script src="/app.js"></script>
</body>
</html>
"""

# A WordPress theme's page (written for these tests): no article or main element, the site's
# header, menu, share widget, comment form and sidebar known only by their class and id words.
WP_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head><meta charset="UTF-8"><title>ISSSTE delivers medicines in San Luis Potosí - Daily News</title></head>
<body class="post-template-default single single-post has-sidebar">
<div id="page" class="site">
<div id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/">Daily News</a></p></div>
<div class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/">Home</a></li><li><a href="/salud">Salud</a></li></ul></div></div>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<div class="entry-header"><h1 class="entry-title">ISSSTE delivers 2 mil 300 medicines in San Luis Potosí</h1>
<div class="entry-meta">Publicado el 12 de enero de 2023</div></div>
<div class="entry-content">
<p>The Institute of Security and Social Services of State Workers (ISSSTE) delivered 2 mil 300 boxes of medicines to the clinics of the state, according to a statement.</p>
<p>The delegate said that the supply will reach 95 percent in the coming weeks.</p>
<p><strong>Te puede interesar:</strong> <a href="/otra-nota">IMSS abre convocatoria</a></p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Comparte esto:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">WhatsApp</a></li></ul></div>
</div>
<div id="comments" class="comments-area"><h3 id="reply-title">Deja una respuesta</h3><form><p>Tu dirección de correo electrónico no será publicada.</p></form></div>
</div>
<div id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2>Entradas recientes</h2><ul><li><a href="/x">Otra</a></li></ul></section></div>
</div>
<div class="site-info">Todos los derechos reservados © 2023</div>
</div>
</body></html>
"""

GLOSSARY = str(ROOT / "glossary")


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    pipe = open_pipeline(glossary_dir=GLOSSARY, engine="apertium")
    yield pipe
    pipe.close()


def _doc(markup: str, name: str = "page.html") -> Document:
    return parse_html(markup, Source(name, name))


@pytest.fixture(scope="module")
def repaired(pipeline: Pipeline) -> RepairResult:
    doc = _doc(PAGE)
    result = repair_document(doc, pipeline)
    return RepairResult(result.document, locate_edits(doc, result.edits), result.text, result.provenance)


@pytest.fixture(scope="module")
def output(repaired: RepairResult) -> str:
    return render_page(repaired.document, repaired.edits)


def _tree(markup: str) -> Any:
    return lxml.html.document_fromstring(markup.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))


def _skeleton(root: Any) -> list[tuple[str, str, dict[str, str]]]:
    """The element tree minus its text: every element's path, tag and attributes, in order."""
    tree = root.getroottree()
    return [(tree.getpath(el), str(el.tag), dict(el.attrib)) for el in root.iter() if isinstance(el.tag, str)]


def test_markup_is_intact_except_the_removed_chrome(repaired: RepairResult, output: str) -> None:
    original = _tree(PAGE)
    removed = [e.path for e in repaired.edits if e.applied and e.kind == "boilerplate" and e.before.strip()]
    elements = [original.getroottree().xpath("/" + path) for path in removed]
    assert all(len(found) == 1 for found in elements), removed
    for [element] in elements:
        element.drop_tree()
    # the share list's <ul> is left empty by its two items and goes with them
    for empty in original.xpath("//article/ul"):
        empty.drop_tree()
    assert _skeleton(_tree(output)) == _skeleton(original)


def test_text_nodes_are_repaired(output: str) -> None:
    out = _tree(output)
    assert out.xpath("string(//h1/em)") == "4,158"
    body = out.xpath("//article/p")[0]
    assert " ".join(body.text_content().split()).startswith(
        "The Mexican Social Security Institute (IMSS) hired 4,158 doctors who will work in the rural clinics of the IMSS-Bienestar program"
    )
    # the number edit only rewrote what changed: the <strong> keeps its digits
    assert body.xpath("string(strong)") == "158"
    assert body.xpath("string(em)") == "IMSS-Bienestar"
    assert "Síguenos en Facebook" not in output and "sharer" not in output


def test_page_chrome_outside_the_article_is_left_as_it_was(repaired: RepairResult, output: str) -> None:
    doc = repaired.document
    for chrome in ("Inicio", "Más noticias", "Todos los derechos", "Comparte esta nota", "Editorial staff"):
        assert chrome not in doc.text
    for untouched in (
        '<nav aria-label="Principal"><ul><li><a href="/">Inicio</a></li><li><a href="/salud">Salud</a></li>',
        '<aside class="related"><h3>Más noticias</h3>',
        '<p class="byline">By <a href="/autor/redaccion" rel="author">Editorial staff</a></p>',
        '<div class="social-share">Comparte esta nota: <a href="https://wa.me/?text=nota">WhatsApp</a></div>',
        "<p>© 2024 Noticias del Sur. Todos los derechos reservados.</p>",
        '<script>window.dataLayer = [{"page": "<p>article</p>"}];</script>',
        "<style>.share li { display: inline }</style>",
    ):
        assert untouched in PAGE and untouched in output


def test_offsets_slice_the_extracted_text(repaired: RepairResult, output: str) -> None:
    text = repaired.document.text
    assert any(e.applied for e in repaired.edits)
    for e in repaired.edits:
        assert text[e.start : e.end] == e.before
    # the written page reads back as the repaired text (blank lines between paragraphs aside)
    again = read_page(output).text
    assert again.split() == repaired.text.split()


@pytest.mark.parametrize(
    ("before", "path"),
    [
        pytest.param("4 mil 158", "html/body/main/article/header/h1/em", id="number-in-em"),
        pytest.param("4 mil 158", "html/body/main/article/p[1]", id="number-across-strong"),
        pytest.param("IMSS-Wellness", "html/body/main/article/p[1]/em", id="variant-in-em"),
        pytest.param("Síguenos en Facebook", "html/body/main/article/p[3]", id="chrome-paragraph"),
        pytest.param("Facebook", "html/body/main/article/ul/li[1]", id="share-item"),
        pytest.param("Twitter", "html/body/main/article/ul/li[2]", id="share-item-2"),
    ],
)
def test_each_edit_names_its_element(repaired: RepairResult, before: str, path: str) -> None:
    """The innermost element holding the edited text; a removed paragraph is its own element."""
    found = [(e.before.strip(), e.path) for e in repaired.edits if e.applied]
    assert (before, path) in found, found


def test_a_number_across_inline_markup_is_one_edit_in_the_report(repaired: RepairResult) -> None:
    """"4 mil <strong>158</strong>" is one number to the detectors; its element is the <p>."""
    [edit] = [e for e in repaired.edits if e.applied and e.kind == "number" and e.path.endswith("p[1]")]
    assert edit.before == "4 mil 158" and edit.after == "4,158"
    assert edit.to_json("page.html")["path"] == "html/body/main/article/p[1]"


def test_every_path_resolves_to_the_element_holding_the_edit(repaired: RepairResult) -> None:
    tree = _tree(PAGE).getroottree()
    for e in repaired.edits:
        [element] = tree.xpath("/" + e.path)
        assert " ".join(e.before.split()) in " ".join(element.text_content().split())


def test_clean_of_the_output_changes_nothing(pipeline: Pipeline, output: str) -> None:
    doc = _doc(output)
    again = repair_document(doc, pipeline)
    assert not [e for e in again.edits if e.applied]
    assert render_page(doc, again.edits) == output


def test_escaped_markup_in_text_stays_escaped(repaired: RepairResult, output: str) -> None:
    assert "<script> tags in a text are text." in repaired.document.text
    assert "&lt;script&gt; tags in a text are text." in output
    assert len(_tree(output).xpath("//script")) == len(_tree(PAGE).xpath("//script"))


def test_a_div_page_reads_as_its_article_and_keeps_its_widgets(pipeline: Pipeline) -> None:
    doc = _doc(WP_PAGE, "wp.html")
    assert doc.text == (
        "ISSSTE delivers 2 mil 300 medicines in San Luis Potosí\n\n"
        "The Institute of Security and Social Services of State Workers (ISSSTE) delivered 2 mil 300 boxes of"
        " medicines to the clinics of the state, according to a statement.\n\n"
        "The delegate said that the supply will reach 95 percent in the coming weeks.\n\n"
        "Te puede interesar: IMSS abre convocatoria\n\n"
        "Todos los derechos reservados © 2023\n"
    )
    result = repair_document(doc, pipeline)
    out = render_page(result.document, result.edits)
    assert '<h1 class="entry-title">ISSSTE delivers 2,300 medicines in San Luis Potosí</h1>' in out
    assert "Te puede interesar" not in out and "Todos los derechos" not in out
    for widget in ("masthead", "primary-menu", "sharedaddy", "comments-area", "widget_recent_entries", "entry-meta"):
        [line] = [line for line in WP_PAGE.splitlines() if widget in line]
        assert line in out


def test_metadata_comes_from_the_page(repaired: RepairResult) -> None:
    doc = repaired.document
    assert doc.title == "IMSS hires 4 mil 158 doctors | Noticias del Sur"
    assert doc.date == "2024-03-05"
    assert doc.url == "https://noticias.example.mx/salud/imss-medicos"


# ---- how an edit goes back into the text nodes: one case per shape ------------------------------


def _edit(text: str, before: str, after: str, kind: str = "glossary", occurrence: int = 0) -> Edit:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(before, start + 1)
    return Edit(start, start + len(before), before, after, kind, f"test:{kind}")  # type: ignore[arg-type]


def _page_after(markup: str, edits: list[tuple[str, str, str]]) -> Any:
    page = read_page(markup)
    apply_to_page(page, [_edit(page.text, b, a, k) for b, a, k in edits])
    return page


@pytest.mark.parametrize(
    ("body", "edits", "expected"),
    [
        pytest.param(
            "<p>The Wellness Secretariat paid.</p>",
            [("Wellness Secretariat", "Welfare Secretariat", "glossary")],
            "<p>The Welfare Secretariat paid.</p>",
            id="inside-one-node",
        ),
        pytest.param(
            "<p>It hired 4 mil <em>158</em> doctors.</p>",
            [("4 mil 158", "4,158", "number")],
            "<p>It hired 4,<em>158</em> doctors.</p>",
            id="trimmed-to-the-change",
        ),
        pytest.param(
            '<p>Visit la <a href="/c">clínica nueva</a> today.</p>',
            [("la clínica nueva", "the new clinic", "translation")],
            "<p>Visit the new clinic today.</p>",
            id="spanning-nodes-goes-into-the-first",
        ),
        pytest.param(
            "<p>In Durango, <strong>right</strong> holders accuse.</p>",
            [("right holders", "beneficiaries", "glossary")],
            "<p>In Durango, <strong>beneficiaries</strong> accuse.</p>",
            id="trimmed-between-words-only",
        ),
        pytest.param(
            '<p>There are 19 <strong class="k">thousand</strong> 964 applications.</p>',
            [("19 thousand 964", "19,964", "number")],
            "<p>There are 19,964 applications.</p>",
            id="emptied-inline-element-goes",
        ),
        pytest.param(
            '<p>The <a href="/i">Mexican Institute</a> of Social Security said.</p>',
            [("Mexican Institute of Social Security", "Mexican Social Security Institute", "glossary")],
            '<p>The <a href="/i">Mexican Social Security Institute</a> said.</p>',
            id="link-keeps-the-rewritten-name",
        ),
        pytest.param(
            "<div><p>Body text here.</p><p>Comparte esta nota</p>\n<p>More body.</p></div>",
            [("Comparte esta nota\n\n", "", "boilerplate")],
            "<div><p>Body text here.</p>\n<p>More body.</p></div>",
            id="whole-paragraph-removes-the-element",
        ),
        pytest.param(
            '<div><p>Body text.</p><ul class="s"><li><a href="#">Facebook</a></li></ul></div>',
            [("\n\nFacebook", "", "boilerplate")],
            "<div><p>Body text.</p></div>",
            id="emptied-container-goes-too",
        ),
        pytest.param(
            "<p>The clinic opened. Lee también: otra nota</p>",
            [(" Lee también: otra nota", "", "boilerplate")],
            "<p>The clinic opened.</p>",
            id="part-of-a-paragraph-removes-text",
        ),
        pytest.param(
            "<p>The clinic opened.<br>Síguenos en Facebook<br>It has 40 beds.</p>",
            [("Síguenos en Facebook\n\n", "", "boilerplate")],
            "<p>The clinic opened.<br>It has 40 beds.</p>",
            id="line-after-a-br-goes-with-its-br",
        ),
        pytest.param(
            "<p>Síguenos en Facebook<br>The clinic opened.</p>",
            [("Síguenos en Facebook\n\n", "", "boilerplate")],
            "<p>The clinic opened.</p>",
            id="first-line-goes-with-the-br-after-it",
        ),
        pytest.param(
            "<p>Dr. Herrera FloresHe said so.</p>",
            [("FloresHe", "Flores He", "glue")],
            "<p>Dr. Herrera Flores He said so.</p>",
            id="insertion",
        ),
        pytest.param(
            "<p>The staff\n   .  was paid.</p>",
            [("staff .", "staff.", "whitespace")],
            "<p>The staff.  was paid.</p>",
            id="collapsed-whitespace-run",
        ),
        pytest.param(
            '<figure><img src="a.jpg"><figcaption>Síguenos</figcaption></figure>',
            [("Síguenos\n", "", "boilerplate")],
            '<figure><img src="a.jpg"></figure>',
            id="figure-keeps-its-image",
        ),
        pytest.param(
            "<table><tr><td>Compartir</td><td>4 mil 2</td></tr></table>",
            [("Compartir\n\n", "", "boilerplate")],
            "<table><tr><td></td><td>4 mil 2</td></tr></table>",
            id="table-cell-keeps-the-grid",
        ),
    ],
)
def test_edit_placement(body: str, edits: list[tuple[str, str, str]], expected: str) -> None:
    page = _page_after(f"<html><body>{body}</body></html>", edits)
    out = serialize(page, ends_with_newline=False)
    assert out == f"<html><body>{expected}</body></html>"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        pytest.param("<p>One <a href='/x'>link</a> <em>inside</em>.</p>", "One link inside.\n", id="inline-joins"),
        pytest.param("<p>Line one<br>line two</p>", "Line one\n\nline two\n", id="br-breaks"),
        pytest.param("<div>Loose<p>inner</p>tail</div>", "Loose\n\ninner\n\ntail\n", id="loose-text"),
        pytest.param("<p>4&nbsp;158 and  \n two</p>", "4\u00a0158 and two\n", id="html-whitespace-only"),
        pytest.param("<p>One</p><p>&nbsp;</p><p>Two</p>", "One\n\nTwo\n", id="nbsp-spacer-paragraph"),
        pytest.param("<p>Kept</p><p hidden>Gone</p><p aria-hidden='true'>Gone</p>", "Kept\n", id="hidden"),
        pytest.param("<nav>Inicio</nav><p>Text</p><aside>Más</aside><form>Buscar</form>", "Text\n", id="chrome"),
        pytest.param("<header>Site</header><article><header><h1>Head</h1></header><p>Body</p></article>", "Head\n\nBody\n", id="article-header-kept"),
        pytest.param("<!-- note --><p>Te<!-- x -->xt</p>", "Text\n", id="comments"),
        pytest.param("<p>Chrome</p><div><div class='t'><h1>Head</h1></div><article><p>Body</p></article></div>", "Head\n\nBody\n", id="headline-above-the-article"),
        pytest.param("<article><p>Teaser</p></article><main><p>Body</p></main>", "Body\n", id="main-first"),
        pytest.param("<p>Text</p><div class='widget_recent_entries'>Lo último</div><div id='comments'>Deja</div>", "Text\n", id="widget-words"),
        pytest.param("<div class='content has-sidebar'><h1>Head</h1><p>Body</p></div>", "Head\n\nBody\n", id="widget-word-on-the-article-wrapper"),
        pytest.param("<p class='address'>Av. Reforma 476</p>", "Av. Reforma 476\n", id="word-not-substring"),
    ],
)
def test_extracted_text(markup: str, text: str) -> None:
    assert read_page(f"<html><body>{markup}</body></html>").text == text


def test_a_control_character_lxml_cannot_write_back_is_dropped_from_an_edited_node() -> None:
    page = _page_after("<html><body><p>It hired\x1b 4 mil 2 doctors.</p></body></html>", [("4 mil 2", "4,002", "number")])
    assert "<p>It hired 4,002 doctors.</p>" in serialize(page)


def test_element_paths_index_same_named_siblings() -> None:
    page = read_page("<html><body><div><p>a</p><p>b</p><h2>c</h2></div></body></html>")
    assert [element_path(b.element) for b in page.blocks] == ["html/body/div/p[1]", "html/body/div/p[2]", "html/body/div/h2"]


def test_deeply_nested_page_round_trips() -> None:
    body = "<div>" * 1000 + "<p>It hired 4 mil 158 doctors.</p>" + "</div>" * 1000
    page = _page_after(f"<html><body>{body}</body></html>", [("4 mil 158", "4,158", "number")])
    assert page.text.strip() == "It hired 4 mil 158 doctors."
    assert "<p>It hired 4,158 doctors.</p>" in serialize(page)


def test_doctype_only_when_the_page_has_one() -> None:
    assert not serialize(read_page("<html><body><p>x</p></body></html>")).startswith("<!DOCTYPE")
    legacy = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">'
    assert serialize(read_page(legacy + "\n<html><body><p>x</p></body></html>")).startswith(legacy)


def test_charset_is_labelled_as_the_utf8_written() -> None:
    page = read_page('<html><head><meta charset="windows-1252"></head><body><p>x</p></body></html>')
    assert '<meta charset="utf-8">' in serialize(page)


def test_xhtml_keeps_its_declaration_doctype_and_namespace() -> None:
    xhtml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>'
        "<body><p>It hired 4 mil 158 doctors.<br/>Second line</p></body></html>\n"
    )
    page = _page_after(xhtml, [("4 mil 158", "4,158", "number")])
    out = serialize(page)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC')
    root = etree.fromstring(out.split("\n", 2)[2].encode())
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    assert "<p>It hired 4,158 doctors.<br/>Second line</p>" in out
    assert "http-equiv" not in out
    assert [element_path(b.element) for b in page.blocks] == ["html/body/p", "html/body/p"]


def test_xhtml_entities_are_neither_expanded_nor_fetched() -> None:
    """An internal-subset entity bomb and an external entity stay references: nothing is
    expanded into the text, nothing read from disk, and the page comes back as it was."""
    xhtml = (
        '<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>The IMSS &b; hired &ext; doctors.</p></body></html>'
    )
    page = read_page(xhtml)
    assert page.text == "The IMSS hired doctors.\n"
    out = serialize(page)
    assert "<p>The IMSS &b; hired &ext; doctors.</p>" in out and "root:" not in out


def test_a_page_without_text_is_one_clear_error(tmp_path: Path) -> None:
    from mtrepair.errors import InputError

    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Inicio</nav><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.html: HTML page has no readable text"):
        read_source(Source(str(path), path.name))


# ---- through the real CLI ----------------------------------------------------------------------


def test_clean_writes_the_page_back_as_html(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("clean", str(page), "-o", str(out), "--report", str(tmp_path / "r.jsonl"))
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["page.html"]
    html = (out / "page.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<em>4,158</em>" in html and "<em>IMSS-Bienestar</em>" in html
    assert '<a href="https://www.imss.gob.mx/prensa" title="IMSS press room">Mexican Social Security Institute</a>' in html
    [doc] = read_source(Source(str(page), page.name))
    rows = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and all(doc.text[r["start"] : r["end"]] == r["before"] for r in rows)
    again = tmp_path / "again"
    proc = run_cli("clean", str(out / "page.html"), "-o", str(again), "--report", str(tmp_path / "r2.jsonl"))
    assert proc.returncode == 0, proc.stderr.decode()
    assert (again / "page.html").read_text(encoding="utf-8") == html


# ---- real articles as pages: inline markup changes nothing the pipeline sees ------------------

REAL = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "dev" / "real" / "articles").glob("*.txt"))
_INLINE = ('<a href="/tema/{n}">', "</a>"), ("<em>", "</em>"), ('<strong class="k">', "</strong>")


def _as_page(text: str) -> tuple[str, str]:
    """The article as a page: each line a <p>, every fifth word wrapped in a link or emphasis
    (so sentences, numbers and Spanish spans cross inline markup); and the text it must read as."""
    paragraphs = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    body = []
    for p in paragraphs:
        words = [html.escape(w, quote=False) for w in p.split(" ")]
        for k in range(2, len(words), 5):
            opening, closing = _INLINE[k % 3]
            words[k] = opening.format(n=k) + words[k] + closing
        body.append(f"<p>{' '.join(words)}</p>")
    page = "<!DOCTYPE html>\n<html><head><title>t</title></head><body><article>\n" + "\n".join(body) + "\n</article></body></html>\n"
    return page, "\n\n".join(paragraphs) + "\n"


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name[:12]) for p in REAL])
def test_real_article_as_a_page_round_trips(pipeline: Pipeline, path: Path) -> None:
    page, expected = _as_page(path.read_text(encoding="utf-8"))
    doc = _doc(page, path.name)
    assert doc.text == expected
    result = repair_document(doc, pipeline)
    edits = locate_edits(doc, result.edits)
    out = render_page(doc, edits)
    # every repair is in the page: it reads back as the repaired text
    assert read_page(out).text.split() == result.text.split()
    tree = _tree(page).getroottree()
    for e in edits:
        [element] = tree.xpath("/" + e.path)
        assert " ".join(e.before.split()) in " ".join(element.text_content().split())
    # links keep their targets: each surviving <a> is one of the page's
    hrefs = [a.get("href") for a in _tree(page).iter("a")]
    assert all(a.get("href") in hrefs for a in _tree(out).iter("a"))


DATED = """<!DOCTYPE html>
<html><head><title>IMSS</title></head><body><article>
<p>Martes, 5 de marzo de 2024 | 10:32</p>
<h1>IMSS hires <em>4 mil 158</em> doctors</h1>
<p>The <a href="/imss">IMSS</a> hired 4 mil 158 doctors for the rural clinics of the state.</p>
</article></body></html>
"""


def test_a_page_with_a_date_bar_keeps_its_markup(tmp_path: Path) -> None:
    page = tmp_path / "dated.html"
    page.write_text(DATED, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("clean", str(page), "-o", str(out), "--engine", "none")
    assert proc.returncode == 0, proc.stderr.decode()
    html_out = (out / "dated.html").read_text(encoding="utf-8")
    assert '<h1>IMSS hires <em>4,158</em> doctors</h1>' in html_out and '<a href="/imss">IMSS</a>' in html_out
    assert "Martes" not in html_out


def test_the_cli_report_names_each_edits_element(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    report = tmp_path / "r.jsonl"
    proc = run_cli("clean", str(page), "-o", str(tmp_path / "out"), "--engine", "none", "--report", str(report))
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    paths = {(r["before"], r.get("path")) for r in rows}
    assert ("IMSS-Wellness", "html/body/main/article/p[1]/em") in paths
    assert all(r.get("path", "").startswith("html/body/main/article/") for r in rows)


# ---- any page, any edits inside its paragraphs: the page reads back as the edited text ----------

_MARKUP = (
    "<p>", "</p>", "<div>", "</div>", "<br>", "<em>", "</em>", "<a href='x'>", "</a>", "<!-- c -->", "&amp;",
    "&nbsp;", "<nav>n</nav>", " ", "\n  ", "<li>", "<h1>", "</h1>", "<span>", "</span>", "<img src=i>",
    "<strong>", "</strong>", "<script>s()</script>", "<td>",
)  # fmt: skip
_PIECES = st.one_of(st.sampled_from(_MARKUP), st.text(alphabet="abcXY .,é", min_size=1, max_size=6))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40), st.data())
def test_edited_page_reads_back_as_the_edited_text(pieces: list[str], data: st.DataObject) -> None:
    try:
        page = read_page("<html><body>" + "".join(pieces))
    except PageError:
        return
    text = page.text
    edits = []
    for block in page.blocks:
        if not data.draw(st.booleans()):
            continue
        a = data.draw(st.integers(block.start, block.end))
        b = data.draw(st.integers(a, block.end))
        after = data.draw(st.sampled_from(["", "Q", "new text", " ", "bQ", "a"]))
        if (a, b, after) == (block.start, block.end, "") and b < len(text) - 1:
            b += 2  # as the boilerplate stage removes a line: with the blank line after it
        kind: EditKind = "boilerplate" if after == "" else "glossary"
        edits.append(Edit(a, b, text[a:b], after, kind, "test:fuzz"))
    apply_to_page(page, edits)
    wanted = apply_edits(text, edits)
    if not wanted.strip():
        return  # everything deleted: a page with no article text is an input error, not a page
    assert read_page(serialize(page)).text.split() == wanted.split()
