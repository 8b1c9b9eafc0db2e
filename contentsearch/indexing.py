"""What text of a page is searchable, and keeping the folded table up to date."""

from django.utils import translation
from django.utils.html import strip_tags
from wagtail.rich_text import RichText

from cms.language import SUPPORTED_LANGUAGES
from cms.translations import translatable_fields

from .models import PageSearchText, fold

SKIPPED_FIELDS = {"slug", "url_path"}


def _text_of(value, field):
    if value is None:
        return ""
    stream_block = getattr(field, "stream_block", None)
    if stream_block is not None:
        return " ".join(str(part) for part in stream_block.get_searchable_content(value))
    if isinstance(value, RichText):
        value = value.source
    return strip_tags(str(value))


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


def index_page(page):
    for lang in SUPPORTED_LANGUAGES:
        title, text = page_text(page, lang)
        PageSearchText.objects.update_or_create(
            page_id=page.pk, lang=lang, defaults={"title": fold(title), "text": fold(text)}
        )


def unindex_page(page):
    PageSearchText.objects.filter(page_id=page.pk).delete()
