"""Edit-screen panels: translation status per language, and medical review per language."""

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.translations import missing_fields

from . import status as page_status
from .models import MedicalReview

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


class TranslationStatusPanel(Panel):
    """Per language: the required fields still empty, and the fields out of date against English."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Translation status"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panels/translation_status.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            model = type(page)
            rows = page_status.statuses_by_lang(page) if page.pk else {}
            languages = []
            for lang in SUPPORTED_LANGUAGES:
                row = rows.get(lang)
                stale = list(row.stale_fields) if row and lang != DEFAULT_LANGUAGE else []
                missing = missing_fields(page, lang)
                languages.append(
                    {
                        "lang": lang,
                        "name": language_name(lang),
                        "missing": [field_label(model, f) for f in missing],
                        "stale": [field_label(model, f) for f in stale],
                        "changed_at": row.changed_at if row else None,
                        "confirmed_at": row.confirmed_at if row else None,
                        "confirm_url": (
                            reverse("editorial:confirm_translation", args=[page.pk, lang])
                            if stale
                            else ""
                        ),
                    }
                )
            context["languages"] = languages
            context["default_language_name"] = language_name(DEFAULT_LANGUAGE)
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
                rows = page_status.statuses_by_lang(page)
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
            return context
