"""Admin views: the "Missing translations", "Reviews due" and "Red-flag claims in drafts"
reports (their rows are also the dashboard's), confirming a translation."""

import datetime

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import log
from wagtail.models import Page, get_page_content_types
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms import clock
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence
from cms.translations import DRAFT, LIVE

from . import status as page_status
from .claims import field_texts
from .models import MedicalReview, PageLanguageStatus
from .panels import (
    REVIEW_STATE_LABELS,
    field_label,
    language_name,
    scope_state,
    scope_summary,
)
from .progress import progress_label, segment_progress

LIVE_HEADING = _("Live: what readers see")
DRAFT_HEADING = _("Latest draft")

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


def _editable_pages(user):
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def row_title(row):
    """The row's page title in the editor's language, the other as a hint (no query: the
    titles of every language are on the page row)."""
    return row.page.specific_deferred.get_admin_display_title()


def _edit_url(row):
    return reverse("wagtailadmin_pages:edit", args=[row.page_id])


def _translate_url(row):
    """The translation workspace for the row's page and language (none for the default)."""
    if row.lang == DEFAULT_LANGUAGE:
        return None
    return reverse("translate:page", args=[row.page_id, row.lang])


def _translate_text(row):
    return gettext("Translate") if row.lang != DEFAULT_LANGUAGE else "—"


def _page_type(row):
    model = row.page.content_type.model_class()
    return model._meta.verbose_name if model else ""


class _PageLanguageFilterSet(WagtailFilterSet):
    lang = django_filters.ChoiceFilter(
        label=_("Language"), choices=LANGUAGE_CHOICES, empty_label=_("All")
    )
    content_type = ContentTypeFilter(
        label=_("Page type"),
        field_name="page__content_type",
        queryset=lambda request: get_page_content_types(include_base_page_type=False),
    )

    class Meta:
        model = PageLanguageStatus
        fields = ["lang", "content_type"]


class MissingTranslationsFilterSet(_PageLanguageFilterSet):
    problem = django_filters.ChoiceFilter(
        label=_("Problem"),
        choices=[("missing", _("Missing fields")), ("stale", _("Out of date"))],
        method="filter_problem",
        empty_label=_("All"),
    )

    def filter_problem(self, queryset, name, value):
        # A problem of the live text or of the latest draft (the rows are the draft's).
        if value == "missing":
            return queryset.filter(Q(is_complete=False) | _live_has(is_complete=False))
        if value == "stale":
            return queryset.filter(Q(is_stale=True) | _live_has(is_stale=True))
        return queryset

    class Meta(_PageLanguageFilterSet.Meta):
        fields = ["lang", "content_type", "problem"]


REPORT_PERMISSIONS = ["add", "change", "publish"]


def _live_has(**problem):
    """The live row of the same page and language has ``problem``."""
    return Exists(
        PageLanguageStatus.objects.filter(
            scope=LIVE, page_id=OuterRef("page_id"), lang=OuterRef("lang"), **problem
        )
    )


def _page_language_columns():
    """The columns both reports start with: the page (linked to its editor), language, type."""
    return [
        TitleColumn(
            "title",
            label=_("Title"),
            accessor=row_title,
            get_url=_edit_url,
        ),
        Column("language", label=_("Language"), accessor=lambda row: language_name(row.lang)),
        Column("type", label=_("Page type"), accessor=_page_type),
    ]


def page_language_rows(user):
    """The draft rows (every saved page has them) of pages ``user`` may edit."""
    return PageLanguageStatus.objects.filter(
        scope=DRAFT, page__in=_editable_pages(user)
    ).select_related("page", "page__content_type")


def missing_translation_rows(user):
    """Rows whose live text or latest draft has empty or out-of-date fields, by page."""
    return (
        page_language_rows(user)
        .filter(
            Q(is_complete=False)
            | Q(is_stale=True)
            | _live_has(is_complete=False)
            | _live_has(is_stale=True)
        )
        .order_by("page__path", "lang")
    )


def reviews_due_rows(user):
    """Rows of reviewed pages whose review is missing, lapsed, overdue or due soon, soonest
    first."""
    soon = clock.today() + datetime.timedelta(days=page_status.DUE_SOON_DAYS)
    return (
        page_language_rows(user)
        .filter(review_required=True)
        .filter(Q(review_due_on__isnull=True) | Q(review_due_on__lte=soon) | Q(review_lapsed=True))
        .order_by("review_due_on", "page__path", "lang")
    )


