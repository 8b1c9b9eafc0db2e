"""Admin additions of the translation workspace: its URLs, the way to it, the glossary."""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence

from . import file_views, views
from .glossary import write_csv
from .models import Term
from .segments import segment_fields
from .workspace import live_segment_counts, load_workspaces, unreviewed_machine_counts


def export_glossary(request):
    """The glossary as CSV for translators: UTF-8 with BOM, so Excel shows the diacritics."""
    if not ModelPermissionPolicy(Term).user_has_any_permission(
        request.user, ["add", "change", "delete", "view"]
    ):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="glossary.csv"'
    response.write("\ufeff")
    write_csv(Term.objects.all(), response)
    return response


translate_urls = (
    [
        path("pages/<int:page_id>/<str:lang>/", views.translate_page, name="page"),
        path("glossary.csv", export_glossary, name="glossary_export"),
        path("files/pages/<int:page_id>/", file_views.page_files, name="files"),
        path("files/export/", file_views.export_download, name="files_export"),
        path("files/import/", file_views.import_upload, name="files_import"),
    ],
    "translate",
)


class TermIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Export CSV"), url=reverse("translate:glossary_export"), icon_name="download"
            ),
        ]


class TermViewSet(SnippetViewSet):
    """The medical glossary, next to the red-flag claims in the admin menu."""

    model = Term
    index_view_class = TermIndexView
    icon = "list-ul"
    menu_order = 311
    add_to_admin_menu = True
    menu_label = _("Medical glossary")
    list_display = ["english", "vietnamese", "keep_as_is", "note"]
    list_filter = ["keep_as_is"]
    search_fields = ["english", "vietnamese"]


register_snippet(TermViewSet)


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
            _("Translate into %(language)s") % {"language": language_in_sentence(lang)},
            views.translate_url(page.pk, lang),
            icon_name="globe",
            priority=45,
        )
    yield Button(
        _("Translation files (XLIFF, PO)"),
        file_views.files_url(page.pk),
        icon_name="doc-full",
        priority=46,
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


@hooks.register("editorial_translation_report_rows")
def glossary_flags_in_report(rows):
    """Glossary flags of each report row's latest draft, in a fixed number of queries."""
    from .glossary import annotate, load_glossary

    glossary = load_glossary()
    if not glossary:
        return
    workspaces = load_workspaces((row.page, row.lang) for row in rows)
    for row in rows:
        workspace = workspaces.get((row.page_id, row.lang))
        if workspace is not None:
            row.glossary_flags = annotate(workspace.rows(), glossary)


@hooks.register("editorial_translation_progress")
def segment_progress(pages, lang):
    """Page id → segment counts of the latest draft in ``lang`` and the workspace's address.

    A fixed number of queries for a whole explorer listing or report page.
    """
    workspaces = load_workspaces((page, lang) for page in pages if is_translatable(page))
    return {
        page_id: {**workspace.progress(), "url": views.translate_url(page_id, lang)}
        for (page_id, _lang), workspace in workspaces.items()
    }


@hooks.register("editorial_live_segment_counts")
def segment_counts_of_live_content(page):
    """Segment counts of the content just published, for the API's ``translations[lang]``."""
    if not is_translatable(page):
        return {}
    return live_segment_counts(page)


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
        % {"language": language_in_sentence(lang), "count": count}
        for lang, count in sorted(unreviewed_machine_counts(page).items())
    ]


@hooks.register("insert_editor_js")
def confirm_copy_content():
    """A confirmation before wagtail-modeltranslation's "Copy content from" overwrites a field.

    The messages are rendered here, in the editor's admin language, for every pair of
    languages the buttons can copy between; the script picks the one a button names.
    """
    codes = [lang.replace("-", "_") for lang in SUPPORTED_LANGUAGES]
    messages = {
        "": gettext(
            "Replace this content with the other language's? The current text will be overwritten."
        )
    }
    for source in SUPPORTED_LANGUAGES:
        for target in SUPPORTED_LANGUAGES:
            if source != target:
                key = f"{source.replace('-', '_')}>{target.replace('-', '_')}"
                messages[key] = gettext(
                    "Replace the %(target)s content with the %(source)s? The current "
                    "%(target)s text will be overwritten."
                ) % {"source": language_in_sentence(source), "target": language_in_sentence(target)}
    return json_script(
        {"languages": codes, "messages": messages}, "copy-content-confirm"
    ) + format_html('<script src="{}"></script>', static("workspace/copy_confirm.js"))
