"""HTML in, HTML out: a page's text nodes are the article text the pipeline repairs.

Reading a page (``read_page``) walks its tree with lxml and builds the extracted
text the rest of the program sees (``Document.text``): one paragraph per block
element (p, h1, li, figcaption, …), paragraphs separated by a blank line, as in
the plain-text articles, so boilerplate detection and segmentation see the same
shape for every format. Inline markup (a, em, strong, span) does not break a
paragraph: its text is the block's text content, so "4 mil <em>158</em>" is one
number to the detectors. HTML's own whitespace rule applies: runs of ASCII
whitespace read as one space (a no-break space is a character, not a gap).

While walking, every character of the extracted text remembers the text node
(an element's ``text`` or ``tail``) and the offsets in that node it came from.
Writing (``render_page``) parses the original markup again (same input, same
walk, same map), puts each applied edit back into the text nodes and serializes
the tree with lxml: tags, attributes, links, figures, scripts and the doctype
are left as they were. Report offsets stay offsets into the extracted text;
``locate_edits`` adds each edit's element path (``html/body/article/p[3]``).

Choices, each tested in tests/test_html_roundtrip.py:

* An edit is first trimmed to what it changes: the common prefix and suffix of
  ``before`` and ``after``, cut between words only, stay where they are. So
  "4 mil <em>158</em>" → "4,158" only rewrites the " mil " in the paragraph's
  own text and the ``<em>`` keeps "158".
* What is left of an edit that still spans several text nodes goes into the
  first node; the covered text is removed from the others, and an inline
  element (em, strong, a, span) left with no text at all goes with it. A
  translation cannot be split at node boundaries: the engine rewrites the
  sentence, so no alignment of its words to the old nodes exists.
* A boilerplate deletion that covers a whole block whose element holds nothing
  else (``<p>Leave a Reply</p>``, ``<li><a>Facebook</a></li>``) removes the
  element, and then any container it leaves empty (the share bar's ``<ul>``);
  other deletions remove the text only (a teaser at the end of a paragraph),
  and a line set off by ``<br>`` takes its ``<br>`` with it. The element the
  text is read from (the ``article``) is never removed.
* Page chrome outside the article (``nav``, ``aside``, forms, and a ``header``
  or ``footer`` that is not inside ``article``/``main``) is not article text: it
  is neither extracted nor changed, like scripts and styles; so is a widget
  known by its class or id words (``sidebar``, ``share``, ``comments``). Chrome
  lines inside the article are the boilerplate stage's, as for every format.
  The article is ``main``, else the largest ``article`` (with the ``h1`` above
  it when the theme puts the headline outside), else the body.

The parser is hardened: lxml's HTML parser never loads a DTD, resolves no
external entity and touches no network (``no_network``); ``huge_tree`` lifts
libxml2's depth limit of 256, past which it silently dropped the deeper text
of a deeply nested page. An XHTML file with an XML declaration is read with an
XML parser (entities, DTD loading and network off) so the declaration and the
namespaces come back as they were; if it is not well-formed XML it is read as
HTML.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree

from .model import Document, Edit

# Elements that end the paragraph before them and start a new one (HTML's block-level
# and table elements). ``br`` and ``hr`` too: scraped pages use <br> between lines of a
# paragraph-less body, and each such line is its own line for the boilerplate stage.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "ul",
    }
)  # fmt: skip

# Elements whose text is never article text: code, styles, embedded documents, form controls.
INVISIBLE_TAGS = frozenset(
    {
        "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "select", "option", "textarea", "button", "audio", "video", "map",
    }
)  # fmt: skip

# Page chrome: the site's frame around the article, not article text.
CHROME_TAGS = frozenset({"nav", "aside", "form", "dialog"})
# header/footer are chrome for the page, and part of the article inside an article
# (the article's own header holds its h1).
CHROME_OUTSIDE_ARTICLE = frozenset({"header", "footer"})
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
ARTICLE_TAGS = frozenset({"article", "main"})
# Class and id words of page widgets: the unambiguous part of the "unlikely candidate"
# family that readability-style extractors use (WordPress "sharedaddy", "jp-relatedposts",
# "comments-area", "widget_recent_entries"; news sites' "social-share", "newsletter-signup").
# A word, not a substring: "shared" in "sharedaddy" is its own entry, "adress" is no "ad".
CHROME_WORDS = frozenset(
    {
        "ad", "ads", "adsense", "advert", "advertisement", "advertising", "banner", "branding", "breadcrumb",
        "breadcrumbs", "byline", "colophon", "comment", "comments", "consent", "cookie", "cookies", "disqus",
        "footer", "gdpr", "header", "masthead", "menu", "meta", "modal", "nav", "navbar", "navigation",
        "newsletter", "pager", "pagination", "popup", "promo", "related", "relatedposts", "respond", "share",
        "sharedaddy", "sharing", "sidebar", "social", "sponsor", "sponsored", "subscribe", "subscription",
        "tags", "toolbar", "widget", "widgets",
    }
)  # fmt: skip
_WORD_SPLIT = re.compile(r"[\s_\-]+")
NEVER_WIDGET = frozenset({"html", "body", "main", "article", "h1"})
_HOLDS_ARTICLE = frozenset({"h1", "article", "main"})

# A whole-block deletion removes the element only when it holds no media (a figure's
# image outlives its caption) and only when the element is not part of a table's grid.
MEDIA_TAGS = ("img", "picture", "video", "audio", "iframe", "object", "embed", "svg", "canvas", "source")
KEEP_STRUCTURE = frozenset({"html", "body", "head", "table", "thead", "tbody", "tfoot", "tr", "td", "th"})

# Inline elements an edit may leave without text; an empty one is removed with its text
# (an edit that spans several text nodes writes its new text into the first one).
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark",
     "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
)  # fmt: skip

# HTML collapses ASCII whitespace only; U+00A0 (&nbsp;) is a character.
_HTML_SPACE = frozenset(" \t\n\r\f")
_XML_DECL = re.compile(r"\A\s{0,100}<\?xml\b[^>]{0,200}\?>")
# The doctype is written back as the page spelled it (lxml would lower-case "HTML").
_DOCTYPE = re.compile(r"<!doctype\s[^>\[]{0,1000}>", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHARSET = re.compile(r"(charset\s*=\s*)([\w.:-]{1,40})", re.IGNORECASE)

# Where a page states its metadata, best first (Open Graph, then HTML's own elements).
# (local-name() so that the same paths read an XHTML page's namespaced elements.)
_META = "//*[local-name()='meta']"
TITLE_SOURCES = (f"{_META}[@property='og:title']/@content", "//*[local-name()='title']", "//*[local-name()='h1']")
DATE_SOURCES = (
    f"{_META}[@property='article:published_time']/@content",
    f"{_META}[@name='date' or @name='pubdate' or @itemprop='datePublished']/@content",
    "//*[local-name()='time'][@datetime]/@datetime",
)
URL_SOURCES = ("//*[local-name()='link'][@rel='canonical']/@href", f"{_META}[@property='og:url']/@content")


class PageError(ValueError):
    """The page has no readable text, or cannot be parsed at all."""


@dataclass(frozen=True, slots=True)
class _Node:
    """One text node: ``element.text`` (tail False) or ``element.tail`` (tail True)."""

    element: Any
    tail: bool

    def get(self) -> str:
        return (self.element.tail if self.tail else self.element.text) or ""

    def set(self, value: str) -> None:
        try:
            self._set(value)
        except ValueError:
            # lxml reads a control character in HTML text ("\x1b") but refuses to write one
            # back; it was never displayable text, so it goes.
            self._set(_NOT_XML.sub("", value))

    def _set(self, value: str) -> None:
        if self.tail:
            self.element.tail = value
        else:
            self.element.text = value

    @property
    def owner(self) -> Any:
        """The element the text is inside of (a tail is inside its element's parent)."""
        return self.element.getparent() if self.tail else self.element


@dataclass(frozen=True, slots=True)
class _Block:
    """One paragraph of the extracted text and the block element it came from."""

    start: int
    end: int
    element: Any
    whole: bool  # the paragraph is all the text of ``element``: deleting it may delete the element


@dataclass(slots=True)
class Page:
    """A parsed page, its extracted text, and the map from that text back to text nodes.

    ``node_of[i]`` is the index in ``nodes`` of the node character ``i`` came from (-1
    for the blank lines between paragraphs), ``node_start[i]:node_end[i]`` its extent in
    that node (a collapsed whitespace run stands for the whole run). A run that crosses
    nodes also lists its other parts in ``extra``.
    """

    tree: Any
    xml_declaration: str  # for XHTML read as XML: the declaration, written back before the tree
    doctype: str  # as the page wrote it; "" for none
    text: str = ""
    nodes: list[_Node] = field(default_factory=list)
    node_of: array[int] = field(default_factory=lambda: array("i"))
    node_start: array[int] = field(default_factory=lambda: array("i"))
    node_end: array[int] = field(default_factory=lambda: array("i"))
    extra: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    blocks: list[_Block] = field(default_factory=list)
    root: Any = None  # the element the text was read from: never removed, or the next read would differ
    _ends: list[int] | None = None

    def blocks_between(self, start: int, end: int) -> list[_Block]:
        """The paragraphs that overlap ``[start, end)`` (found by bisection: a page can hold
        thousands of paragraphs and an edit list as many edits)."""
        if self._ends is None:
            self._ends = [b.end for b in self.blocks]
        first = bisect.bisect_right(self._ends, start)
        out = []
        for block in self.blocks[first:]:
            if block.start >= end:
                break
            out.append(block)
        return out

    def meta(self, sources: Sequence[str]) -> str | None:
        for xpath in sources:
            for hit in self.tree.xpath(xpath):
                value = " ".join((hit if isinstance(hit, str) else _text_content(hit)).split())
                if value:
                    return value
        return None


# ---- reading ---------------------------------------------------------------------------------


def read_page(markup: str) -> Page:
    """Parse ``markup`` and extract its article text with the map back to the nodes.

    Raises PageError for a page with no readable text.
    """
    page = _parse(markup)
    root = _article_root(page.tree.getroot())
    _extract(page, root)
    if not page.text.strip() and root is not page.tree.getroot():
        page = _parse(markup)  # the article element was empty: read the whole page instead
        _extract(page, page.tree.getroot())
    if not page.text.strip():
        raise PageError("HTML page has no readable text")
    return page


def page_metadata(page: Page) -> dict[str, str | None]:
    """Title, date (YYYY-MM-DD) and URL as the page states them."""
    date = page.meta(DATE_SOURCES)
    found = _ISO_DATE.search(date) if date else None
    return {"title": page.meta(TITLE_SOURCES), "date": found.group(0) if found else None, "url": page.meta(URL_SOURCES)}


def _parse(markup: str) -> Page:
    declaration = _XML_DECL.match(markup)
    if declaration:
        # The doctype is kept as text and left out of the parse: libxml2 writes a DTD-declared
        # XHTML tree back with a <meta http-equiv> it adds itself.
        rest = markup[declaration.end() :]
        doctype = _XML_DOCTYPE.match(rest)
        body = rest[doctype.end() :] if doctype else rest
        xml_parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False
        )
        try:
            tree = etree.fromstring(body.encode("utf-8"), xml_parser).getroottree()
        except etree.XMLSyntaxError:
            markup = rest  # not well-formed XHTML: read it as HTML
        else:
            prolog = _CHARSET_IN_DECL.sub(r"\1UTF-8\2", declaration.group(0).strip())
            return Page(tree=tree, xml_declaration=prolog, doctype=doctype.group(0).strip() if doctype else "")
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True, default_doctype=False)
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise PageError(f"HTML page cannot be parsed ({exc})") from None
    found = _DOCTYPE.search(markup[:4096])
    return Page(tree=root.getroottree(), xml_declaration="", doctype=found.group(0) if found else "")


