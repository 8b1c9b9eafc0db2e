"""The Translate view: English source and target side by side, one row per segment."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from wagtail.models import Page

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence
from cms.translations import field_value
from revisions.concurrency import merged_message

from . import glossary, machine
from .workspace import MACHINE, MISSING, STALE, ConflictHeld, SaveRefused, Workspace

FILTERS = ("all", MISSING, STALE, MACHINE)
NEEDS_WORK = (MISSING, STALE, MACHINE)  # the rows "Next untranslated" and Alt+↓ go to
FIELD_PREFIX = "t:"
CONFIRM_PREFIX = "confirm:"
REMOVE_PREFIX = "remove:"


def translate_url(page_id, lang, filter_name="all"):
    url = reverse("translate:page", args=[page_id, lang])
    return url if filter_name == "all" else f"{url}?filter={filter_name}"


def translate_page(request, page_id, lang):
    """GET shows the workspace; POST saves the typed targets as a draft revision."""
    if lang not in SUPPORTED_LANGUAGES or lang == DEFAULT_LANGUAGE:
        raise Http404
    real_page = get_object_or_404(Page, id=page_id).specific
    if not real_page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    filter_name = request.GET.get("filter", "all")
    if filter_name not in FILTERS:
        filter_name = "all"
    workspace = Workspace(real_page, lang)

    if request.method != "POST":
        return _render(request, workspace, filter_name)

    typed = {
        key[len(FIELD_PREFIX) :]: value
        for key, value in request.POST.items()
        if key.startswith(FIELD_PREFIX)
    }
    if "suggest" in request.POST or "suggest_missing" in request.POST:
        return suggest(request, workspace, filter_name, typed)
    if "copy_structure" in request.POST:
        return _render(request, workspace, filter_name, confirm_copy=True)
    if "copy_structure_confirm" in request.POST:
        return copy_structure(request, workspace, filter_name)
    confirmed = {
        key[len(CONFIRM_PREFIX) :] for key in request.POST if key.startswith(CONFIRM_PREFIX)
    }
    remove = {key[len(REMOVE_PREFIX) :] for key in request.POST if key.startswith(REMOVE_PREFIX)}
    try:
        revision = workspace.save(
            typed, confirmed, request.user, request.POST.get("revision"), remove=remove
        )
    except ConflictHeld as conflict:
        messages.warning(request, conflict.errors[None][0])
        return redirect(conflict.held.url)
    except SaveRefused as refused:
        page_errors = refused.errors.pop(None, [])
        if refused.errors:
            messages.error(
                request,
                ngettext(
                    "Nothing was saved: %(count)d segment needs correcting (marked below).",
                    "Nothing was saved: %(count)d segments need correcting (marked below).",
                    len(refused.errors),
                )
                % {"count": len(refused.errors)},
            )
        for message in page_errors:
            messages.error(request, message)
        return _render(request, workspace, filter_name, typed, refused.errors, remove)
    if revision is None:
        messages.info(request, gettext("Nothing to save: no translation was changed."))
    else:
        messages.success(
            request,
            gettext("The translation is saved as a draft; nothing was published."),
        )
    if workspace.merged is not None:
        messages.info(request, merged_message(workspace.merged))
    if workspace.dropped:
        messages.info(
            request,
            ngettext(
                "%(count)d block removed from English was removed from the %(language)s text; "
                "earlier revisions keep it.",
                "%(count)d blocks removed from English were removed from the %(language)s text; "
                "earlier revisions keep them.",
                len(workspace.dropped),
            )
            % {"count": len(workspace.dropped), "language": language_in_sentence(lang)},
        )
    if workspace.left_empty:
        messages.warning(
            request,
            ngettext(
                "%(count)d segment was emptied: an empty box removes nothing, its previous "
                "translation stays. Type the new translation instead.",
                "%(count)d segments were emptied: an empty box removes nothing, their previous "
                "translations stay. Type the new translations instead.",
                len(workspace.left_empty),
            )
            % {"count": len(workspace.left_empty)},
        )
    return redirect(translate_url(real_page.pk, lang, filter_name))


def copy_structure(request, workspace, filter_name):
    """Lay out the English structure as missing segments, once the editor has confirmed."""
    try:
        count = workspace.copy_structure(request.user, request.POST.get("revision"))
    except SaveRefused as refused:
        for message in refused.errors.get(None, []):
            messages.error(request, message)
        return _render(request, workspace, filter_name)
    messages.success(
        request,
        ngettext(
            "The English structure is laid out: %(count)d segment to translate, marked "
            "missing. No %(language)s text was changed or removed.",
            "The English structure is laid out: %(count)d segments to translate, marked "
            "missing. No %(language)s text was changed or removed.",
            count,
        )
        % {"count": count, "language": language_in_sentence(workspace.lang)},
    )
    return redirect(translate_url(workspace.real_page.pk, workspace.lang, filter_name))


def _render(
    request,
    workspace,
    filter_name,
    typed=None,
    errors=None,
    remove=(),
    confirm_copy=False,
    keep=(),
):
    """``keep``: segment ids shown whatever the filter (suggestions just made for them)."""
    rows = workspace.rows(typed, errors)
    progress = workspace.progress()
    progress["glossary"] = glossary.annotate(rows, glossary.load_glossary())
    if filter_name != "all":
        # Statuses come from the saved records, so a refused save shows the rows it posted.
        rows = [row for row in rows if row.status == filter_name or row.segment.id in keep]
    page = workspace.page
    language = language_in_sentence(workspace.lang)
    # The first row left to do, for the "Next untranslated" link (keyboard.js moves on from it).
    next_segment = next(
        (n for n, row in enumerate(rows, start=1) if row.status in NEEDS_WORK), None
    )
    return TemplateResponse(
        request,
        "workspace/workspace.html",
        {
            "page": page,
            "rows": rows,
            "lang": workspace.lang,
            "source_lang": DEFAULT_LANGUAGE,
            "language": language,
            "source_language": language_in_sentence(DEFAULT_LANGUAGE),
            "progress": progress,
            "filters": [
                {"name": name, "url": translate_url(page.pk, workspace.lang, name)}
                for name in FILTERS
            ],
            "filter": filter_name,
            "next_segment": next_segment,
            "copy_structure": workspace.offers_copy_structure(),
            "structure_to_copy": len(workspace.structure_to_copy()),
            "confirm_copy": confirm_copy,
            "separate": workspace.separate,
            "removed_blocks": workspace.removed_blocks,
            "kept_blocks": workspace.kept_blocks,
            "remove": set(remove),
            "remove_prefix": REMOVE_PREFIX,
            "revision_id": workspace.revision_id or "",
            "action_url": translate_url(page.pk, workspace.lang, filter_name),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            # The English title: Wagtail's draft_title holds whichever language was saved last.
            "page_title": gettext("Translate: %(title)s")
            % {"title": field_value(page, "title", DEFAULT_LANGUAGE)},
            "header_icon": "globe",
            "field_prefix": FIELD_PREFIX,
            "confirm_prefix": CONFIRM_PREFIX,
            "machine": machine.configured(),
        },
    )


def suggest(request, workspace, filter_name, typed):
    """Machine suggestions for one segment or every missing one, stored unreviewed.

    What the editor typed elsewhere is shown again, unsaved; a failure stores nothing.
    """
    backend = machine.configured()
    if backend is None:
        messages.error(request, gettext("Machine translation is off: nothing was sent."))
        return _render(request, workspace, filter_name, typed)
    if "suggest_missing" in request.POST:
        segments = workspace.missing_segments()
    else:
        wanted = request.POST.get("suggest")
        segments = [segment for segment in workspace.segments if segment.id == wanted]
    if not segments:
        messages.info(request, gettext("No segment needs a suggestion."))
        return _render(request, workspace, filter_name, typed)
    try:
        suggestions, refused = machine.suggest(backend, segments, DEFAULT_LANGUAGE, workspace.lang)
    except machine.MachineTranslationError as error:
        messages.error(request, str(error))
        return _render(request, workspace, filter_name, typed)
    workspace.store_suggestions(suggestions, request.user)
    for segment_id in suggestions:
        typed.pop(segment_id, None)  # the box shows the suggestion
    if suggestions:
        messages.success(
            request,
            ngettext(
                "%(count)d machine suggestion from %(service)s is shown below, marked as not "
                "reviewed. Edit or confirm it, then save.",
                "%(count)d machine suggestions from %(service)s are shown below, marked as not "
                "reviewed. Edit or confirm each one, then save.",
                len(suggestions),
            )
            % {"count": len(suggestions), "service": backend.name},
        )
    if refused:
        messages.error(
            request,
            ngettext(
                "%(count)d suggestion was refused (marked below); nothing was stored for it.",
                "%(count)d suggestions were refused (marked below); nothing was stored for them.",
                len(refused),
            )
            % {"count": len(refused)},
        )
    return _render(
        request,
        workspace,
        filter_name,
        typed,
        {k: [v] for k, v in refused.items()},
        keep=set(suggestions),
    )
