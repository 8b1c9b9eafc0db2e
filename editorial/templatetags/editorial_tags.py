"""Template access to the medical review that applies to a page in the reader's language."""

from django import template
from django.utils.translation import get_language

from cms.language import DEFAULT_LANGUAGE, normalize_code

from ..review import current_review

register = template.Library()


@register.simple_tag
def medical_review(page):
    """The current review of ``page`` in the active language, or None (lapsed or never reviewed)."""
    return current_review(page, normalize_code(get_language()) or DEFAULT_LANGUAGE)