_XML_DOCTYPE = re.compile(r"\s{0,100}<!DOCTYPE\s[^>\[]{0,1000}>", re.IGNORECASE)
_CHARSET_IN_DECL = re.compile(r"""(encoding\s*=\s*["'])[\w.:-]{1,40}(["'])""", re.IGNORECASE)


def _tag(element: Any) -> str:
    """Lower-case local name; '' for comments, processing instructions and entities."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _text_content(element: Any) -> str:
    return "".join(element.itertext())


def _article_root(root: Any) -> Any:
    """Where the article is: ``main``, else the ``article`` with the most text, else the whole page.

    A theme that puts the headline above the ``article`` (``<div class="title"><h1>``, then
    ``<article>`` with the body) would lose it: then the article and the headline before it
    are read from their nearest common ancestor."""
    order: dict[Any, int] = {}
    candidates: list[Any] = []
    headlines: list[Any] = []
    for index, el in enumerate(root.iter()):
        order[el] = index
        tag = _tag(el)
        if tag in ARTICLE_TAGS or tag == "h1":
            visible = not _skipped(el) and not any(_skipped(a) for a in el.iterancestors())
            if visible:
                (headlines if tag == "h1" else candidates).append(el)
    mains = [el for el in candidates if _tag(el) == "main"]
    if mains:
        chosen = mains[0]
    elif candidates:
        chosen = max(candidates, key=lambda el: len(" ".join(_text_content(el).split())))
    else:
        return root
    if not any(_tag(d) == "h1" for d in chosen.iterdescendants()):
        before = [h for h in headlines if order[h] < order[chosen]]
        if before:
            return _common_ancestor([before[-1], chosen])
    return chosen


def _skipped(element: Any) -> bool:
    """Never article text: invisible elements, hidden ones, and the page's chrome."""
    tag = _tag(element)
    if not tag or tag in INVISIBLE_TAGS or tag in CHROME_TAGS:
        return True
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").lower() == "true":
        return True
    if (element.get("role") or "").lower() in CHROME_ROLES:
        return True
    if tag in CHROME_OUTSIDE_ARTICLE:
        return not any(_tag(a) in ARTICLE_TAGS for a in element.iterancestors())
    return _widget(element, tag)


