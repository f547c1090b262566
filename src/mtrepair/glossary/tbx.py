"""TBX import and export: TBX-Basic v3 (ISO 30042:2019, DCA style) and TBX v2 (``martif``,
ISO 30042:2008, what translate-toolkit and older CAT tools read) out; both in.

v3 is written in the namespace TBX-Basic's RELAX NG schema expects,
``urn:iso:std:iso:30042:ed-2`` (issue 11: the ``ed:3.0`` namespace of earlier exports
made the schema reject the file); reading ignores namespaces, so those exports still
import. v2 has the same structure under the old names (``termEntry``, ``langSet``,
``tig``) and no namespace.

One glossary entry is one ``conceptEntry``:

- ``term``: an ``es`` langSec holding the source, an ``en`` langSec holding the target;
- ``variant``: one ``en`` langSec holding the canonical target first, then the wrong
  rendering marked ``termType`` = ``variant`` and administrativeStatus
  ``deprecatedTerm-admn-sts`` (what TBX calls a term not to use);
- ``keep``: ``es`` and ``en`` langSecs holding the same string (a name reads the same
  in both languages, which is what keeping it means);
- ``family``: an ``es`` langSec holding the Spanish word, an ``en`` langSec holding each
  rendering marked ``termType`` = ``variant``, and a concept ``note``
  "mtrepair-kind: family" (TBX has no kind for "all of these render that word").

The entry's status is the administrativeStatus of the target (English) term:

    approved  ↔ preferredTerm-admn-sts
    proposed  ↔ admittedTerm-admn-sts     (also: no administrativeStatus, with --status)
    rejected  ↔ deprecatedTerm-admn-sts   (supersededTerm-admn-sts reads as rejected too)

``note`` is a ``note`` on the conceptEntry; ``author`` and ``updated`` are a
``transacGrp`` (modification, responsibility, date: TBX dates carry no time of day);
``case`` is a ``note`` "mtrepair-case: sensitive|insensitive" on the source termSec.
A TBX written by another tool maps the same way: per concept, the preferred English
term is the target, every Spanish term becomes a term entry (a keep entry where it
equals the target) and every deprecated, superseded or variant English term a variant.

mtrepair's glossary is Spanish → English: a file whose language codes hold no English,
or other languages but no Spanish, is refused with the codes it has (issue 11: a v2 file
in other languages imported 0 entries and exited 0). ``es-MX``, ``es_MX``, ``spa`` are
all Spanish.

The XML is untrusted: it is read with the project's hardened parser (``mtrepair.xmlparse``:
no entities, no DTD, no network, size limits); a DOCTYPE naming the TBX v2 DTD is allowed
but never loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..errors import GlossaryError
from ..xmlparse import local_name, parse_document
from .entry import Case, Entry, Kind, Status

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
"""TBX-Basic v3's namespace, as its RELAX NG schema declares it."""
TBX3_OLD_NS = "urn:iso:std:iso:30042:ed:3.0"
"""The namespace earlier mtrepair exports declared: read like any other."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_TO_ADMIN: dict[str, str] = {
    "approved": "preferredTerm-admn-sts",
    "proposed": "admittedTerm-admn-sts",
    "rejected": "deprecatedTerm-admn-sts",
}
ADMIN_TO_STATUS: dict[str, Status] = {
    "preferredterm-admn-sts": "approved",
    "admittedterm-admn-sts": "proposed",
    "deprecatedterm-admn-sts": "rejected",
    "supersededterm-admn-sts": "rejected",
}
_CASE_NOTE = re.compile(r"\s*mtrepair-case:\s*(sensitive|insensitive)\s*\Z")
_FAMILY_NOTE = "mtrepair-kind: family"
# ISO 639-2 codes some tools write instead of ISO 639-1.
_THREE_LETTER = {"spa": "es", "eng": "en"}
_DEFAULT_CASE: dict[str, Case] = {
    "term": "insensitive",
    "variant": "sensitive",
    "keep": "sensitive",
    "family": "insensitive",
}


# -- reading --------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Term:
    text: str
    status: Status | None = None
    variant: bool = False
    case: Case | None = None


@dataclass
class _Concept:
    id: str
    notes: list[str] = field(default_factory=list)
    author: str = ""
    date: str = ""
    langs: dict[str, list[_Term]] = field(default_factory=dict)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def parse_tbx(data: bytes, path: str) -> Any:
    """The root element of a TBX document, parsed without entities, DTDs or network."""
    return parse_document(data, path, GlossaryError)


def language(code: str) -> str:
    """``es-MX``, ``es_MX``, ``ES``, ``spa`` → ``es``."""
    primary = re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()
    return _THREE_LETTER.get(primary, primary)


def read_tbx(
    data: bytes, path: str, *, default_status: Status = "proposed", source_lang: str = "es", target_lang: str = "en"
) -> list[Entry]:
    """Entries from a TBX v3 (``tbx``) or v2 (``martif``) document."""
    root = parse_tbx(data, path)
    if local_name(root.tag) not in ("tbx", "martif"):
        raise GlossaryError(
            f"not a TBX file: the root element is <{local_name(root.tag)}>, expected <tbx> or <martif>", path=path
        )
    entries: list[Entry] = []
    codes: set[str] = set()
    for n, element in enumerate(root.iter(), start=1):
        if local_name(element.tag) in ("conceptEntry", "termEntry"):
            concept = _concept(element, f"c{n}", codes)
            entries.extend(_entries(concept, default_status, source_lang, target_lang))
    _check_languages(codes, path, source_lang, target_lang)
    return entries


def _check_languages(codes: set[str], path: str, source_lang: str, target_lang: str) -> None:
    """Refuse a term base in other languages, naming the codes it has.

    English alone is fine (a glossary of variants only has just English terms); anything
    else needs both Spanish and English.
    """
    if not codes:
        return
    found = {language(c) for c in codes}
    if target_lang in found and (source_lang in found or found == {target_lang}):
        return
    named = ", ".join(sorted(c or "(no xml:lang)" for c in codes)[:8])
    raise GlossaryError(
        f"language codes {named} do not match the glossary's ({source_lang}* → {target_lang}*): "
        "mtrepair imports Spanish → English term bases",
        path=path,
    )


def _concept(element: Any, fallback_id: str, codes: set[str]) -> _Concept:
    concept = _Concept(id=element.get("id") or fallback_id)
    for child in element:
        name = local_name(child.tag)
        if name == "note":
            text = _text(child)
            if text:
                concept.notes.append(text)
        elif name == "transacGrp":
            author, date = _transaction(child)
            concept.author = author or concept.author
            concept.date = date or concept.date
        elif name in ("langSec", "langSet"):
            code = child.get(XML_LANG) or child.get("lang") or ""
            codes.add(code)
            terms = concept.langs.setdefault(language(code), [])
            for term_group in child.iter():
                if local_name(term_group.tag) in ("termSec", "tig", "termGrp"):
                    term = _term(term_group)
                    if term is not None:
                        terms.append(term)
    return concept


def _transaction(group: Any) -> tuple[str, str]:
    author = date = ""
    for child in group:
        name = local_name(child.tag)
        if name == "transacNote" and child.get("type") == "responsibility":
            author = _text(child)
        elif name == "date":
            date = _text(child)
    return author, date


def _term(group: Any) -> _Term | None:
    text: str | None = None
    term = _Term("")
    for child in group.iter():
        name = local_name(child.tag)
        if name == "term" and text is None:
            text = _text(child)
        elif name == "termNote":
            kind, value = child.get("type"), _text(child)
            if kind == "administrativeStatus":
                term.status = ADMIN_TO_STATUS.get(value.lower())
            elif kind == "termType" and value == "variant":
                term.variant = True
        elif name == "note":
            match = _CASE_NOTE.match(_text(child))
            if match:
                term.case = match.group(1)  # type: ignore[assignment]
    if not text:
        return None
    term.text = text
    return term


def _family(concept: _Concept, default_status: Status, src: str, tgt: str) -> list[Entry]:
    spanish, english = concept.langs.get(src, []), concept.langs.get(tgt, [])
    if not spanish or not english:
        return []
    return [
        Entry(
            id=concept.id,
            source=spanish[0].text,
            target="|".join(t.text for t in english),
            kind="family",
            case=spanish[0].case or "insensitive",
            status=english[0].status or default_status,
            note="; ".join(n for n in concept.notes if n != _FAMILY_NOTE and not _CASE_NOTE.match(n)),
            author=concept.author,
            updated=concept.date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", concept.date) else "",
        )
    ]


def _entries(concept: _Concept, default_status: Status, src: str, tgt: str) -> list[Entry]:
    if _FAMILY_NOTE in concept.notes:
        return _family(concept, default_status, src, tgt)
    english = concept.langs.get(tgt, [])
    typed = [t for t in english if not t.variant]
    # A deprecated English term is a wrong rendering (a variant) when the concept has a
    # term to use instead; when every term is deprecated, the entry itself was rejected.
    usable = [t for t in typed if t.status != "rejected"] or typed
    if not usable:
        return []
    # The preferred English term is the target; failing that the first admitted one.
    target = next((t for t in usable if t.status == "approved"), usable[0])
    status: Status = target.status or default_status
    note = "; ".join(n for n in concept.notes if not _CASE_NOTE.match(n))
    updated = concept.date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", concept.date) else ""
    made: list[tuple[Kind, _Term]] = [
        ("keep" if t.text == target.text else "term", t) for t in concept.langs.get(src, [])
    ]
    made += [("variant", t) for t in english if all(t is not u for u in usable) and t.text != target.text]
    out: list[Entry] = []
    for i, (kind, term) in enumerate(made):
        out.append(
            Entry(
                id=concept.id if i == 0 else f"{concept.id}-{i + 1}",
                source=term.text,
                target="" if kind == "keep" else target.text,
                kind=kind,
                case=term.case or _DEFAULT_CASE[kind],
                status=status,
                note=note,
                author=concept.author,
                updated=updated,
            )
        )
    return out


# -- writing --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Dialect:
    """Element names and document head of one TBX version (the structure is the same)."""

    concept: str
    lang: str
    term: str
    head: Callable[[str], list[str]]
    tail: str

    def term_xml(self, text: str, admin: str, *, variant: bool = False, case: str | None = None) -> list[str]:
        lines = [f"        <{self.term}>", f"          <term>{escape(text)}</term>"]
        lines.append(f'          <termNote type="administrativeStatus">{admin}</termNote>')
        if variant:
            lines.append('          <termNote type="termType">variant</termNote>')
        if case:
            lines.append(f"          <note>mtrepair-case: {case}</note>")
        lines.append(f"        </{self.term}>")
        return lines

    def lang_xml(self, lang: str, terms: Sequence[list[str]]) -> list[str]:
        lines = [f"      <{self.lang} xml:lang={quoteattr(lang)}>"]
        for term in terms:
            lines.extend(term)
        lines.append(f"      </{self.lang}>")
        return lines


def _v3_head(description: str) -> list[str]:
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="{TBX3_NS}">',
        "  <tbxHeader>",
        "    <fileDesc>",
        f"      <sourceDesc><p>{escape(description)}</p></sourceDesc>",
        "    </fileDesc>",
        "  </tbxHeader>",
        "  <text>",
        "    <body>",
    ]


def _v2_head(description: str) -> list[str]:
    # The document language is the source language, as translate-toolkit writes it
    # (tbxfile.addheader); told no languages, it reads each termEntry's first langSet
    # as the source and the second as the target, so ``es`` is always written first.
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">',
        '<martif type="TBX-Basic" xml:lang="es">',
        "  <martifHeader>",
        "    <fileDesc>",
        f"      <sourceDesc><p>{escape(description)}</p></sourceDesc>",
        "    </fileDesc>",
        '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>',
        "  </martifHeader>",
        "  <text>",
        "    <body>",
    ]


DIALECTS: dict[str, _Dialect] = {
    "v3": _Dialect("conceptEntry", "langSec", "termSec", _v3_head, "</tbx>"),
    "v2": _Dialect("termEntry", "langSet", "tig", _v2_head, "</martif>"),
}


def write_tbx(entries: Iterable[Entry], *, description: str = "mtrepair glossary", version: str = "v3") -> bytes:
    """A TBX-Basic document holding ``entries``: v3 (DCA) by default, ``version="v2"`` for martif."""
    dialect = DIALECTS[version]
    out = dialect.head(description)
    for entry in entries:
        out.extend(_concept_xml(entry, dialect))
    out += ["    </body>", "  </text>", dialect.tail, ""]
    return "\n".join(out).encode("utf-8")


def write_tbx2(entries: Iterable[Entry], *, description: str = "mtrepair glossary") -> bytes:
    """A TBX v2 (martif) document holding ``entries``."""
    return write_tbx(entries, description=description, version="v2")


def _concept_xml(entry: Entry, dialect: _Dialect) -> list[str]:
    admin = STATUS_TO_ADMIN[entry.status]
    lines = [f"    <{dialect.concept} id={quoteattr(entry.id)}>"]
    if entry.author or entry.updated:
        lines.append("      <transacGrp>")
        lines.append('        <transac type="transactionType">modification</transac>')
        if entry.updated[:10] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.updated[:10]):
            lines.append(f"        <date>{entry.updated[:10]}</date>")
        if entry.author:
            lines.append(f'        <transacNote type="responsibility">{escape(entry.author)}</transacNote>')
        lines.append("      </transacGrp>")
    if entry.note:
        lines.append(f"      <note>{escape(entry.note)}</note>")
    d = dialect
    if entry.kind == "family":
        lines.append(f"      <note>{_FAMILY_NOTE}</note>")
        lines += d.lang_xml("es", [d.term_xml(entry.source, admin, case=entry.case)])
        renderings = [m.strip() for m in entry.target.split("|") if m.strip()]
        lines += d.lang_xml("en", [d.term_xml(m, admin, variant=True) for m in renderings])
    elif entry.kind == "variant":
        wrong = d.term_xml(entry.source, STATUS_TO_ADMIN["rejected"], variant=True, case=entry.case)
        lines += d.lang_xml("en", [d.term_xml(entry.target, admin), wrong])
    else:
        lines += d.lang_xml("es", [d.term_xml(entry.source, admin, case=entry.case)])
        lines += d.lang_xml("en", [d.term_xml(entry.output, admin)])
    lines.append(f"    </{dialect.concept}>")
    return lines
