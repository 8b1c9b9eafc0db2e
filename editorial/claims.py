"""Red-flag claims: find the phrases of the RedFlagClaim list in every text of a page.

Matching ignores case, Vietnamese diacritics (``đ`` folds to ``d``) and runs of
whitespace, and only matches whole words: "vinh vien" finds "vĩnh viễn", but
"guaranteed" is not found inside "unguaranteedly". Texts are walked from the
raw (JSON-ish) StreamField data, so checking a page never loads images, doctors
or pages referenced by its blocks: the cost does not grow with the number of blocks.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from cms.language import SUPPORTED_LANGUAGES
from cms.translations import field_value, translatable_fields

CACHE_KEY = "editorial:red-flag-claims:v1"
SNIPPET_RADIUS = 40
# Blocks where quoting a claim is the point (a warning about it), so their text is not checked.
DEFAULT_EXEMPT_BLOCKS = ("therapies.blocks.ClaimsWarningBlock",)
_TAG = re.compile(r"<[^>]+>")


def _fold_char(ch):
    if ch in "đĐ":
        return "d"
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text):
    """Fold ``text`` for matching: no diacritics, case-folded, whitespace runs as one space."""
    return fold_with_positions(text)[0]


def fold_with_positions(text):
    """The folded text and, for each of its characters, the index it came from in ``text``."""
    out, positions = [], []
    for index, ch in enumerate(text or ""):
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                positions.append(index)
            continue
        for folded in _fold_char(ch):
            out.append(folded)
            positions.append(index)
    if out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), positions


def html_to_text(value):
    """Rich text as a reader sees it: tags become spaces, entities are decoded."""
    return html.unescape(_TAG.sub(" ", str(value or "")))


@dataclass(frozen=True)
class Phrase:
    phrase: str
    language: str  # "en", "vi" or "both"


@dataclass(frozen=True)
class Hit:
    """One red-flag phrase found in one text of a page."""

    lang: str
    location: str
    phrase: str
    snippet: str

    def as_dict(self):
        return {
            "lang": self.lang,
            "location": self.location,
            "phrase": self.phrase,
            "snippet": self.snippet,
        }


class ClaimMatcher:
    """Compiled phrases, one regular expression per language."""

    def __init__(self, phrases):
        self.patterns = {}
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
            alternatives = "|".join(re.escape(f) for f in sorted(by_folded, key=len, reverse=True))
            self.patterns[lang] = (re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), by_folded)

    def find(self, text, lang):
        """``(phrase, start, end)`` for each phrase found in ``text``; indexes are into ``text``."""
        if lang not in self.patterns or not text:
            return []
        pattern, by_folded = self.patterns[lang]
        folded, positions = fold_with_positions(text)
        return [
            (by_folded[m.group(0)], positions[m.start()], positions[m.end() - 1] + 1)
            for m in pattern.finditer(folded)
        ]


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


def _block_texts(block, value, path):
    if value is None or is_exempt(block):
        return
    if isinstance(block, blocks.StreamBlock):
        yield from _stream_texts(block, value, path)
    elif isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            return
        for name, child in block.child_blocks.items():
            yield from _block_texts(child, value.get(name), f"{path} › {_label(child, name)}")
    elif isinstance(block, blocks.ListBlock):
        for number, item in enumerate(value, 1):
            if block._item_is_in_block_format(item):
                item = item["value"]
            yield from _block_texts(block.child_block, item, f"{path} {number}")
    elif isinstance(block, blocks.RichTextBlock):
        yield path, html_to_text(getattr(value, "source", value))
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        yield path, str(value)


def _stream_texts(stream_block, raw, path):
    for number, item in enumerate(raw or [], 1):
        child = stream_block.child_blocks.get(item.get("type"))
        if child is not None:
            yield from _block_texts(
                child, item.get("value"), f"{path} › {_label(child, item.get('type'))} {number}"
            )


def page_texts(page, lang):
    """``(location, text)`` for every translatable text of ``page`` in ``lang``.

    StreamFields are read from their raw data, so no block value is converted
    (no image, doctor or page lookups).
    """
    model = type(page)
    for name in translatable_fields(model):
        if name != "url_path":
            yield from field_texts(page, name, lang)


def field_texts(page, name, lang):
    """``(location, text)`` for one translatable field of ``page`` in ``lang``."""
    value = field_value(page, name, lang)
    if not value:
        return
    field = type(page)._meta.get_field(name)
    label = str(capfirst(field.verbose_name))
    if isinstance(field, StreamField):
        raw = value.get_prep_value() if hasattr(value, "get_prep_value") else value
        yield from _stream_texts(field.stream_block, raw, label)
    elif isinstance(field, RichTextField):
        yield label, html_to_text(value)
    elif name == "slug":
        yield label, value.replace("-", " ")
    else:
        yield label, str(value)


def check_page(page, matcher=None):
    """Every red-flag hit in every language of ``page`` (outside claims-warning blocks)."""
    matcher = matcher or get_matcher()
    hits = []
    for lang in SUPPORTED_LANGUAGES:
        for location, text in page_texts(page, lang):
            for phrase, start, end in matcher.find(text, lang):
                hits.append(Hit(lang, location, phrase, snippet(text, start, end)))
    return hits
