"""Template access to the medical review in the reader's language, and the edit screen's
language toggles."""

from django import template
from django.utils.html import json_script
from django.utils.translation import get_language

from cms.language import DEFAULT_LANGUAGE, normalize_code

from ..edit_languages import edit_screen_config
from ..review import current_review

register = template.Library()


@register.simple_tag
def medical_review(page):
    """The current review of ``page`` in the active language, or None (lapsed or never reviewed)."""
    return current_review(page, normalize_code(get_language()) or DEFAULT_LANGUAGE)


@register.simple_tag(takes_context=True)
def edit_languages_config(context):
    """The edit screen's language toggles: which to show for this editor (a JSON script)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return json_script(edit_screen_config(user), "w-edit-languages")
