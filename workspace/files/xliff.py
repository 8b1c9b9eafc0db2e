"""XLIFF 2.1: a ``<file>`` per page, a ``<unit>`` per segment, inline codes as ``<pc>``/``<ph>``.

Unit ids must be XML name tokens, so a segment id's ``/`` becomes ``:`` in ``id``; the
exact segment id rides in ``name``, which import prefers. A unit's state follows the
workspace: missing is ``initial`` without a target, translated is ``translated``, stale
and unreviewed machine output are ``initial`` with a target and ``subState``
``cms:stale`` / ``cms:machine`` (tools show them as needing work). Import takes a
changed target only when the tool marked it ``translated``, ``reviewed`` or ``final``.
"""

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext

from cms.language import DEFAULT_LANGUAGE

from .. import inline
from ..workspace import MACHINE, MISSING, STALE
from . import FileError, ImportUnit, ParsedFile

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
_NS = "{" + NAMESPACE + "}"
_NMTOKEN = re.compile(r"^[\w.:-]+$")
# XLIFF's own names for common formatting, so tools can show bold as bold.
_SUBTYPES = {"b": "xlf:b", "strong": "xlf:b", "i": "xlf:i", "em": "xlf:i", "u": "xlf:u"}
_CONFIRMED = {"translated", "reviewed", "final"}


def _tag_name(start_tag):
    return re.match(r"<(\w+)", start_tag).group(1)


def _code_attrs(number, codes):
    start = codes.get(number, ("<span>", None))[0]
    name = _tag_name(start)
    if name == "a":
        kind = ' type="link"'
    elif name in _SUBTYPES:
        kind = f' type="fmt" subType="{_SUBTYPES[name]}"'
    elif name == "br":
        kind = ' type="fmt" subType="xlf:lb"'
    else:
        kind = ' type="fmt"'
    # Our save refuses a target without every code: tell the tool not to let one go.
    return f'id="{number}"{kind} canDelete="no" disp={quoteattr(start)}'


def to_xml(text, codes):
    """A unit text's XLIFF content: escaped text, ``<pc>`` around code pairs, ``<ph/>`` alone."""
    out = []
    for kind, value in inline.tokens(text):
        if kind == "text":
            out.append(escape(value))
        elif kind == "open":
            out.append(f"<pc {_code_attrs(value, codes)}>")
        elif kind == "close":
            out.append("</pc>")
        else:
            out.append(f"<ph {_code_attrs(value, codes)}/>")
    return "".join(out)


def unit_id(segment_id):
    candidate = segment_id.replace("/", ":")
    return candidate if _NMTOKEN.match(candidate) else None


def _state(unit):
    if unit.state == MISSING or not unit.target:
        return ' state="initial"'
    if unit.state == STALE:
        return ' state="initial" subState="cms:stale"'
    if unit.state == MACHINE:
        return ' state="initial" subState="cms:machine"'
    return ' state="translated"'


def pieces(pages, lang):
    """XLIFF 2.1 text for ``(page, units)`` pairs: the header, one piece per page, the end.

    A unit whose source holds glossary terms carries each as a ``<note
    category="terminology" appliesTo="source">`` with the approved Vietnamese (or the
    term itself, kept as is), next to its location note.
    """
    from . import term_note

    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{NAMESPACE}" version="2.1" srcLang="{DEFAULT_LANGUAGE}" '
        f"trgLang={quoteattr(lang)}>\n"
    )
    for page, units in pages:
        out = [
            f'  <file id="page-{page.pk}" original={quoteattr(page.url_path or "")}>\n',
            f'    <notes><note category="page">{escape(str(page.title_en or ""))}</note>'
            f'<note category="revision">{page.latest_revision_id or ""}</note></notes>\n',
        ]
        for number, unit in enumerate(units, 1):
            ident = unit_id(unit.segment_id) or f"u{number}"
            out.append(f"    <unit id={quoteattr(ident)} name={quoteattr(unit.segment_id)}>\n")
            out.append(f'      <notes><note category="location">{escape(unit.note)}</note>')
            for term in unit.terms:
                out.append(
                    '<note category="terminology" appliesTo="source">'
                    f"{escape(term_note(term))}</note>"
                )
            out.append("</notes>\n")
            out.append(f'      <segment{_state(unit)}><source xml:space="preserve">')
            out.append(to_xml(unit.source, unit.codes))
            out.append("</source>")
            if unit.target:
                out.append('<target xml:space="preserve">')
                out.append(to_xml(unit.target, unit.codes))
                out.append("</target>")
            out.append("</segment>\n    </unit>\n")
        out.append("  </file>\n")
        yield "".join(out)
    yield "</xliff>\n"


