"""The one XML parser for everything mtrepair reads from elsewhere (TBX term bases, TMX and
XLIFF exports read back): lxml, hardened.

The XML is untrusted (issue 12: XXE and billion-laughs term bases were tried against the
importer), so every parse:

- resolves no entity (``resolve_entities=False``), loads no DTD (``load_dtd=False``) and
  touches no network (``no_network=True``): an external entity or an external DTD is never
  fetched; a DOCTYPE that only names a DTD (TBX v2 files name ``TBXcoreStructV02.dtd``)
  is allowed and ignored;
- refuses a document whose DOCTYPE declares entities (general or parameter: XXE, "billion
  laughs", a parameter entity that pulls a remote DTD) or that uses an entity reference
  at all: no format we read needs one, and refusing says so instead of importing a term
  with a hole where the entity was;
- keeps libxml2's own limits on (``huge_tree=False``: 10 MB per text node, depth 256) and
  adds ours: ``max_bytes`` for the whole input (a document parsed whole is held in memory)
  and ``max_field`` characters for any one text or attribute value (a 200 MB term-base
  field was imported whole before, issue 12);
- drops comments and processing instructions.

Errors are the caller's error type (GlossaryError for a term base, CorpusError for an
export), one line naming the file and, where libxml2 knows it, the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import MtrepairError

MAX_DOCUMENT_BYTES = 256 << 20
"""Largest document parsed whole: a 20,000-concept TBX is about 10 MB."""

MAX_FIELD_CHARS = 1_000_000
"""Largest text or attribute value: a term, a note, a segment is far smaller."""

_ENTITIES = (
    "refused: the file declares XML entities or external references ({what}); "
    "the formats mtrepair reads need neither, remove the DOCTYPE's internal subset"
)


def _parser_options() -> dict[str, bool]:
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def parse_document(
    data: bytes,
    path: str,
    error: type[MtrepairError],
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_field: int = MAX_FIELD_CHARS,
) -> Any:
    """The root element of ``data``, parsed as the module docstring says, or ``error``."""
    from lxml import etree

    if len(data) > max_bytes:
        raise error(f"refused: {len(data):,} bytes is more than the {max_bytes:,} an XML import may be", path=path)
    try:
        root = etree.fromstring(data, etree.XMLParser(**_parser_options()))
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise error(f"not well-formed XML: {exc.msg}", path=path, line=line) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration; bytes never do
        raise error(f"not XML: {exc}", path=path) from None
    if root is None:
        raise error("not XML: no root element", path=path)
    _refuse_declared_entities(root, path, error)
    for element in root.iter():
        _check_element(element, path, error, max_field)
        if element.tail is not None and len(element.tail) > max_field:
            raise _too_long(element, path, error, max_field)
    return root


def iterparse_document(
    path: Path,
    events: tuple[str, ...],
    error: type[MtrepairError],
    *,
    max_field: int = MAX_FIELD_CHARS,
) -> Iterator[tuple[str, str, Any]]:
    """Stream ``path``: yields (event, local tag name, element) with the module's rules.

    There is no whole-document limit: the callers (TMX and XLIFF readers) clear each
    element once read, so memory is bounded by the field limit, not the file size. An
    "end" event's element has had its text, attributes and children's tails checked.
    """
    from lxml import etree

    wanted = tuple(dict.fromkeys((*events, "end")))
    checked = False
    try:
        for event, element in etree.iterparse(str(path), events=wanted, **_parser_options()):
            if not checked:
                _refuse_declared_entities(element, str(path), error)
                checked = True
            if event == "end":
                _check_element(element, str(path), error, max_field)
                for child in element:
                    if child.tag is etree.Entity:
                        _check_element(child, str(path), error, max_field)
                    if child.tail is not None and len(child.tail) > max_field:
                        raise _too_long(child, str(path), error, max_field)
                if "end" not in events:
                    continue
            yield event, local_name(element.tag), element
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise error(f"not well-formed XML ({exc.msg})", path=str(path), line=line) from None
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror or exc})", path=str(path)) from None


def local_name(tag: Any) -> str:
    """``{urn:…}unit`` → ``unit``; comments, processing instructions and entities give ""."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _refuse_declared_entities(element: Any, path: str, error: type[MtrepairError]) -> None:
    dtd = element.getroottree().docinfo.internalDTD
    names = [entity.name for entity in dtd.entities()] if dtd is not None else []
    if names:
        raise error(_ENTITIES.format(what="<!ENTITY " + ", ".join(names[:3]) + ">"), path=path)


def _check_element(element: Any, path: str, error: type[MtrepairError], max_field: int) -> None:
    from lxml import etree

    if element.tag is etree.Entity:
        # An undeclared reference left as is (the DOCTYPE names an external DTD that is
        # never loaded): the term would import with a hole where the entity was.
        raise error(_ENTITIES.format(what=f"the reference {element.text}"), path=path, line=element.sourceline)
    if element.text is not None and len(element.text) > max_field:
        raise _too_long(element, path, error, max_field)
    for value in element.attrib.values():
        if len(value) > max_field:
            raise _too_long(element, path, error, max_field)


def _too_long(element: Any, path: str, error: type[MtrepairError], max_field: int) -> MtrepairError:
    name = local_name(element.tag) or "text"
    return error(
        f"refused: a field of <{name}> is longer than {max_field:,} characters", path=path, line=element.sourceline
    )