def _widget(element: Any, tag: str) -> bool:
    """A page widget by its class or id words ("sidebar", "share-buttons", "comments-area",
    "entry-meta"), unless it holds the article: a word on a wrapper ("site-content has-sidebar",
    "entry-header") must not hide the article, so an element with an h1, an article or main
    inside is never one. Widgets are kept in the page as they are, like the nav."""
    if tag in NEVER_WIDGET or tag not in BLOCK_TAGS:
        return False  # an inline element is part of its sentence: "On <span class="date">Monday</span>"
    words = _WORD_SPLIT.split(f"{element.get('class') or ''} {element.get('id') or ''}".lower())
    if CHROME_WORDS.isdisjoint(words):
        return False
    return not any(_tag(d) in _HOLDS_ARTICLE for d in element.iterdescendants())


class _Builder:
    """Collects a page's text nodes into paragraphs and the character map (see ``Page``)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.chunks: list[str] = []
        self.length = 0
        # the paragraph being read: (node index, node text) pieces
        self.pieces: list[tuple[int, str]] = []
        self.opened_by: Any = None  # the block element whose opening started this paragraph
        self.open_blocks: list[Any] = []

    def add(self, node: _Node) -> None:
        value = node.get()
        if value:
            self.page.nodes.append(node)
            self.pieces.append((len(self.page.nodes) - 1, value))

    def open(self, element: Any) -> None:
        self.close_paragraph(None)
        self.opened_by = element
        self.open_blocks.append(element)

    def close(self, element: Any) -> None:
        self.close_paragraph(element)
        self.open_blocks.pop()
        self.opened_by = None

    def close_paragraph(self, closing: Any) -> None:
        """End the paragraph: collapse its whitespace and append it, mapped, to the text.

        Works on runs (text with single spaces, and gaps) rather than characters, so the map
        of a large page is filled by C-level extends."""
        pieces, self.pieces = self.pieces, []
        opened_by, self.opened_by = self.opened_by, None
        runs: list[_Run] = []
        for node, value in pieces:
            pos = 0
            for m in _GAP.finditer(value):
                a, b = m.span()
                if a > pos:
                    runs.append(_Run(False, node, pos, a, value[pos:a]))
                if runs and runs[-1].space:
                    runs[-1].more.append((node, a, b))  # one gap across nodes: "IMSS</a> said"
                else:
                    runs.append(_Run(True, node, a, b, " "))
                pos = b
            if pos < len(value):
                runs.append(_Run(False, node, pos, len(value), value[pos:]))
        # leading and trailing whitespace is not text (it stays in the page, unmapped)
        lo, hi = 0, len(runs)
        while lo < hi and runs[lo].space:
            lo += 1
        while hi > lo and runs[hi - 1].space:
            hi -= 1
        if lo == hi or not "".join(run.text for run in runs[lo:hi]).strip():
            return  # no text, or only no-break spaces (WordPress's <p>&nbsp;</p> spacers)
        page = self.page
        if self.length:
            self._emit("\n\n", -1, array("i", (0, 0)), array("i", (0, 0)))
        start = self.length
        for run in runs[lo:hi]:
            if run.space:
                if run.more:
                    page.extra[self.length] = run.more
                self._emit(" ", run.node, array("i", (run.start,)), array("i", (run.end,)))
            else:
                starts = array("i", range(run.start, run.end))
                self._emit(run.text, run.node, starts, array("i", range(run.start + 1, run.end + 1)))
        element = self.open_blocks[-1] if self.open_blocks else None
        whole = opened_by is not None and opened_by is closing
        page.blocks.append(_Block(start, self.length, element, whole))

    def _emit(self, text: str, node: int, starts: array[int], ends: array[int]) -> None:
        self.chunks.append(text)
        self.length += len(text)
        self.page.node_of.extend(array("i", (node,)) * len(text))
        self.page.node_start.extend(starts)
        self.page.node_end.extend(ends)


@dataclass(slots=True)
class _Run:
    """A run of a paragraph's text: text (words and single spaces), or a gap read as one space."""

    space: bool
    node: int
    start: int
    end: int
    text: str
    more: list[tuple[int, int, int]] = field(default_factory=list)  # a gap's parts in later nodes


