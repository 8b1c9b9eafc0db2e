"""Admin additions of the translation workspace: its URL and the way to it from a page."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from editorial.panels import language_name

from . import views
from .segments import segment_fields

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


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    from .files import IMPORT_ACTION

    @actions.register_action(IMPORT_ACTION)
    class ImportedFromFile(LogFormatter):
        label = _("Import translations from a file")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Imported %(segments)s %(lang)s segments from “%(file)s” (by %(user)s)") % {
                "segments": data.get("segments", "?"),
                "lang": data.get("lang", ""),
                "file": data.get("file", ""),
                "user": data.get("user", ""),
            }