def red_flag_rows(user):
    """Rows whose latest draft contains red-flag claims, by page."""
    return page_language_rows(user).filter(has_red_flags=True).order_by("page__path", "lang")


def red_flag_summary(row):
    """ "“phrase” (where)" for each claim found, for a report cell or a dashboard line."""
    return "; ".join(
        f"“{flag['phrase']}” ({page_status.red_flag_location(flag)})" for flag in row.red_flags
    )


class _PageLanguageReportView(ReportView):
    """A report with one row per page and language, limited to pages the user may edit."""

    any_permission_required = REPORT_PERMISSIONS
    permission_policy = PagePermissionPolicy()

    def page_language_rows(self):
        return page_language_rows(self.request.user)


class SelectRowColumn(BaseColumn):
    """A checkbox per row of a target language, for "Download selected" (translation files)."""

    cell_template_name = "editorial/listing/select_row_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(
            selectable=instance.lang != DEFAULT_LANGUAGE,
            title=instance.page.get_admin_display_title(),
            language=language_name(instance.lang),
        )
        return context


class MissingTranslationsView(_PageLanguageReportView):
    """Pages with a language whose required fields are empty or out of date against English.

    One row per page and language: what readers see (live) and the latest draft, labelled;
    listed when either has a problem.
    """

    page_title = _("Missing translations")
    header_icon = "globe"
    index_url_name = "editorial:missing_translations"
    index_results_url_name = "editorial:missing_translations_results"
    filterset_class = MissingTranslationsFilterSet
    results_template_name = "editorial/missing_translations_results.html"
    list_export = [
        "page.get_admin_display_title",
        "lang",
        "live_missing",
        "live_stale_fields",
        "missing",
        "stale_fields",
        "segment_progress",
    ]
    export_headings = {
        "page.get_admin_display_title": _("Title"),
        "lang": _("Language"),
        "live_missing": _("Live: missing"),
        "live_stale_fields": _("Live: out of date"),
        "missing": _("Draft: missing"),
        "stale_fields": _("Draft: out of date"),
        "segment_progress": _("Draft segments"),
    }

    columns = _page_language_columns() + [
        Column("live", label=LIVE_HEADING, accessor="live_summary"),
        Column("draft", label=DRAFT_HEADING, accessor="draft_summary"),
        DateColumn("changed_at", label=_("Text last changed")),
        Column(
            "segment_progress",
            label=_("Draft segments"),
            accessor=lambda row: row.segment_progress or "—",
        ),
        Column(
            "glossary_flags",
            label=_("Glossary flags"),
            accessor=lambda row: getattr(row, "glossary_flags", "—"),
        ),
        TitleColumn(
            "translate", label=_("Workspace"), accessor=_translate_text, get_url=_translate_url
        ),
    ]
    # A checkbox first: "Download selected" exports the rows ticked (translation files).
    columns = [SelectRowColumn("select", label=_("Select")), *columns]

    def get_filename(self):
        return f"missing-translations-{clock.today().isoformat()}"

    def get_queryset(self):
        self.queryset = missing_translation_rows(self.request.user)
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        live = {
            (row.page_id, row.lang): row
            for row in PageLanguageStatus.objects.filter(
                scope=LIVE, page_id__in={row.page_id for row in rows}
            )
        }
        for row in rows:
            model = row.page.content_type.model_class() or Page
            live_row = live.get((row.page_id, row.lang))
            row.live_missing = list(live_row.missing) if live_row else []
            row.live_stale_fields = list(live_row.stale_fields) if live_row else []
            row.live_summary = scope_summary(scope_state(model, live_row))
            row.draft_summary = scope_summary(scope_state(model, row))
        found = {
            lang: segment_progress([row.page for row in rows if row.lang == lang], lang)
            for lang in {row.lang for row in rows} - {DEFAULT_LANGUAGE}
        }
        for row in rows:
            progress = found.get(row.lang, {}).get(row.page_id)
            row.segment_progress = progress_label(progress) if progress else ""
        # Apps add their own facts to the rows (the translate app: glossary flags).
        for annotate in hooks.get_hooks("editorial_translation_report_rows"):
            annotate(rows)
        return rows


class ReviewsDueFilterSet(_PageLanguageFilterSet):
    pass


