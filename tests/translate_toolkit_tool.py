"""A translator's tool built on translate-toolkit, run as its own process by the file tests.

It runs in an isolated interpreter (``python -I``: no project directory on the path), as
a translator's own tool would, apart from the project's code. Usage:

    python -I translate_toolkit_tool.py read FILE            -> JSON of the units it sees
    python -I translate_toolkit_tool.py translate FILE JSON  -> writes targets into FILE

JSON maps a unit (XLIFF unit id, PO msgctxt) to ``{"texts": {english run: vietnamese
run}, "reverse": bool}``: the rich source's text runs are replaced, inline codes kept
through the rich-target API, and the unit is marked translated (not fuzzy).
"""

import copy
import json
import sys

from translate.storage import pypo, xliff2
from translate.storage.placeables import StringElem


def load(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data.lstrip().startswith(b"<"):
        return xliff2.Xliff2File.parsestring(data)
    return pypo.pofile.parsestring(data)


def key(unit):
    return unit.getid() if isinstance(unit, xliff2.Xliff2Unit) else unit.getcontext()


def codes(elem):
    """Ids and element names of the inline codes of a rich string, in order."""
    found = []
    for node in elem.depth_first():
        if type(node) is not StringElem and getattr(node, "id", None):
            found.append(
                [
                    str(node.id),
                    getattr(node, "xml_node", None) is not None
                    and node.xml_node.tag.rsplit("}", 1)[-1]
                    or type(node).__name__,
                ]
            )
    return found


def unit_notes(unit):
    """The notes of an XLIFF 2 ``<unit>``, as translate-toolkit parsed them.

    translate-toolkit's Xliff2Unit is the ``<segment>`` and its ``getnotes()`` reads notes
    there, where XLIFF 2 allows none: the valid place is the enclosing ``<unit>``, read
    here from the same parsed tree.
    """
    container = unit.xmlelement.getparent().find(unit.namespaced("notes"))
    if container is None:
        return ""
    return "\n".join(note.text or "" for note in container.iterchildren(unit.namespaced("note")))


def read(path):
    store = load(path)
    out = {}
    for unit in store.units:
        if unit.isheader():
            continue
        entry = {
            "source": str(unit.source),
            "target": str(unit.target or ""),
            "fuzzy": unit.isfuzzy(),
            "notes": unit.getnotes(),
        }
        if isinstance(unit, xliff2.Xliff2Unit):
            entry["codes"] = codes(unit.rich_source[0])
            entry["notes"] = unit_notes(unit)
        out[key(unit)] = entry
    print(json.dumps({"target_language": store.gettargetlanguage(), "units": out}))


def replace_runs(elem, texts):
    for node in elem.depth_first():
        node.sub = [texts.get(s, s) if isinstance(s, str) else s for s in node.sub]


def translate(path, spec):
    store = load(path)
    wanted = json.loads(spec)
    for unit in store.units:
        todo = wanted.get(key(unit))
        if todo is None:
            continue
        if isinstance(unit, xliff2.Xliff2Unit):
            rich = copy.deepcopy(unit.rich_source[0])
            replace_runs(rich, todo["texts"])
            if todo.get("reverse"):
                rich.sub.reverse()
            unit.rich_target = [rich]
            unit.marktranslated()
        else:
            text = str(unit.source)
            for english, vietnamese in todo["texts"].items():
                text = text.replace(english, vietnamese)
            unit.target = text
            unit.markfuzzy(False)
    with open(path, "wb") as handle:
        handle.write(bytes(store))


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2])
    else:
        translate(sys.argv[2], sys.argv[3])
