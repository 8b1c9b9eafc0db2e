"""Red-flag claims: find the phrases of the RedFlagClaim list in every text of a page.

Matching ignores case, Vietnamese diacritics (``đ`` folds to ``d``), compatibility
forms (fullwidth letters), invisible characters, runs of whitespace and letters of
other scripts drawn to look Latin, and only matches whole words: "vinh vien" finds
"vĩnh viễn" and "mіracle" with a Cyrillic "і", but "guaranteed" is not found inside
"unguaranteedly". Rich text is read as a reader sees it: inline tags vanish
("sa<b>fe</b>" reads "safe"), block tags separate words. Texts are walked from the
raw (JSON-ish) StreamField data, so checking a page never loads images, doctors or
pages referenced by its blocks: the cost does not grow with the number of blocks.
"""

import html
import re
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import categories as unicode_scripts
from confusable_homoglyphs import confusables as unicode_confusables
from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from cms.language import SUPPORTED_LANGUAGES
from cms.stream_data import is_list_item
from cms.translations import field_value, translatable_fields

CACHE_KEY = "editorial:red-flag-claims:v1"
SNIPPET_RADIUS = 40
# Blocks where quoting a claim is the point (a warning about it), so their text is not checked.
DEFAULT_EXEMPT_BLOCKS = ("therapies.blocks.ClaimsWarningBlock",)

# -- folding ----------------------------------------------------------------------------------

# Scripts whose look-alike letters fold onto the Latin letter they imitate. Latin itself is
# never folded onto other Latin letters ("rn" stays "rn"), so ordinary text gains no hits.
LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK")
# Invisible characters that are letters (Hangul fillers), so the category test misses them;
# Unicode lists them as Default_Ignorable_Code_Point.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Format characters (zero-width space and joiners, soft hyphen, word joiner, BOM, bidi
# controls) and marks (diacritics, variation selectors) are dropped from folded text.
_DROPPED_CATEGORIES = frozenset(("Cf", "Mn", "Me"))
# A look-alike that Unicode confuses with several ASCII letters ("І" looks like "I" and "l")
# folds to a private-use stand-in that the matcher accepts for each of those letters.
_STAND_IN_BASE = 0xE000


def _ascii_letters_among(entries):
    return {entry["c"] for entry in entries if entry["c"] in string.ascii_letters}


def _lookalike_table(data):
    """``{char: folded letter or stand-in}`` and ``{stand-in: letters}`` from Unicode's confusables.

    Only letters of LOOKALIKE_SCRIPTS whose confusables include a single ASCII letter are kept.
    """
    table, stand_ins, by_letters = {}, {}, {}
    for char, entries in sorted(data.items()):
        if (
            len(char) != 1
            or not unicodedata.category(char).startswith("L")
            or unicode_scripts.alias(char) not in LOOKALIKE_SCRIPTS
        ):
            continue
        letters = _ascii_letters_among(entries)
        # The data confuses some ASCII letters with each other ("I" and "l"): a glyph like
        # one of them may stand for any of them.
        for letter in tuple(letters):
            letters |= _ascii_letters_among(data.get(letter, ()))
        folded = "".join(sorted({letter.casefold() for letter in letters}))
        if len(folded) == 1:
            table[char] = folded
        elif folded:
            if folded not in by_letters:
                by_letters[folded] = chr(_STAND_IN_BASE + len(by_letters))
                stand_ins[by_letters[folded]] = folded
            table[char] = by_letters[folded]
    return table, stand_ins


LOOKALIKES, STAND_INS = _lookalike_table(unicode_confusables.confusables_data)


def _fold_piece(ch):
    if ch in _INVISIBLE_LETTERS or unicodedata.category(ch) in _DROPPED_CATEGORIES:
        return ""
    return LOOKALIKES.get(ch) or ch.casefold()


@lru_cache(maxsize=4096)
def _fold_char(ch):
    if ch in "đĐ":
        return "d"
    if ch in LOOKALIKES:
        return LOOKALIKES[ch]
    # NFKD: fullwidth and other compatibility forms become their plain letters, and
    # diacritics come apart from their letters (NFC and NFD input fold alike).
    return "".join(_fold_piece(piece) for piece in unicodedata.normalize("NFKD", ch))


def fold(text):
    """Fold ``text`` for matching: no diacritics, case-folded, whitespace runs as one space.

    Look-alike letters of other scripts become the Latin letter they imitate, or a
    private-use stand-in (see ``STAND_INS``) when they imitate several.
    """
    return fold_with_positions(text)[0]


def fold_with_positions(text):
    """The folded text and, for each of its characters, the index it came from in ``text``."""
    out, positions = [], []
    for index, ch in enumerate(text or ""):
        for folded in " " if ch.isspace() else _fold_char(ch):
            if folded.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
                    positions.append(index)
                continue
            out.append(folded)
            positions.append(index)
    if out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), positions


# -- rich text --------------------------------------------------------------------------------

