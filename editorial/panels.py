"""Edit-screen panels: translation status per language, and medical review per language."""

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.panels import Panel

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence
from cms.translations import DRAFT, LIVE, missing_fields

from . import status as page_status
from .models import MedicalReview, PageLanguageStatus
from .review import approval_blockers

LANGUAGE_NAMES = {"en": _("English"), "vi": _("Vietnamese")}
REVIEW_STATE_LABELS = {
    "current": _("Reviewed"),
    "due_soon": _("Review due soon"),
    "overdue": _("Review overdue"),
    "lapsed": _("Text changed since review"),
    "never": _("Not reviewed"),
}


def language_name(lang):
    return LANGUAGE_NAMES.get(lang, lang)


def field_label(model, name):
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001 - unknown names are shown as they are
        return name


def scope_state(model, row, missing=None):
    """What one status row says, for the editor: missing and out-of-date field labels.

    ``None`` for no row (a page not live has no live status). ``missing`` overrides the
    row's list (the edit form's own content is newer than any row).
    """
    if row is None:
        return None
    missing = row.missing if missing is None else missing
    stale = list(row.stale_fields) if row.lang != DEFAULT_LANGUAGE else []
    return {
        "missing": [field_label(model, f) for f in missing],
        "stale": [field_label(model, f) for f in stale],
        "ok": not missing and not stale,
    }


def scope_summary(state):
    """One line for a report or a listing: "Complete", "Not published", or what is wrong."""
    if state is None:
        return str(NOT_PUBLISHED)
    if state["ok"]:
        return str(COMPLETE)
    parts = []
    if state["missing"]:
        parts.append(f"{MISSING_LABEL}: {', '.join(state['missing'])}")
    if state["stale"]:
        parts.append(f"{OUT_OF_DATE_LABEL}: {', '.join(state['stale'])}")
    return " · ".join(parts)


COMPLETE = _("Complete")
LIVE_LABEL = pgettext_lazy("translation status", "Live")
DRAFT_LABEL = pgettext_lazy("translation status", "Draft")
NOT_PUBLISHED = pgettext_lazy("translation status", "Not published")
MISSING_LABEL = _("Missing")
OUT_OF_DATE_LABEL = _("Out of date")


class TranslationStatusPanel(Panel):
    """Per language: what readers see (live) and what the latest draft would show.

    Each side lists the required fields still empty and the fields out of date against
    English. Readers and the API see only the live side. Apps above this one add sections
    under the table with the ``editorial_translation_status_sections`` hook:
    ``fn(page, request)`` returns a component to render, or None.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Translation status"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panels/translation_status.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance  # the latest revision: the draft
            model = type(page)
            rows = page_status.statuses_by_scope(page) if page.pk else {}
            live_rows, draft_rows = rows.get(LIVE, {}), rows.get(DRAFT, {})
            languages = []
            for lang in SUPPORTED_LANGUAGES:
                draft_row = draft_rows.get(lang)
                draft = scope_state(
                    model,
                    draft_row or PageLanguageStatus(lang=lang),
                    missing=missing_fields(page, lang),
                )
                changed = draft_row or live_rows.get(lang)
                languages.append(
                    {
                        "lang": lang,
                        "name": language_name(lang),
                        "in_sentence": language_in_sentence(lang),
                        "live": scope_state(model, live_rows.get(lang)),
                        "draft": draft,
                        "changed_at": changed.changed_at if changed else None,
                        "confirm_url": (
                            reverse("editorial:confirm_translation", args=[page.pk, lang])
                            if draft["stale"]
                            else ""
                        ),
                    }
                )
            context["languages"] = languages
            context["default_language_name"] = language_in_sentence(DEFAULT_LANGUAGE)
            context["live_label"], context["draft_label"] = LIVE_LABEL, DRAFT_LABEL
            sections = hooks.get_hooks("editorial_translation_status_sections")
            context["sections"] = [
                section
                for section in (hook(page, self.request) for hook in sections)
                if section is not None
            ]
            return context


class MedicalReviewPanel(Panel):
    """Per language: who reviewed it, when, which revision, and whether the review still applies."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Medical review status"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panels/medical_review.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            reviews, rows = {}, {}
            if page.pk:
                reviews = page_status.latest_reviews(
                    MedicalReview.objects.filter(page_id=page.pk).select_related("doctor")
                )
                rows = page_status.statuses_by_scope(page)[DRAFT]
            languages = []
            for lang in SUPPORTED_LANGUAGES:
                review = reviews.get(lang)
                row = rows.get(lang)
                if review is None:
                    state = "never"
                    due = None
                else:
                    due = page_status.review_due_on(review, page.review_interval_months)
                    lapsed = review.text_digest != page_status.text_digest(page, lang)
                    if row is not None:
                        row.review_due_on, row.review_lapsed = due, lapsed
                        state = page_status.review_state(row)
                    else:
                        state = "lapsed" if lapsed else "current"
                languages.append(
                    {
                        "lang": lang,
                        "name": language_name(lang),
                        "review": review,
                        "due": due,
                        "state": state,
                        "state_label": REVIEW_STATE_LABELS[state],
                    }
                )
            context["languages"] = languages
            context["blockers"] = approval_blockers(page) if page.pk else []
            return context
