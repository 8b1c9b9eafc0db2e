"""Rich text as translation units: block structure stays, inline markup becomes numbered codes.

A rich text (Wagtail's database HTML) is split into a *layout*: the block-level
structure (``<p>``, ``<h3>``, ``<ul>``/``<li>``, embeds) kept as literal HTML around
*units*, one per run of text inside a block element. Each unit's text carries its
inline markup as codes the translator moves with the words, because word order
differs between English and Vietnamese::

    <p>Read about <a linktype="page" id="12">PRP</a>, <b>not</b> magic.</p>
    unit text: "Read about {1}PRP{/1}, {2}not{/2} magic."

``{n}…{/n}`` wraps text, ``{n/}`` stands alone (``<br>``). A code's tag and attributes
come from the source, so a translated link still points at page 12; literal braces are
doubled (``{{``). One unit per ``<p>``/``<li>``/heading (not one per paragraph block)
keeps segments short, as translators and their tools expect, and keeps the list and
paragraph structure out of their hands.
"""

import re
from dataclasses import dataclass, field
from html import escape

from bs4 import BeautifulSoup, Comment, NavigableString
from django.utils.translation import gettext

# Tags that sit inside a sentence; anything else is structure and stays in the layout.
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "br", "code", "em", "i", "mark", "s", "small", "span", "strong"}
    | {"sub", "sup", "u", "wbr"}
)
VOID_TAGS = frozenset({"br", "wbr"})
# Tags shown as they are in the admin's formatted source; others (links) show as a span.
DISPLAY_TAGS = INLINE_TAGS - {"a", "span"}

_TOKEN = re.compile(r"\{\{|\}\}|\{(/?)(\d+)(/?)\}|[{}]|[^{}]+")


class InlineCodeError(ValueError):
    """A target's codes do not match its source's; the message tells the translator what to fix."""


@dataclass(frozen=True)
class Unit:
    """One translatable run of a rich text.

    ``key`` is the Draftail block key of its element when it has one (stable across
    edits), else its position; ``position`` is always its position, so a translation
    recorded before Draftail added keys is still found.
    """

    key: str
    position: str
    text: str
    codes: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Slot:
    """Where a unit's translation goes in the layout."""

    index: int


@dataclass(frozen=True)
class Layout:
    """A rich text taken apart: literal HTML strings and slots, in order, plus the units."""

    parts: tuple
    units: tuple

    def render(self, texts):
        """The HTML with ``texts[i]`` (a unit text, codes included) in unit ``i``'s place."""
        out = []
        for part in self.parts:
            if isinstance(part, Slot):
                out.append(render(texts[part.index], self.units[part.index].codes))
            else:
                out.append(part)
        return "".join(out)


def _start_tag(tag):
    attrs = "".join(
        f' {name}="{escape(" ".join(value) if isinstance(value, list) else value)}"'
        for name, value in tag.attrs.items()
    )
    return f"<{tag.name}{attrs}>"


def _is_inline(node):
    return isinstance(node, NavigableString) or node.name in INLINE_TAGS


def _has_text(nodes):
    for node in nodes:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            if node.strip():
                return True
        elif _has_text(node.children):
            return True
    return False


class _Splitter:
    def __init__(self):
        self.parts = []
        self.units = []

    def literal(self, html):
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += html
        else:
            self.parts.append(html)

    def container(self, element, key=None):
        run, runs_here = [], 0
        for child in list(element.children):
            if isinstance(child, Comment):
                continue
            if _is_inline(child):
                run.append(child)
                continue
            runs_here += self.run(run, key, runs_here)
            run = []
            self.block(child)
        self.run(run, key, runs_here)

    def block(self, tag):
        if tag.name in {"embed", "hr", "img"} or tag.is_empty_element:
            self.literal(str(tag))
            return
        self.literal(_start_tag(tag))
        self.container(tag, tag.attrs.get("data-block-key"))
        self.literal(f"</{tag.name}>")

    def run(self, nodes, key, runs_before):
        """Add a unit for ``nodes`` (inline siblings); returns 1 if one was added."""
        if not _has_text(nodes):
            for node in nodes:
                self.literal(
                    node.output_ready() if isinstance(node, NavigableString) else str(node)
                )
            return 0
        codes = {}
        text = "".join(_inline_text(node, codes) for node in nodes)
        stripped = text.strip()
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        position = str(len(self.units))
        if key:
            key = key if runs_before == 0 else f"{key}.{runs_before}"
        self.literal(escape(lead, quote=False))
        self.parts.append(Slot(len(self.units)))
        self.units.append(Unit(key or position, position, stripped, codes))
        self.literal(escape(trail, quote=False))
        return 1


