"""A small reader of gettext .po files: what the coverage command and the tests need."""

from dataclasses import dataclass, field
from pathlib import Path

CONTEXT_SEPARATOR = "\x04"  # how gettext stores msgctxt + msgid as one catalogue key
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    # "msgstr" is stored as {0: ...}, "msgstr[n]" as {n: ...}
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    # "#: path:line" comments: where the source uses the message
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def key(self):
        """The key gettext uses in a compiled catalogue (context joined with \\x04)."""
        return (
            f"{self.msgctxt}{CONTEXT_SEPARATOR}{self.msgid}"
            if self.msgctxt is not None
            else self.msgid
        )

    @property
    def translated(self):
        """True when the entry would reach a compiled .mo: not fuzzy, every msgstr form filled."""
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text, path, lineno):
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_po(path):
    """Entries of a .po file: multi-line strings, msgctxt, msgid_plural and msgstr[n] handled;
    the header (empty msgid) and obsolete "#~" entries are skipped."""
    entries, entry, target = [], None, None

    def finish():
        if entry is not None and entry.msgid != "":
            entries.append(entry)

    for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            entry, target = None, None
            continue
        if line.startswith("#"):
            if line.startswith("#~"):  # obsolete entry
                continue
            # A comment after an entry's strings starts the next entry.
            if entry is not None and target is not None:
                finish()
                entry, target = None, None
            if line.startswith("#,"):
                entry = entry or PoEntry(line=lineno)
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            elif line.startswith("#:"):
                entry = entry or PoEntry(line=lineno)
                entry.references += [ref.rpartition(":")[0] or ref for ref in line[2:].split()]
            continue
        if line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"{path}:{lineno}: continuation line outside an entry")
            kind, index = target
            value = _unquote(line, path, lineno)
            if kind == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        after_msgstr = entry is not None and target is not None and target[0] == "msgstr"
        if keyword in ("msgctxt", "msgid") and after_msgstr:
            finish()  # entries not separated by a blank line
            entry = None
        entry = entry or PoEntry(line=lineno)
        value = _unquote(rest, path, lineno)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, value)
            if keyword == "msgid":
                entry.line = lineno
            target = (keyword, None)
        elif keyword == "msgstr":
            entry.msgstr[0] = value
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            entry.msgstr[index] = value
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{lineno}: unexpected line {raw!r}")
    finish()
    return entries