# What HTML collapses to one space: a run of two or more, any other whitespace character, and a
# space at either end of a node (it may meet a gap in the next node). A single space between
# words maps to itself and stays inside its text run.
_GAP = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]|\A | \Z")


def _extract(page: Page, root: Any) -> None:
    """Walk ``root`` in document order without recursion (pages nest thousands deep)."""
    page.root = root
    builder = _Builder(page)
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            if _tag(element) in BLOCK_TAGS:
                builder.close(element)
            if element is not root:
                builder.add(_Node(element, True))
            continue
        if _skipped(element):
            if element is not root:
                builder.add(_Node(element, True))
            continue
        if _tag(element) in BLOCK_TAGS:
            builder.open(element)
        builder.add(_Node(element, False))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    builder.close_paragraph(None)
    if builder.length:
        builder.chunks.append("\n")
        page.node_of.append(-1)
        page.node_start.append(0)
        page.node_end.append(0)
    page.text = "".join(builder.chunks)


# ---- edits back into the page ------------------------------------------------------------------


def trim_edit(edit: Edit) -> tuple[int, int, str]:
    """The part of an edit that changes something: (start, end, after) without the common
    prefix and suffix of ``before`` and ``after``, cut only between words: "right holders" →
    "beneficiaries" shares a final "s", and keeping it would leave "<strong>beneficiarie</strong>s"
    (dev/real 09 as a page)."""
    before, after = edit.before, edit.after
    limit = min(len(before), len(after))
    p = 0
    while p < limit and before[p] == after[p]:
        p += 1
    while p > 0 and not (_word_cut(before, p) and _word_cut(after, p)):
        p -= 1
    s = 0
    while s < limit - p and before[len(before) - 1 - s] == after[len(after) - 1 - s]:
        s += 1
    while s > 0 and not (_word_cut(before, len(before) - s) and _word_cut(after, len(after) - s)):
        s -= 1
    return edit.start + p, edit.end - s, after[p : len(after) - s]


