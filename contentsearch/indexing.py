"""What text of a page is searchable, folded so that accents are optional.

Wagtail's search indexes both language columns together and does not fold accents, so
"lieu phap" would not find "liệu pháp". The read model stores each document's text folded
with Unidecode (``contentsearch.documents``) and a reader's query is folded the same way,
so a search is a plain ``LIKE`` that behaves the same on SQLite and PostgreSQL without
extensions (no ``unaccent``).
"""

import re

from django.utils import translation
from unidecode import unidecode
from wagtail.rich_text import RichText, get_text_for_indexing

from cms.translations import translatable_fields

SKIPPED_FIELDS = {"slug", "url_path"}
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text):
    """``"Liệu pháp PRP!"`` → ``"lieu phap prp"``: lower-case ASCII words separated by spaces."""
    return _NON_WORD.sub(" ", unidecode(text or "").lower()).strip()


def _text_of(value, field):
    if value is None:
        return ""
    stream_block = getattr(field, "stream_block", None)
    if stream_block is not None:
        return " ".join(str(part) for part in stream_block.get_searchable_content(value))
    if isinstance(value, RichText):
        value = value.source
    # Wagtail's own, as its StreamField blocks give theirs: tags dropped with a space after
    # each paragraph, and character references decoded ("&amp;" is "&", not the word "amp").
    return get_text_for_indexing(str(value))


def page_text(page, lang):
    """Title and every translatable text field of ``page`` as a reader of ``lang`` sees them."""
    page = page.specific
    parts = []
    with translation.override(lang):
        for name in translatable_fields(type(page)):
            if name in SKIPPED_FIELDS:
                continue
            field = type(page)._meta.get_field(name)
            parts.append(_text_of(getattr(page, name), field))
        title = page.title or ""
    return title, " ".join(p for p in parts if p)