def _escape_braces(text):
    return text.replace("{", "{{").replace("}", "}}")


def _inline_text(node, codes):
    if isinstance(node, Comment):
        return ""
    if isinstance(node, NavigableString):
        return _escape_braces(str(node))
    number = len(codes) + 1
    if node.name in VOID_TAGS:
        codes[number] = (_start_tag(node), None)
        return f"{{{number}/}}"
    codes[number] = (_start_tag(node), f"</{node.name}>")
    inner = "".join(_inline_text(child, codes) for child in node.children)
    return f"{{{number}}}{inner}{{/{number}}}"


def split(html):
    """The ``Layout`` of a rich text (database HTML)."""
    splitter = _Splitter()
    splitter.container(BeautifulSoup(html or "", "html.parser"))
    return Layout(tuple(splitter.parts), tuple(splitter.units))


# -- codes ----------------------------------------------------------------------------------


def tokens(text):
    """``(kind, value)`` pairs: ("text", str), ("open"|"close"|"void", number)."""
    for match in _TOKEN.finditer(text or ""):
        token = match.group(0)
        if token == "{{":
            yield "text", "{"
        elif token == "}}":
            yield "text", "}"
        elif match.group(2) is not None and not (match.group(1) and match.group(3)):
            kind = "close" if match.group(1) else "void" if match.group(3) else "open"
            yield kind, int(match.group(2))
        else:
            yield "text", token


def _code_tokens(text):
    return [(kind, value) for kind, value in tokens(text) if kind != "text"]


def _shown(kind, number):
    return {"open": f"{{{number}}}", "close": f"{{/{number}}}", "void": f"{{{number}/}}"}[kind]


def _listed(found):
    return ", ".join(_shown(kind, number) for kind, number in found)


def check_codes(source, target):
    """Raise ``InlineCodeError`` unless ``target`` has exactly ``source``'s codes, well nested.

    Order is free (word order differs between languages); each code appears once and a
    pair closes after it opens, without overlapping another pair.
    """
    expected = _code_tokens(source)
    found = _code_tokens(target)
    missing = [code for code in expected if code not in found]
    extra = [code for code in found if code not in expected]
    if missing:
        raise InlineCodeError(
            gettext("The translation lacks these codes from the English text: %(codes)s.")
            % {"codes": _listed(missing)}
        )
    if extra:
        raise InlineCodeError(
            gettext("These codes are not in the English text: %(codes)s.")
            % {"codes": _listed(dict.fromkeys(extra))}
        )
    repeated = [code for code in dict.fromkeys(found) if found.count(code) > 1]
    if repeated:
        raise InlineCodeError(
            gettext("Each code appears once; repeated: %(codes)s.") % {"codes": _listed(repeated)}
        )
    open_codes = []
    for kind, number in found:
        if kind == "open":
            open_codes.append(number)
        elif kind == "close":
            if not open_codes or open_codes[-1] != number:
                raise InlineCodeError(
                    gettext(
                        "%(close)s is misplaced: close a code after its %(open)s and inside any "
                        "code opened before it."
                    )
                    % {"close": _shown("close", number), "open": _shown("open", number)}
                )
            open_codes.pop()


def render(text, codes):
    """Database HTML for a unit text: codes become their source tags, text is escaped."""
    out = []
    for kind, value in tokens(text):
        if kind == "text":
            out.append(escape(value, quote=False))
        elif kind == "close":
            out.append(codes[value][1] or "")
        else:
            out.append(codes[value][0])
    return "".join(out)


def display_html(text, codes, text_html=None):
    """Formatted, attribute-free HTML of a unit for the admin: bold shows bold, links underlined.

    No attribute is copied (a page link's ``id`` would clash with the admin's ids) and
    nothing is looked up, so showing any number of units costs no query. ``text_html``
    turns a run of text into HTML (the glossary highlights its terms); default: escaped.
    """
    out = []
    for kind, value in tokens(text):
        if kind == "text":
            out.append(text_html(value) if text_html else escape(value, quote=False))
            continue
        name = re.match(r"<(\w+)", codes[value][0]).group(1) if value in codes else "span"
        shown, css = (name, "") if name in DISPLAY_TAGS else ("span", ' class="translate-link"')
        if kind == "open":
            out.append(f"<{shown}{css}>")
        elif kind == "close":
            out.append(f"</{shown}>")
        else:
            out.append(f"<{shown}>")
    return "".join(out)


