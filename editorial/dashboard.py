"""The admin home's panels of what needs doing: reviews due, translations missing or out of
date, drafts with red-flag claims.

Each panel shows how many rows its report has and the first few, and links to the report.
The rows are the reports' own (``editorial.views``), read from the stored page statuses:
two queries a panel (and one for the live rows of the translations panel), however many
pages there are.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms import clock
from cms.translations import LIVE

from . import status as page_status
from . import views
from .models import PageLanguageStatus
from .panels import (
    DRAFT_LABEL,
    LIVE_LABEL,
    REVIEW_STATE_LABELS,
    language_name,
    scope_state,
    scope_summary,
)

SHOWN_ROWS = 5


class EditorialPanel(Component):
    """One dashboard panel: a count, the first rows of a report, a link to all of it."""

    template_name = "editorial/dashboard/panel.html"
    heading = ""
    icon = ""
    report_url_name = ""
    empty_text = ""

    def __init__(self, user):
        self.user = user

    def rows(self):
        raise NotImplementedError

    def describe(self, rows):
        """The text after each row's title and language."""
        raise NotImplementedError

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        queryset = self.rows()
        total = queryset.count()
        rows = list(queryset[:SHOWN_ROWS]) if total else []
        context.update(
            panel=self,
            heading=f"{self.heading} ({total})",
            total=total,
            rows=[
                {
                    "title": views.row_title(row),
                    "url": reverse("wagtailadmin_pages:edit", args=[row.page_id]),
                    "language": language_name(row.lang),
                    "detail": detail,
                }
                for row, detail in zip(rows, self.describe(rows), strict=True)
            ],
            report_url=reverse(self.report_url_name),
        )
        return context


class ReviewsDuePanel(EditorialPanel):
    name = "editorial_reviews_due"
    order = 110
    heading = _("Reviews due")
    icon = "calendar-alt"
    report_url_name = "editorial:reviews_due"
    empty_text = _("No medical review is due.")

    def rows(self):
        return views.reviews_due_rows(self.user)

    def describe(self, rows):
        today = clock.today()
        return [str(REVIEW_STATE_LABELS[page_status.review_state(row, today)]) for row in rows]


class TranslationsPanel(EditorialPanel):
    name = "editorial_translations"
    order = 120
    heading = _("Missing translations")
    icon = "globe"
    report_url_name = "editorial:missing_translations"
    empty_text = _("Every translation is complete and up to date.")

    def rows(self):
        return views.missing_translation_rows(self.user)

    def describe(self, rows):
        live = {
            (row.page_id, row.lang): row
            for row in PageLanguageStatus.objects.filter(
                scope=LIVE, page_id__in={row.page_id for row in rows}
            )
        }
        found = []
        for row in rows:
            model = row.page.specific_class
            live_state = scope_state(model, live.get((row.page_id, row.lang)))
            draft = scope_summary(scope_state(model, row))
            if live_state is None or live_state["ok"]:
                found.append(f"{DRAFT_LABEL}: {draft}")
            elif scope_summary(live_state) == draft:
                found.append(draft)  # the live text and the draft lack the same
            else:
                found.append(f"{LIVE_LABEL}: {scope_summary(live_state)} · {DRAFT_LABEL}: {draft}")
        return found


class RedFlagDraftsPanel(EditorialPanel):
    name = "editorial_red_flag_drafts"
    order = 130
    heading = _("Red-flag claims in drafts")
    icon = "warning"
    report_url_name = "editorial:red_flag_drafts"
    empty_text = _("No draft contains red-flag claims.")

    def rows(self):
        return views.red_flag_rows(self.user)

    def describe(self, rows):
        return [views.red_flag_summary(row) for row in rows]


PANELS = [ReviewsDuePanel, TranslationsPanel, RedFlagDraftsPanel]


def add_panels(request, panels):
    """The ``construct_homepage_panels`` hook: the panels, for users who may read the reports."""
    if not PagePermissionPolicy().user_has_any_permission(request.user, views.REPORT_PERMISSIONS):
        return
    panels.extend(panel(request.user) for panel in PANELS)
