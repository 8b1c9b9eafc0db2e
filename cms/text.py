"""Unicode normalisation of stored text.

Vietnamese can be typed in composed (NFC, "ệ" as one code point) or decomposed
form ("e" + two combining marks). Both look the same but compare, search and
match differently, so everything editors save is stored composed.
"""

import json
import unicodedata

from django.db import models
from modeltranslation.translator import NotRegistered, translator
from wagtail.fields import StreamField


def nfc(value):
    """Return ``value`` in NFC if it is a string; anything else unchanged."""
    if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
        return unicodedata.normalize("NFC", value)
    return value


def translated_field_names(model):
    """Names of a model's language-dependent fields (``title``, not ``title_en``/``title_vi``).

    Reading one returns the active language's value or, where it is empty, English's;
    writing one writes the active language. Code that reads and writes such a field back
    refills an emptied Vietnamese field with English, so it works on ``title_vi`` instead.
    """
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def normalize_instance(instance):
    """NFC-normalise every text field of a model instance, StreamFields included.

    Each language's own column is normalised; the language-dependent field is skipped.
    """
    skipped = translated_field_names(type(instance))
    for field in instance._meta.concrete_fields:
        if field.name in skipped:
            continue
        value = getattr(instance, field.attname, None)
        if value is None:
            continue
        if isinstance(field, StreamField):
            raw = json.dumps(field.stream_block.get_prep_value(value), ensure_ascii=False)
            if not unicodedata.is_normalized("NFC", raw):
                setattr(instance, field.attname, json.loads(unicodedata.normalize("NFC", raw)))
        elif isinstance(field, (models.CharField, models.TextField)) and nfc(value) != value:
            setattr(instance, field.attname, nfc(value))


class NFCNormalizedMixin:
    """Model mixin: text is normalised in ``clean()`` (admin forms, revisions) and on save."""

    def clean(self):
        normalize_instance(self)
        super().clean()

    def save(self, *args, **kwargs):
        normalize_instance(self)
        return super().save(*args, **kwargs)