def _word_cut(text: str, i: int) -> bool:
    """Cutting ``text`` at ``i`` splits no word."""
    return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())


def _node_ranges(page: Page, start: int, end: int) -> list[tuple[int, int, int]]:
    """The (node, start, end) extents the extracted text ``[start, end)`` stands for, merged per node."""
    ranges: dict[int, list[int]] = {}
    order: list[int] = []
    for i in range(start, end):
        parts = [(page.node_of[i], page.node_start[i], page.node_end[i]), *page.extra.get(i, ())]
        for node, s, e in parts:
            if node < 0:
                continue
            if node not in ranges:
                ranges[node] = [s, e]
                order.append(node)
            else:
                ranges[node][0] = min(ranges[node][0], s)
                ranges[node][1] = max(ranges[node][1], e)
    return [(n, ranges[n][0], ranges[n][1]) for n in order]


def _insertion_point(page: Page, pos: int) -> tuple[int, int] | None:
    """The node and offset where text inserted at extracted offset ``pos`` goes."""
    if pos < len(page.text) and page.node_of[pos] >= 0:
        return page.node_of[pos], page.node_start[pos]
    if pos > 0 and page.node_of[pos - 1] >= 0:
        return page.node_of[pos - 1], page.node_end[pos - 1]
    return None


