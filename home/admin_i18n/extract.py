"""What an editor can read in source files: gettext messages, and text left outside gettext.

``extract_messages`` finds the messages of apps that ship no English catalogue (and of the project,
whose .po files may lag its code) the way ``makemessages`` does: templates go through Django's
``templatize`` and everything through ``xgettext`` with Django's keywords.

``template_literals`` and ``script_literals`` find text an editor reads that no catalogue can
translate, because it is written into a template or a script without gettext. Those are
translated by overriding the file (templates/ and static/ come before any app's).
"""

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType
from django.utils.translation import templatize

from .po import parse_po

# The keywords makemessages passes to xgettext (gettext, ngettext and _ are xgettext's defaults).
_KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
]
_PYTHON_KEYWORDS = [*_KEYWORDS, "--keyword=pgettext_lazy:1c,2", "--keyword=npgettext_lazy:1c,2,3"]
TEMPLATE_SUFFIXES = (".html", ".txt")


def extract_messages(paths, domain="django"):
    """The gettext messages (PoEntry, msgstr empty) in these .py/.html files, or .js files."""
    paths = sorted(str(path) for path in paths)
    if not paths:
        return []
    if shutil.which("xgettext") is None:
        raise RuntimeError("xgettext (GNU gettext) is needed to read messages from source files")
    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for index, path in enumerate(paths):
            if path.endswith(TEMPLATE_SUFFIXES):
                source = Path(path).read_text(encoding="utf-8")
                converted = Path(tmp) / f"template{index}.py"
                converted.write_text(templatize(source, origin=path), encoding="utf-8")
                inputs.append(str(converted))
            else:
                inputs.append(path)
        language = ["--language=JavaScript"] if domain == "djangojs" else ["--language=Python"]
        keywords = _KEYWORDS if domain == "djangojs" else _PYTHON_KEYWORDS
        output = Path(tmp) / "messages.po"
        subprocess.run(
            [
                "xgettext",
                *language,
                *keywords,
                "--from-code=UTF-8",
                "--no-location",
                "--output",
                str(output),
                *inputs,
            ],
            check=True,
            capture_output=True,
        )
        return parse_po(output) if output.exists() else []


# --- text outside gettext ------------------------------------------------------------------------

_TRANSLATED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}
_READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
# Blocks and fragments whose content goes into an attribute (class="{% block … %}", icon names).
_ATTRIBUTE_BLOCK = re.compile(r"class|_id$|attrs|^icon")
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"(?:^|\s)[^\W\d_]{2,}[.,:;!?)]*(?=\s|$)")
_HOLE = "\x00"  # where a {{ variable }}, a {% tag %} or a translated block stood
# Names read the same in every language: the product and the file formats translators know.
_NAMES = {"Wagtail", "XLIFF 2.1", "PO (gettext)", "PO"}


def _readable(text):
    """The text with holes and entities removed, or "" when it has no word to read."""
    text = " ".join(_ENTITY.sub(" ", text.replace(_HOLE, " ")).split())
    if text.strip(" -–—|:·") in _NAMES or "://" in text or not _WORD.search(text):
        return ""
    return text


class _TextFinder(HTMLParser):
    """Text nodes (outside script/style) and read attributes of a template's HTML."""

    def __init__(self, line_of):
        super().__init__(convert_charrefs=False)
        self.line_of, self.found, self.hidden = line_of, [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in _READ_ATTRIBUTES and value and (text := _readable(value)):
                self.found.append((self.line_of(self.getpos()), text))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and (text := _readable(data)):
            self.found.append((self.line_of(self.getpos()), text))


def template_literals(source):
    """Texts a template shows (between tags, or in title/alt/placeholder/aria-label) without
    {% translate %}: a list of (line, text)."""
    flat, skipping_until = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.contents.split()
            name = bits[0] if bits else ""
            if skipping_until:
                if name == skipping_until:
                    skipping_until = None
                continue
            if name in _TRANSLATED_BLOCKS:
                skipping_until = _TRANSLATED_BLOCKS[name]
            elif name == "block" and len(bits) > 1 and _ATTRIBUTE_BLOCK.search(bits[1]):
                skipping_until = "endblock"
            elif name == "fragment" and _ATTRIBUTE_BLOCK.search(bits[-1]):
                skipping_until = "endfragment"
            flat.append((_HOLE, token.lineno))
            continue
        if skipping_until or token.token_type == TokenType.COMMENT:
            continue
        text = token.contents if token.token_type == TokenType.TEXT else _HOLE
        flat.append((text, token.lineno))
    # The HTML parser counts lines in the flattened text; map them back to template lines.
    lines, line = [], 1
    for text, lineno in flat:
        lines.append((line, lineno))
        line += text.count("\n")

    def line_of(position):
        flat_line = position[0]
        start, lineno = max((item for item in lines if item[0] <= flat_line), default=(1, 1))
        return lineno + flat_line - start

    finder = _TextFinder(line_of)
    finder.feed("".join(text for text, _ in flat))
    finder.close()
    return sorted(finder.found)


_TAG = re.compile(r"<[^>]*>", re.S)
_JS_COMMENT = re.compile(r"^\s*//[^\n]*|/\*.*?\*/", re.S | re.M)
_JS_STRING = re.compile(r"""(['"`])((?:\\.|(?!\1)[^\\\n])*)\1""")
_JS_GETTEXT_BEFORE = re.compile(r"\b(?:n|p|np)?gettext(?:_noop|_lazy)?\)?\(\s*(?:[^()]*,\s*)?$")
# A sentence or a label: a capitalised word followed by other words ("Copy content from").
_JS_PROSE = re.compile(r"^[A-Z][a-z]+(?: [A-Za-z][a-z]*)+[.:!?]?$")


def script_literals(source):
    """Sentences and labels a script puts on screen without gettext: a list of (line, text).

    A literal counts when, tags and ${…} removed, it reads as words starting with a capital;
    selectors, class names, keys and what goes to the console do not.
    """
    code = _JS_COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), source)
    found = []
    for match in _JS_STRING.finditer(code):
        line_start = code.rfind("\n", 0, match.start()) + 1
        before = code[line_start : match.start()]
        if "console." in before or _JS_GETTEXT_BEFORE.search(before):
            continue
        text = " ".join(_TAG.sub(" ", re.sub(r"\$\{[^}]*\}", " ", match.group(2))).split())
        if _JS_PROSE.match(text):
            found.append((code.count("\n", 0, match.start()) + 1, text))
    return found