class ReviewsDueView(_PageLanguageReportView):
    """Reviewed pages whose review (per language) is missing, lapsed, overdue or due in 30 days."""

    page_title = _("Reviews due")
    header_icon = "calendar-alt"
    index_url_name = "editorial:reviews_due"
    index_results_url_name = "editorial:reviews_due_results"
    filterset_class = ReviewsDueFilterSet
    list_export = ["page.get_admin_display_title", "lang", "state_label", "review_due_on"]
    export_headings = {
        "page.get_admin_display_title": _("Title"),
        "lang": _("Language"),
        "state_label": _("Status"),
        "review_due_on": _("Review due"),
    }

    columns = _page_language_columns() + [
        Column("state", label=_("Status"), accessor="state_label"),
        Column("reviewer", label=_("Last reviewed by"), accessor="last_review.doctor"),
        DateColumn("last_reviewed", label=_("Last reviewed"), accessor="last_review.reviewed_on"),
        DateColumn("review_due_on", label=_("Review due")),
    ]

    def get_filename(self):
        return f"reviews-due-{clock.today().isoformat()}"

    def get_queryset(self):
        self.queryset = reviews_due_rows(self.request.user)
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        latest = {}
        for review in MedicalReview.objects.filter(
            page_id__in={row.page_id for row in rows}
        ).select_related("doctor"):
            key = (review.page_id, review.lang)
            if key not in latest:
                latest[key] = review
        today = clock.today()
        for row in rows:
            row.last_review = latest.get((row.page_id, row.lang))
            row.state = page_status.review_state(row, today)
            row.state_label = REVIEW_STATE_LABELS[row.state]
        return rows


class RedFlagDraftsView(_PageLanguageReportView):
    """Pages whose latest draft contains red-flag claims, per language: it cannot be published
    as it is (without the override permission)."""

    page_title = _("Red-flag claims in drafts")
    header_icon = "warning"
    index_url_name = "editorial:red_flag_drafts"
    index_results_url_name = "editorial:red_flag_drafts_results"
    filterset_class = _PageLanguageFilterSet
    list_export = ["page.get_admin_display_title", "lang", "claims"]
    export_headings = {
        "page.get_admin_display_title": _("Title"),
        "lang": _("Language"),
        "claims": _("Red-flag claims"),
    }

    columns = _page_language_columns() + [
        Column("claims", label=_("Red-flag claims"), accessor=red_flag_summary),
        DateColumn("changed_at", label=_("Text last changed")),
    ]

    def get_filename(self):
        return f"red-flag-drafts-{clock.today().isoformat()}"

    def get_queryset(self):
        self.queryset = red_flag_rows(self.request.user)
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.claims = red_flag_summary(row)
        return rows


def _readable(page, name, lang):
    return " · ".join(" ".join(text.split()) for _location, text in field_texts(page, name, lang))


def confirm_translation(request, page_id, lang):
    """Confirm a translation still matches the default language, clearing its out-of-date flag."""
    if lang not in SUPPORTED_LANGUAGES or lang == DEFAULT_LANGUAGE:
        raise PermissionDenied
    real_page = get_object_or_404(Page, id=page_id)
    if not real_page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    page = real_page.get_latest_revision_as_object()
    # The editor compares the latest revision's text: its (draft) flags are the ones shown.
    draft_row = page_status.statuses_by_scope(real_page)[DRAFT].get(lang)
    stale = list(draft_row.stale_fields) if draft_row else []
    edit_url = reverse("wagtailadmin_pages:edit", args=[page_id])

    if request.method == "POST":
        cleared = page_status.confirm_translation(page, lang, request.user)
        log(
            instance=page,
            action="editorial.translation_confirmed",
            user=request.user,
            data={"lang": lang, "fields": cleared},
        )
        messages.success(
            request,
            gettext("The %(language)s translation is confirmed as up to date.")
            % {"language": language_in_sentence(lang)},
        )
        return redirect(edit_url)

    model = type(page)
    comparisons = [
        {
            "label": field_label(model, name),
            "source": _readable(page, name, DEFAULT_LANGUAGE),
            "translation": _readable(page, name, lang),
        }
        for name in stale
    ]
    return TemplateResponse(
        request,
        "editorial/confirm_translation.html",
        {
            "page": page,
            "lang": lang,
            "language": language_in_sentence(lang),
            "source_language": language_in_sentence(DEFAULT_LANGUAGE),
            "comparisons": comparisons,
            "edit_url": edit_url,
            "header_icon": "globe",
            "page_title": gettext("Confirm translation"),
        },
    )
