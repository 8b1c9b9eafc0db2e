"""Which languages' fields an edit screen shows, per editor.

wagtail-modeltranslation's "View / edit fields for" toggles show or hide the fields of each
language. The edit screen opens with the languages the editor last chose
(``EditLanguages``), or with their admin language when they never chose; each toggle
stores the new choice through ``save_edit_languages``.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_code

from .models import EditLanguages


def admin_language():
    """The editor's admin language, as a content language (English when it is neither)."""
    return normalize_code(get_language()) or DEFAULT_LANGUAGE


def shown_languages(user):
    """The languages an edit screen opens with for ``user``, in the site's order."""
    choice = EditLanguages.objects.filter(user_id=user.pk).values_list("languages", flat=True)
    chosen = set(next(iter(choice), None) or [])
    shown = [lang for lang in SUPPORTED_LANGUAGES if lang in chosen]
    return shown or [admin_language()]


def edit_screen_config(user):
    """What the toggles' script reads: the languages to show and where to store a choice."""
    return {"shown": shown_languages(user), "url": reverse("editorial:edit_languages")}


@require_POST
def save_edit_languages(request):
    """Store the languages the editor shows now (``languages``, repeated; none hides all)."""
    languages = request.POST.getlist("languages")
    unknown = [code for code in languages if code not in SUPPORTED_LANGUAGES]
    if unknown:
        return JsonResponse(
            {
                "error": gettext("Unknown language: %(codes)s. Known: %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(SUPPORTED_LANGUAGES)}
            },
            status=400,
        )
    shown = [lang for lang in SUPPORTED_LANGUAGES if lang in languages]
    EditLanguages.objects.update_or_create(user=request.user, defaults={"languages": shown})
    return JsonResponse({"languages": shown})