# -- reading ------------------------------------------------------------------------------------


class _CodeError(ValueError):
    pass


def _braces(text):
    return (text or "").replace("{", "{{").replace("}", "}}")


def _number(element, attribute="id"):
    value = element.get(attribute, "")
    if not value.isdigit():
        raise _CodeError(
            gettext("the code <%(tag)s %(attr)s=“%(value)s”> is not one of ours.")
            % {"tag": element.tag.replace(_NS, ""), "attr": attribute, "value": value}
        )
    return int(value)


def from_xml(element):
    """The unit text (with our codes) of a ``<source>`` or ``<target>`` element."""
    out = [_braces(element.text)]
    for child in element:
        tag = child.tag.replace(_NS, "")
        if tag == "pc":
            out.append(f"{{{_number(child)}}}{from_xml(child)}{{/{_number(child)}}}")
        elif tag == "ph":
            out.append(f"{{{_number(child)}/}}")
        elif tag == "sc":
            out.append(f"{{{_number(child)}}}")
        elif tag == "ec":
            out.append(f"{{/{_number(child, 'startRef')}}}")
        elif tag in {"mrk", "sm", "em"}:
            out.append(from_xml(child))  # annotations: their text counts, the mark does not
        else:
            raise _CodeError(gettext("unknown element <%(tag)s>.") % {"tag": tag})
        out.append(_braces(child.tail))
    return "".join(out)


def read(data):
    """A ``ParsedFile`` from XLIFF 2.x bytes; ``FileError`` when it is not one."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise FileError(gettext("Not a readable XML file: %(error)s") % {"error": error}) from error
    if root.tag != f"{_NS}xliff" or not root.get("version", "").startswith("2."):
        raise FileError(gettext("Not an XLIFF 2 file."))
    units, revisions = [], {}
    for file_element in root.iter(f"{_NS}file"):
        file_id = file_element.get("id", "")
        page_id = file_id.removeprefix("page-")
        for note in file_element.findall(f"{_NS}notes/{_NS}note[@category='revision']"):
            revisions[page_id] = (note.text or "").strip()
        for unit in file_element.iter(f"{_NS}unit"):
            ident = unit.get("id", "")
            segment_id = unit.get("name") or ident.replace(":", "/")
            where = f"{file_id} {ident}"
            parts = unit.findall(f"{_NS}segment")
            if len(parts) != 1:
                units.append(
                    ImportUnit(page_id, segment_id, "", "", False, where)
                    if not parts
                    else _broken(page_id, segment_id, where, gettext("one segment expected"))
                )
                continue
            segment = parts[0]
            source, target = segment.find(f"{_NS}source"), segment.find(f"{_NS}target")
            try:
                source_text = from_xml(source) if source is not None else ""
                target_text = from_xml(target) if target is not None else ""
            except _CodeError as error:
                units.append(_broken(page_id, segment_id, where, str(error)))
                continue
            confirmed = segment.get("state", "initial") in _CONFIRMED
            units.append(
                ImportUnit(page_id, segment_id, source_text, target_text, confirmed, where)
            )
    return ParsedFile(
        lang=root.get("trgLang", ""),
        units=units,
        source_lang=root.get("srcLang", ""),
        revisions=revisions,
    )


def _broken(page_id, segment_id, where, message):
    """A unit whose codes cannot be read: it carries its message as an error."""
    return ImportUnit(page_id, segment_id, "", "", True, where, error=message)