def renumber(text, codes, source_codes):
    """``text`` with its own codes renumbered to ``source_codes``' numbers, matched by tag.

    An existing Vietnamese rich text numbers its codes in its own order; a code is the
    English code with the same tag and attributes (a link to the same page), else the
    first unused one with the same tag name. Codes left unmatched keep their number,
    so ``check_codes`` reports them.
    """
    mapping, used = {}, set()
    for number, (start, _end) in sorted(codes.items()):
        match = next(
            (n for n, (s, _e) in source_codes.items() if s == start and n not in used), None
        )
        if match is None:
            name = re.match(r"<(\w+)", start).group(1)
            match = next(
                (
                    n
                    for n, (s, _e) in source_codes.items()
                    if n not in used and re.match(r"<(\w+)", s).group(1) == name
                ),
                None,
            )
        if match is not None:
            mapping[number] = match
            used.add(match)
    out = []
    for kind, value in tokens(text):
        if kind == "text":
            out.append(_escape_braces(value))
        else:
            out.append(_shown(kind, mapping.get(value, value)))
    return "".join(out)


# -- paragraphs only the target has ------------------------------------------------------------


@dataclass(frozen=True)
class TargetOnly:
    """An element of a target rich text whose Draftail block keys the source lacks.

    ``key``: its (first) block key, which names it; ``text``: what it reads; ``anchor``:
    ``(how, key, levels)`` to put it back in a text built from the source: ``after`` or
    ``before`` the element ``levels`` up from the one keyed ``key``, or at the ``start``.
    """

    key: str
    text: str
    html: str
    anchor: tuple


def _block_keys(element):
    own = [element["data-block-key"]] if element.get("data-block-key") else []
    return own + [e["data-block-key"] for e in element.find_all(attrs={"data-block-key": True})]


def _elements(parent):
    return [child for child in parent.children if getattr(child, "name", None)]


def _anchor(unit, shared):
    """Where ``unit`` goes: after its nearest previous sibling holding a shared key, else
    before its nearest next one, else at the start (of the text)."""
    siblings = _elements(unit.parent)
    at = siblings.index(unit)
    for how, near in (("after", reversed(siblings[:at])), ("before", siblings[at + 1 :])):
        for sibling in near:
            keys = [key for key in _block_keys(sibling) if key in shared]
            if keys:
                key = keys[-1] if how == "after" else keys[0]
                keyed = (
                    sibling
                    if sibling.get("data-block-key") == key
                    else sibling.find(attrs={"data-block-key": key})
                )
                levels = 0
                while keyed is not sibling:
                    keyed, levels = keyed.parent, levels + 1
                return (how, key, levels)
    return ("start", None, 0)


def target_only(source_html, target_html):
    """``TargetOnly`` elements of ``target_html`` (with text): none of their block keys is
    in ``source_html``. A paragraph deleted from the source, or written for the target
    alone; an element mixing shared and unshared keys (a list) is looked into."""
    shared = set(_block_keys(BeautifulSoup(source_html or "", "html.parser")))
    found = []

    def visit(parent):
        for child in _elements(parent):
            keys = _block_keys(child)
            if not keys:
                continue
            if any(key in shared for key in keys):
                visit(child)
            elif child.get_text(strip=True):
                text = " ".join(child.get_text(" ", strip=True).split())
                found.append(TargetOnly(keys[0], text, str(child), _anchor(child, shared)))

    if shared and target_html:
        visit(BeautifulSoup(target_html, "html.parser"))
    return found


def with_target_only(html, kept):
    """``html`` (built from the source) with the ``kept`` ``TargetOnly`` elements put back
    where they stood among the shared ones, in their order."""
    if not kept:
        return html
    soup = BeautifulSoup(html, "html.parser")
    last_after = {}  # an anchor's latest insertion, so that several keep their order
    start = None
    for unit in kept:
        how, key, levels = unit.anchor
        node = BeautifulSoup(unit.html, "html.parser").find().extract()
        place = soup.find(attrs={"data-block-key": key}) if key else None
        for _level in range(levels):
            place = place.parent if place is not None else None
        if how == "start":
            if start is None:
                soup.insert(0, node)
            else:
                start.insert_after(node)
            start = node
        elif place is None:
            soup.append(node)  # its neighbour is not in the built text: it ends it
        elif how == "after":
            last_after.get(key, place).insert_after(node)
            last_after[key] = node
        else:
            place.insert_before(node)
    return str(soup)