def _removable(page: Page, block: _Block) -> bool:
    el = block.element
    if el is None or not block.whole or _tag(el) in KEEP_STRUCTURE or el.getparent() is None or el is page.root:
        return False
    return not any(_tag(d) in MEDIA_TAGS for d in el.iter())


def apply_to_page(page: Page, edits: Iterable[Edit]) -> None:
    """Put the applied edits into the page's text nodes (see the module docstring)."""
    ops: list[tuple[int, int, int, str]] = []  # node, start, end, replacement
    drop: list[Any] = []
    for edit in sorted((e for e in edits if e.applied), key=lambda e: (e.start, e.end)):
        start, end, after = trim_edit(edit)
        if start == end:
            point = _insertion_point(page, start)
            if point is not None and after:
                ops.append((point[0], point[1], point[1], after))
            continue
        placed = not after
        for block in page.blocks_between(start, end):
            lo, hi = max(start, block.start), min(end, block.end)
            whole_block = lo == block.start and hi == block.end
            if not placed or not whole_block or not _removable(page, block):
                ranges = _node_ranges(page, lo, hi)
                for k, (node, s, e) in enumerate(ranges):
                    ops.append((node, s, e, after if k == 0 and not placed else ""))
                if placed and whole_block and ranges:
                    drop.extend(_line_break(page, ranges))
                placed = placed or bool(ranges)
            else:
                drop.append(block.element)
        if not placed:  # the edit covers only the blank lines between paragraphs
            point = _insertion_point(page, start)
            if point is not None:
                ops.append((point[0], point[1], point[1], after))
    by_node: dict[int, list[tuple[int, int, str]]] = {}
    for node, s, e, value in ops:
        by_node.setdefault(node, []).append((s, e, value))
    for node, changes in by_node.items():
        value = page.nodes[node].get()
        for s, e, repl in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True):
            value = value[:s] + repl + value[e:]
        page.nodes[node].set(value)
        emptied = page.nodes[node].element
        if not page.nodes[node].tail and not value and len(emptied) == 0 and _tag(emptied) in INLINE_TAGS:
            drop.append(emptied)  # "19 <strong>thousand</strong> 964" → "19,964": no empty <strong> left
    for element in drop:
        _drop(element, page.root)


def _line_break(page: Page, ranges: Sequence[tuple[int, int, int]]) -> list[Any]:
    """The <br> that set off a line removed whole ("Body.<br>Síguenos en Facebook"): it goes
    with the line, so no empty line is left. The one before the line, else the one after."""
    first, last = page.nodes[ranges[0][0]], page.nodes[ranges[-1][0]]
    if first.tail and _tag(first.element) == "br":
        return [first.element]
    following = last.element.getnext() if last.tail else (last.element[0] if len(last.element) else None)
    return [following] if following is not None and _tag(following) == "br" else []


def _drop(element: Any, root: Any) -> None:
    """Remove an element (its tail stays), then each container it leaves empty, up to ``root``."""
    parent = element.getparent()
    if parent is None or element is root:
        return
    _drop_keep_tail(element)
    while (
        parent is not None
        and parent is not root
        and parent.getparent() is not None
        and _tag(parent) not in KEEP_STRUCTURE
        and len(parent) == 0
        and not (parent.text or "").strip()
        and not parent.attrib.get("id")  # an anchor target is structure, not chrome
    ):
        grand = parent.getparent()
        _drop_keep_tail(parent)
        parent = grand


def _drop_keep_tail(element: Any) -> None:
    """lxml.html's ``drop_tree`` for any element (XHTML trees have no such method)."""
    parent = element.getparent()
    previous = element.getprevious()
    before = (previous.tail if previous is not None else parent.text) or ""
    tail = element.tail or ""
    # Source layout around a removed line: one line break stays, not one per removed element.
    if tail and not (tail.strip(" \t\n\r\f") == "" and before[-1:] in _HTML_SPACE and before):
        if previous is not None:
            previous.tail = before + tail
        else:
            parent.text = before + tail
    parent.remove(element)