# Tags that start a new line or box: they separate words. Any other tag is inline and
# vanishes, as it does for a reader ("sa<b>fe</b>" reads "safe").
_BLOCK_TAGS = frozenset(
    """address article aside blockquote br caption dd details dialog div dl dt embed fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr iframe img li main nav ol p pre
    section summary table tbody td tfoot th thead tr ul""".split()
)
# A comment, a tag, or a character reference (the forms ``html.unescape`` decodes).
_MARKUP = re.compile(
    r"<!--.*?(?:-->|$)"
    r"|<[A-Za-z/!?][^>]*>"
    r"|&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)",
    re.DOTALL,
)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)")
# An image's alternative text is text of the page too (Wagtail stores ``<embed alt="…">``).
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def rich_text_with_spans(source):
    """Rich text as a reader sees it, and for each of its characters the span of ``source``
    (``(start, end)``) it comes from: inline tags vanish, block tags become a space,
    character references are decoded, images read as their alternative text."""
    source = str(source or "")
    chars, spans = [], []

    def literal(start, end):
        chars.extend(source[start:end])
        spans.extend((i, i + 1) for i in range(start, end))

    last = 0
    for match in _MARKUP.finditer(source):
        literal(last, match.start())
        token, span = match.group(0), match.span()
        if token.startswith("&"):
            decoded = html.unescape(token)
            if decoded == token:
                literal(*span)
            else:
                chars.extend(decoded)
                spans.extend([span] * len(decoded))
        else:
            name = _TAG_NAME.match(token)
            if name and name.group(1).lower() in _BLOCK_TAGS:
                chars.append(" ")
                spans.append(span)
                alt = _ALT.search(token)
                if alt:
                    group = 1 if alt.group(1) is not None else 2
                    offset = match.start() + alt.start(group)
                    text, alt_spans = rich_text_with_spans(alt.group(group))
                    chars.extend(text + " ")
                    spans.extend([(offset + a, offset + b) for a, b in alt_spans] + [span])
        last = match.end()
    literal(last, len(source))
    return "".join(chars), spans


def html_to_text(value):
    """Rich text as a reader sees it: inline tags vanish, block tags become spaces."""
    return rich_text_with_spans(value)[0]


@dataclass(frozen=True)
class Phrase:
    phrase: str
    language: str  # "en", "vi" or "both"


@dataclass(frozen=True)
class Hit:
    """One red-flag phrase found in one text of a page.

    ``start`` and ``end`` index the stored value at ``location`` (markup included for rich
    text), so an editor's view can highlight the claim where it was typed.
    """

    lang: str
    location: str
    phrase: str
    snippet: str
    start: int = 0
    end: int = 0

    def as_dict(self):
        return {
            "lang": self.lang,
            "location": self.location,
            "phrase": self.phrase,
            "snippet": self.snippet,
            "start": self.start,
            "end": self.end,
        }


def _letter_pattern(ch):
    """A folded phrase character as a pattern: a letter also accepts look-alike stand-ins, and
    a stand-in (a look-alike typed into the phrase) accepts the letters it stands for."""
    if ch in STAND_INS:
        return f"[{ch}{STAND_INS[ch]}]"
    stand_ins = "".join(s for s, letters in STAND_INS.items() if ch in letters)
    return f"[{re.escape(ch)}{stand_ins}]" if stand_ins else re.escape(ch)


def _phrase_pattern(folded):
    return "".join(_letter_pattern(ch) for ch in folded)


class ClaimMatcher:
    """Compiled phrases, one regular expression per language."""

    def __init__(self, phrases):
        self.patterns = {}
        # Stand-ins are letters too: a word does not start or end next to one.
        word = rf"[\w{''.join(STAND_INS)}]"
        for lang in SUPPORTED_LANGUAGES:
            by_folded = {}
            for item in phrases:
                if item.language in (lang, "both"):
                    folded = fold(item.phrase)
                    if folded:
                        by_folded.setdefault(folded, item.phrase)
            if not by_folded:
                continue
            # Longest first, so "guaranteed results" wins over a shorter overlapping phrase.
            ordered = sorted(by_folded, key=len, reverse=True)
            alternatives = "|".join(
                f"(?P<p{n}>{_phrase_pattern(f)})" for n, f in enumerate(ordered)
            )
            pattern = re.compile(rf"(?<!{word})(?:{alternatives})(?!{word})")
            self.patterns[lang] = (pattern, [by_folded[f] for f in ordered])

    def find(self, text, lang):
        """``(phrase, start, end)`` for each phrase found in ``text``; indexes are into ``text``."""
        if lang not in self.patterns or not text:
            return []
        pattern, phrases = self.patterns[lang]
        folded, positions = fold_with_positions(text)
        found = []
        for match in pattern.finditer(folded):
            end = positions[match.end() - 1] + 1
            # Diacritics typed after their letter (NFD) belong to the match.
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            found.append((phrases[int(match.lastgroup[1:])], positions[match.start()], end))
        return found


