"""Admin additions of the translation workspace: its URL and the way to it from a page."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.widgets import Button

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from editorial.panels import language_name

from . import views
from .segments import segment_fields
from .workspace import unreviewed_machine_counts

translate_urls = (
    [path("pages/<int:page_id>/<str:lang>/", views.translate_page, name="page")],
    "translate",
)


@hooks.register("register_admin_urls")
def register_translate_urls():
    return [path("translate/", include(translate_urls))]


def is_translatable(page):
    """A page type with translatable text (the content type is cached: no query)."""
    model = page.specific_class
    return model is not None and any(True for _field in segment_fields(model))


@hooks.register("register_page_header_buttons")
def translate_buttons(page, user, view_name, next_url=None):
    """ "Translate into Vietnamese" in the page's header menu (edit view and explorer)."""
    if page.is_root() or not is_translatable(page):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    for lang in SUPPORTED_LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        yield Button(
            _("Translate into %(language)s") % {"language": language_name(lang)},
            views.translate_url(page.pk, lang),
            icon_name="globe",
            priority=45,
        )


@hooks.register("medical_review_approval_blockers")
def unreviewed_machine_suggestions(page):
    """A language with unreviewed machine suggestions cannot be approved in medical review."""
    if not page.pk:
        return []
    return [
        ngettext(
            "%(language)s has %(count)d machine-translated segment not reviewed: edit or "
            "confirm it in the Translate workspace before approving.",
            "%(language)s has %(count)d machine-translated segments not reviewed: edit or "
            "confirm them in the Translate workspace before approving.",
            count,
        )
        % {"language": language_name(lang), "count": count}
        for lang, count in sorted(unreviewed_machine_counts(page).items())
    ]
