"""Files for translators from the admin: download a page, a section or the rows selected in
the Missing translations report as XLIFF 2.1 or PO; upload a translated file back.

Downloads stream (``StreamingHttpResponse`` over ``files.export_pieces``, which reads the
pages a chunk at a time). Uploads go through ``files.import_file``, the command's own
path: every unit is checked before anything is written, a dry run writes nothing, and
a real import saves one draft revision per page with a log entry naming the file and
the user. Only pages the user may edit are exported or imported.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms import clock
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.translations import field_value
from editorial.panels import language_name

from . import files

FORMATS = {
    "xliff": ("xlf", "application/xliff+xml; charset=utf-8"),
    "po": ("po", "text/x-gettext-translation; charset=utf-8"),
}
TARGETS = [lang for lang in SUPPORTED_LANGUAGES if lang != DEFAULT_LANGUAGE]
# An upload larger than this is refused before it is parsed.
MAX_UPLOAD = 20 * 1024 * 1024


def files_url(page_id):
    return reverse("translate:files", args=[page_id])


def _editable(page, user):
    return page.permissions_for_user(user).can_edit()


def _may_edit_some_page(user):
    return PagePermissionPolicy().user_has_permission(user, "change")


def page_files(request, page_id):
    """One page's files: download it or its section; upload a translated file."""
    real_page = get_object_or_404(Page, id=page_id)
    if real_page.is_root() or not _editable(real_page, request.user):
        raise PermissionDenied
    title = field_value(real_page.specific, "title", DEFAULT_LANGUAGE) or real_page.title
    return TemplateResponse(
        request,
        "workspace/files.html",
        {
            "page": real_page,
            "page_title": gettext("Translation files: %(title)s") % {"title": title},
            "header_icon": "doc-full",
            "languages": [(lang, language_name(lang)) for lang in TARGETS],
            "descendants": real_page.get_descendants().count(),
            "export_url": reverse("translate:files_export"),
            "import_url": reverse("translate:files_import"),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[real_page.pk]),
        },
    )


def _back(request, fallback):
    target = request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def export_download(request):
    """Stream one file: ``page`` with ``scope`` page or section, or ``rows`` (``id:lang``)
    from the Missing translations report; ``format`` xliff or po; ``lang`` the target."""
    file_format = request.GET.get("format", "xliff")
    report_url = reverse("editorial:missing_translations")
    if file_format not in FORMATS:
        messages.error(request, gettext("Choose XLIFF or PO."))
        return _back(request, report_url)
    rows = request.GET.getlist("rows")
    if rows or "page" not in request.GET:
        return _export_rows(request, rows, file_format, report_url)
    lang = request.GET.get("lang", TARGETS[0] if len(TARGETS) == 1 else "")
    if lang not in TARGETS:
        raise Http404
    page_id = request.GET.get("page", "")
    if not page_id.isdigit():
        raise Http404
    real_page = get_object_or_404(Page, id=int(page_id))
    if real_page.is_root() or not _editable(real_page, request.user):
        raise PermissionDenied
    section = request.GET.get("scope") == "section"
    pages = files.pages_to_export(
        section_id=real_page.pk if section else None,
        page_id=None if section else real_page.pk,
        user=request.user,
    )
    slug = field_value(real_page, "slug", DEFAULT_LANGUAGE) or str(real_page.pk)
    name = f"{slug}-section" if section else slug
    return _stream(pages, lang, file_format, f"{name}-{lang}")


def _export_rows(request, rows, file_format, report_url):
    """The pages of the report rows selected (``page id:lang``), in one target language."""
    wanted, langs = set(), set()
    for row in rows:
        page_id, _sep, lang = row.partition(":")
        if page_id.isdigit() and lang in TARGETS:
            wanted.add(int(page_id))
            langs.add(lang)
    if not wanted:
        messages.error(request, gettext("Select the rows to export first."))
        return _back(request, report_url)
    if len(langs) > 1:
        messages.error(
            request,
            gettext("A file holds one language: select rows of one language, or filter by it."),
        )
        return _back(request, report_url)
    editable = set(
        files.editable_pages(request.user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if editable != wanted:
        raise PermissionDenied
    lang = langs.pop()
    pages = files.pages_to_export(page_ids=wanted)
    # File names stay ASCII: they travel by e-mail and through CAT tools.
    name = f"missing-translations-{len(wanted)}-page{'s' if len(wanted) > 1 else ''}"
    return _stream(pages, lang, file_format, f"{name}-{lang}")


def _in_language(pieces, language):
    # The body is written after the view returns: keep the editor's language for its notes.
    with translation.override(language):
        yield from pieces


def _stream(pages, lang, file_format, name):
    extension, content_type = FORMATS[file_format]
    file_name = f"{name}-{clock.now().date().isoformat()}.{extension}"
    pieces = files.export_pieces(pages, lang, file_format)
    response = StreamingHttpResponse(
        _in_language(pieces, translation.get_language()), content_type=content_type
    )
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "private, no-store"
    return response


def import_upload(request):
    """GET: the upload form. POST: check the file, import it (or not, on a dry run or an
    error) and show what was found and done."""
    if not _may_edit_some_page(request.user):
        raise PermissionDenied
    context = {
        "page_title": gettext("Import a translation file"),
        "header_icon": "upload",
        "import_url": reverse("translate:files_import"),
        "report": None,
        "dry_run": request.method == "POST" and bool(request.POST.get("dry_run")),
    }
    if request.method != "POST":
        return TemplateResponse(request, "workspace/files_import.html", context)
    upload = request.FILES.get("file")
    error = None
    if upload is None:
        error = gettext("Choose an XLIFF or PO file to import.")
    elif upload.size > MAX_UPLOAD:
        error = gettext("The file is too large (more than %(size)s MB).") % {
            "size": MAX_UPLOAD // (1024 * 1024)
        }
    else:
        try:
            parsed = files.read(upload.read(), upload.name)
        except files.FileError as problem:
            error = str(problem)
    if error:
        context["error"] = error
        return TemplateResponse(request, "workspace/files_import.html", context, status=400)
    dry_run = context["dry_run"]
    report = files.import_file(
        parsed, upload.name, user=request.user, dry_run=dry_run, check_permissions=True
    )
    context.update(
        {
            "report": report,
            "file_name": upload.name,
            "lines": report.summary_lines(dry_run=dry_run),
            "saved": [
                {
                    "title": plan.workspace.page.title_en or plan.workspace.page.title,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[page_id]),
                    "translate_url": reverse("translate:page", args=[page_id, report.lang]),
                    "segments": plan.changes,
                }
                for page_id, plan in report.plans.items()
                if plan.changes and (dry_run or page_id in report.saved_pages)
            ]
            if not report.errors
            else [],
        }
    )
    if report.errors:
        messages.error(request, gettext("Nothing was imported: the file has errors (below)."))
    elif dry_run:
        messages.info(request, gettext("Dry run: nothing was written."))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d page saved as a draft revision; nothing was published.",
                "%(count)d pages saved as draft revisions; nothing was published.",
                len(report.saved_pages),
            )
            % {"count": len(report.saved_pages)},
        )
    return TemplateResponse(
        request,
        "workspace/files_import.html",
        context,
        status=400 if report.errors else 200,
    )