def snippet(text, start, end, radius=SNIPPET_RADIUS):
    """The match with some surrounding text, whitespace collapsed, cut at word edges with "…"."""
    left = max(0, start - radius)
    right = min(len(text), end + radius)
    if left > 0 and " " in text[left:start]:
        left = text.index(" ", left) + 1
    if right < len(text) and " " in text[end:right]:
        right = text.rindex(" ", end, right)
    piece = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + piece + ("…" if right < len(text) else "")


@lru_cache(maxsize=8)
def _compiled(phrases):
    return ClaimMatcher(phrases)


def load_phrases():
    """The claim list, from the cache when possible (one query when cold, none when warm)."""
    phrases = cache.get(CACHE_KEY)
    if phrases is None:
        from .models import RedFlagClaim

        phrases = tuple(
            Phrase(phrase, language)
            for phrase, language in RedFlagClaim.objects.order_by("pk").values_list(
                "phrase", "language"
            )
        )
        cache.set(CACHE_KEY, phrases, None)
    return phrases


def forget_phrases():
    cache.delete(CACHE_KEY)


def get_matcher():
    return _compiled(load_phrases())


@lru_cache(maxsize=1)
def _exempt_block_classes(paths):
    return tuple(import_string(path) for path in paths)


def is_exempt(block):
    paths = tuple(getattr(settings, "EDITORIAL_CLAIMS_EXEMPT_BLOCKS", DEFAULT_EXEMPT_BLOCKS))
    return isinstance(block, _exempt_block_classes(paths))


def _label(block, fallback):
    return str(capfirst(block.label or fallback or block.name))


@dataclass(frozen=True)
class Passage:
    """One text of a page as a reader sees it, and where each character sits in ``source``.

    ``spans`` is None when the text is the stored value itself (plain text fields).
    """

    location: str
    text: str
    source: str
    spans: list | None = None

    @classmethod
    def plain(cls, location, value):
        value = str(value)
        return cls(location, value, value)

    @classmethod
    def rich(cls, location, source):
        source = str(source or "")
        text, spans = rich_text_with_spans(source)
        return cls(location, text, source, spans)

    def source_span(self, start, end):
        """The span of ``source`` that the text ``text[start:end]`` comes from."""
        if self.spans is None:
            return start, end
        return self.spans[start][0], self.spans[end - 1][1]


def _block_passages(block, value, path):
    if value is None or is_exempt(block):
        return
    if isinstance(block, blocks.StreamBlock):
        yield from _stream_passages(block, value, path)
    elif isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            return
        for name, child in block.child_blocks.items():
            yield from _block_passages(child, value.get(name), f"{path} › {_label(child, name)}")
    elif isinstance(block, blocks.ListBlock):
        for number, item in enumerate(value, 1):
            if is_list_item(item):
                item = item["value"]
            yield from _block_passages(block.child_block, item, f"{path} {number}")
    elif isinstance(block, blocks.RichTextBlock):
        yield Passage.rich(path, getattr(value, "source", value))
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        yield Passage.plain(path, value)


def _stream_passages(stream_block, raw, path):
    for number, item in enumerate(raw or [], 1):
        child = stream_block.child_blocks.get(item.get("type"))
        if child is not None:
            yield from _block_passages(
                child, item.get("value"), f"{path} › {_label(child, item.get('type'))} {number}"
            )


def page_passages(page, lang):
    """A ``Passage`` for every translatable text of ``page`` in ``lang``.

    StreamFields are read from their raw data, so no block value is converted
    (no image, doctor or page lookups).
    """
    for name in translatable_fields(type(page)):
        if name != "url_path":
            yield from field_passages(page, name, lang)


def field_passages(page, name, lang):
    """A ``Passage`` for each text of one translatable field of ``page`` in ``lang``."""
    value = field_value(page, name, lang)
    if not value:
        return
    field = type(page)._meta.get_field(name)
    label = str(capfirst(field.verbose_name))
    if isinstance(field, StreamField):
        raw = value.get_prep_value() if hasattr(value, "get_prep_value") else value
        yield from _stream_passages(field.stream_block, raw, label)
    elif isinstance(field, RichTextField):
        yield Passage.rich(label, value)
    elif name == "slug":
        # A slug reads as words: the hyphen is the only separator, and stays at its index.
        yield Passage(label, value.replace("-", " "), value)
    else:
        yield Passage.plain(label, value)


def page_texts(page, lang):
    """``(location, text)`` for every translatable text of ``page`` in ``lang``."""
    for passage in page_passages(page, lang):
        yield passage.location, passage.text


def field_texts(page, name, lang):
    """``(location, text)`` for one translatable field of ``page`` in ``lang``."""
    for passage in field_passages(page, name, lang):
        yield passage.location, passage.text


def check_page(page, matcher=None):
    """Every red-flag hit in every language of ``page`` (outside claims-warning blocks)."""
    matcher = matcher or get_matcher()
    hits = []
    for lang in SUPPORTED_LANGUAGES:
        for passage in page_passages(page, lang):
            for phrase, start, end in matcher.find(passage.text, lang):
                hits.append(
                    Hit(
                        lang,
                        passage.location,
                        phrase,
                        snippet(passage.text, start, end),
                        *passage.source_span(start, end),
                    )
                )
    return hits