def serialize(page: Page, ends_with_newline: bool = True) -> str:
    """The page as markup: lxml's HTML (or XML for XHTML) serialization, doctype as read."""
    _label_utf8(page.tree.getroot())
    prolog = "".join(part + "\n" for part in (page.xml_declaration, page.doctype) if part)
    if page.xml_declaration:
        body = str(etree.tostring(page.tree, encoding="unicode"))
    else:
        import lxml.html

        # doctype="" keeps lxml from writing the parsed one (or one of its own); ours goes first
        body = str(lxml.html.tostring(page.tree, encoding="unicode", method="html", doctype=""))
    out = prolog + body.lstrip("\n")
    return out + "\n" if ends_with_newline and not out.endswith("\n") else out


def _label_utf8(root: Any) -> None:
    """The output is written as UTF-8: a charset declaration naming another encoding would
    make browsers misread it (a UTF-16 page with a BOM declares utf-16), so it says UTF-8."""
    for meta in root.iter("{*}meta", "meta"):
        if meta.get("charset") is not None and meta.get("charset", "").lower().replace("_", "-") != "utf-8":
            meta.set("charset", "utf-8")
        content = meta.get("content")
        if (meta.get("http-equiv") or "").lower() == "content-type" and content and _CHARSET.search(content):
            meta.set("content", _CHARSET.sub(r"\1utf-8", content))


# ---- the pipeline's side ---------------------------------------------------------------------


def render_page(document: Document, edits: Iterable[Edit]) -> str:
    """The document's original page with the applied edits in its text nodes.

    Raises ValueError if the markup no longer yields the document's text (the edits'
    offsets would point at the wrong characters).
    """
    if document.markup is None:
        raise ValueError(f"{document.doc_id}: no markup to render")
    page = read_page(document.markup)
    if page.text != document.text:
        raise ValueError(f"{document.doc_id}: the page's extracted text differs from the document's")
    apply_to_page(page, edits)
    return serialize(page, document.markup.endswith("\n"))


def element_path(element: Any) -> str:
    """``html/body/article/p[3]``: local names, with a 1-based index among same-named siblings
    where there are several (XPath's form, as lxml's ``getpath`` writes it for HTML)."""
    parts: list[str] = []
    current = element
    while current is not None:
        tag = _tag(current)
        parent = current.getparent()
        if parent is not None:
            same = [c for c in parent if _tag(c) == tag]
            parts.append(f"{tag}[{same.index(current) + 1}]" if len(same) > 1 else tag)
        else:
            parts.append(tag)
        current = parent
    return "/".join(reversed(parts))


def _common_ancestor(elements: Sequence[Any]) -> Any:
    chains = [[*reversed(list(el.iterancestors())), el] for el in elements]
    common = None
    for level in zip(*chains, strict=False):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def edit_element(page: Page, edit: Edit) -> Any:
    """The element an edit is about: the paragraphs' elements for an edit that covers whole
    paragraphs (a removed chrome line is its ``<li>``), else the innermost element holding all
    the text it covers (its node's element for a pure insertion)."""
    covered = [
        b
        for b in page.blocks_between(edit.start, edit.end)
        if edit.start <= b.start and b.end <= edit.end and b.element is not None
    ]
    if covered and all(b.whole for b in covered):
        return _common_ancestor([b.element for b in covered])
    owners = [page.nodes[n].owner for n, _s, _e in _node_ranges(page, edit.start, edit.end)]
    if not owners:
        point = _insertion_point(page, edit.start)
        if point is None and edit.start > 0:
            point = _insertion_point(page, edit.start - 1)
        if point is None:
            return None
        owners = [page.nodes[point[0]].owner]
    return _common_ancestor(owners)


def locate_edits(document: Document, edits: Sequence[Edit]) -> tuple[Edit, ...]:
    """The edits with ``path`` set to their element's path, for a document read from HTML;
    other documents' edits come back as they are."""
    if document.markup is None or not edits:
        return tuple(edits)
    page = read_page(document.markup)
    if page.text != document.text:
        return tuple(edits)
    out = []
    for edit in edits:
        element = edit_element(page, edit)
        out.append(replace(edit, path=element_path(element)) if element is not None else edit)
    return tuple(out)

