"""TBX import and export: TBX-Basic v3 (ISO 30042:2019, DCA style) out; v3 and v2 ``martif`` in.

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

The XML is untrusted: it is parsed with defusedxml, which refuses entity declarations
and external references (XXE, "billion laughs"); a DOCTYPE naming the TBX v2 DTD is
allowed but never loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..errors import GlossaryError
from .entry import Case, Entry, Kind, Status

TBX3_NS = "urn:iso:std:iso:30042:ed:3.0"
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


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def parse_tbx(data: bytes, path: str) -> Any:
    """The root element of a TBX document, parsed without entities, DTDs or network."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise GlossaryError(
            f"refused: the file declares XML entities or external references ({type(exc).__name__}); "
            "TBX needs neither, remove the DOCTYPE's internal subset",
            path=path,
        ) from None
    except SafeET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise GlossaryError(f"not well-formed XML: {exc}", path=path, line=line) from None


def read_tbx(
    data: bytes, path: str, *, default_status: Status = "proposed", source_lang: str = "es", target_lang: str = "en"
) -> list[Entry]:
    """Entries from a TBX v3 (``tbx``) or v2 (``martif``) document."""
    root = parse_tbx(data, path)
    if _local(root.tag) not in ("tbx", "martif"):
        raise GlossaryError(
            f"not a TBX file: the root element is <{_local(root.tag)}>, expected <tbx> or <martif>", path=path
        )
    entries: list[Entry] = []
    for n, element in enumerate(root.iter(), start=1):
        if _local(element.tag) in ("conceptEntry", "termEntry"):
            concept = _concept(element, f"c{n}")
            entries.extend(_entries(concept, default_status, source_lang, target_lang))
    return entries


def _concept(element: Any, fallback_id: str) -> _Concept:
    concept = _Concept(id=element.get("id") or fallback_id)
    for child in element:
        name = _local(child.tag)
        if name == "note":
            text = _text(child)
            if text:
                concept.notes.append(text)
        elif name == "transacGrp":
            author, date = _transaction(child)
            concept.author = author or concept.author
            concept.date = date or concept.date
        elif name in ("langSec", "langSet"):
            lang = (child.get(XML_LANG) or child.get("lang") or "").split("-")[0].lower()
            terms = concept.langs.setdefault(lang, [])
            for term_group in child.iter():
                if _local(term_group.tag) in ("termSec", "tig", "termGrp"):
                    term = _term(term_group)
                    if term is not None:
                        terms.append(term)
    return concept


def _transaction(group: Any) -> tuple[str, str]:
    author = date = ""
    for child in group:
        name = _local(child.tag)
        if name == "transacNote" and child.get("type") == "responsibility":
            author = _text(child)
        elif name == "date":
            date = _text(child)
    return author, date


def _term(group: Any) -> _Term | None:
    text: str | None = None
    term = _Term("")
    for child in group.iter():
        name = _local(child.tag)
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


def write_tbx(entries: Iterable[Entry], *, description: str = "mtrepair glossary") -> bytes:
    """A TBX-Basic v3 (DCA) document holding ``entries``."""
    out: list[str] = [
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
    for entry in entries:
        out.extend(_concept_xml(entry))
    out += ["    </body>", "  </text>", "</tbx>", ""]
    return "\n".join(out).encode("utf-8")


def _term_xml(text: str, admin: str, *, variant: bool = False, case: str | None = None) -> list[str]:
    lines = ["        <termSec>", f"          <term>{escape(text)}</term>"]
    lines.append(f'          <termNote type="administrativeStatus">{admin}</termNote>')
    if variant:
        lines.append('          <termNote type="termType">variant</termNote>')
    if case:
        lines.append(f"          <note>mtrepair-case: {case}</note>")
    lines.append("        </termSec>")
    return lines


def _lang_xml(lang: str, terms: Sequence[list[str]]) -> list[str]:
    lines = [f"      <langSec xml:lang={quoteattr(lang)}>"]
    for term in terms:
        lines.extend(term)
    lines.append("      </langSec>")
    return lines


def _concept_xml(entry: Entry) -> list[str]:
    admin = STATUS_TO_ADMIN[entry.status]
    lines = [f"    <conceptEntry id={quoteattr(entry.id)}>"]
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
    if entry.kind == "family":
        lines.append(f"      <note>{_FAMILY_NOTE}</note>")
        lines += _lang_xml("es", [_term_xml(entry.source, admin, case=entry.case)])
        renderings = [m.strip() for m in entry.target.split("|") if m.strip()]
        lines += _lang_xml("en", [_term_xml(m, admin, variant=True) for m in renderings])
    elif entry.kind == "variant":
        lines += _lang_xml(
            "en",
            [
                _term_xml(entry.target, admin),
                _term_xml(entry.source, STATUS_TO_ADMIN["rejected"], variant=True, case=entry.case),
            ],
        )
    else:
        lines += _lang_xml("es", [_term_xml(entry.source, admin, case=entry.case)])
        lines += _lang_xml("en", [_term_xml(entry.output, admin)])
    lines.append("    </conceptEntry>")
    return lines
