"""PO (gettext): ``msgctxt`` is ``page id:segment id``, ``msgid`` the English, ``msgstr`` the
Vietnamese (the target).

Inline codes stay as our placeholders (``{1}PRP{/1}``, ``{2/}``, literal braces doubled),
which PO editors leave alone like any other placeholder; a ``#. codes:`` comment
lists what each one stands for. Stale and unreviewed machine targets carry the
``fuzzy`` flag, stale ones with the English they translate as ``#| msgid``; import takes
a changed target only once its ``fuzzy`` flag is gone, as gettext does.
"""

import re

from django.utils.translation import gettext

from cms.language import DEFAULT_LANGUAGE

from ..workspace import MACHINE, STALE
from . import FileError, ImportUnit, ParsedFile


def quote(text):
    """A PO string: escaped, split after each newline so long texts stay readable."""
    text = (text or "").replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = text.split("\n")
    parts = [line + "\\n" for line in lines[:-1]] + [lines[-1]]
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        return f'"{parts[0] if parts else ""}"'
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def _comment(text):
    return " ".join((text or "").split())


def pieces(pages, lang):
    """PO text for ``(page, units)`` pairs: the header, then one piece per page.

    Glossary terms of a unit's source go in ``#. glossary:`` comments, which PO
    editors show to the translator next to the entry.
    """
    from . import term_note

    yield (
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {lang}\\n"\n'
        f'"X-Source-Language: {DEFAULT_LANGUAGE}\\n"\n'
    )
    for page, units in pages:
        out = []
        for unit in units:
            out.append("\n")
            out.append(f"#. {_comment(page.title_en)} › {_comment(unit.note)}\n")
            if unit.codes:
                shown = ", ".join(f"{{{n}}}={start}" for n, (start, _end) in unit.codes.items())
                out.append(f"#. codes: {_comment(shown)}\n")
            for term in unit.terms:
                out.append(f"#. glossary: {_comment(term_note(term))}\n")
            out.append(f"#: page/{page.pk} revision/{page.latest_revision_id or ''}\n")
            if unit.target and unit.state in (STALE, MACHINE):
                out.append("#, fuzzy\n")
            if unit.old_source:
                out.append("#| msgid " + quote(unit.old_source).replace("\n", "\n#| ") + "\n")
            out.append(f"msgctxt {quote(unit.context)}\n")
            out.append(f"msgid {quote(unit.source)}\n")
            out.append(f"msgstr {quote(unit.target)}\n")
        yield "".join(out)


# -- reading ------------------------------------------------------------------------------------

_STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')
_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(.*)$")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_REVISION = re.compile(r"^#: page/(\d+) revision/(\d+)\s*$", re.MULTILINE)


def _unquote(literal, number):
    match = _STRING.match(literal.strip())
    if not match:
        raise FileError(gettext("Line %(line)s: a quoted string is expected.") % {"line": number})
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), match.group(1))


def _entries(text):
    """``(line, fields, flags)`` per entry; fields map keywords to their strings."""
    entry, flags, key, start = {}, set(), None, 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#,")):
            if not stripped and entry:
                yield start, entry, flags
                entry, flags, key = {}, set(), None
            continue
        if stripped.startswith("#,"):
            if entry:
                yield start, entry, flags
                entry, flags, key = {}, set(), None
            flags |= {flag.strip() for flag in stripped[2:].split(",")}
            continue
        match = _KEYWORD.match(stripped)
        if match:
            key = match.group(1)
            if key in entry or (key in ("msgctxt", "msgid") and "msgstr" in entry):
                yield start, entry, flags
                entry, flags = {}, set()
            if not entry:
                start = number
            entry[key] = _unquote(match.group(2), number)
        elif stripped.startswith('"') and key:
            entry[key] += _unquote(stripped, number)
        else:
            raise FileError(gettext("Line %(line)s is not PO syntax.") % {"line": number})
    if entry:
        yield start, entry, flags


def read(data):
    """A ``ParsedFile`` from PO bytes (UTF-8); ``FileError`` when it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(gettext("The file is not UTF-8 text.")) from error
    lang, source_lang, units = "", DEFAULT_LANGUAGE, []
    for line, entry, flags in _entries(text):
        if "msgid" not in entry:
            raise FileError(gettext("Line %(line)s: an entry without msgid.") % {"line": line})
        if entry["msgid"] == "" and "msgctxt" not in entry:
            headers = dict(
                part.split(":", 1) for part in entry.get("msgstr", "").splitlines() if ":" in part
            )
            lang = headers.get("Language", "").strip()
            source_lang = headers.get("X-Source-Language", DEFAULT_LANGUAGE).strip()
            continue
        page_id, _sep, segment_id = entry.get("msgctxt", "").partition(":")
        units.append(
            ImportUnit(
                page_id=page_id,
                segment_id=segment_id,
                source=entry["msgid"],
                target=entry.get("msgstr", ""),
                confirmed="fuzzy" not in flags,
                where=gettext("line %(line)s") % {"line": line},
            )
        )
    if not lang:
        raise FileError(gettext("The PO header names no Language."))
    # The revision each page was exported at rides in the reference comment.
    revisions = dict(_REVISION.findall(text))
    return ParsedFile(lang=lang, units=units, source_lang=source_lang, revisions=revisions)
