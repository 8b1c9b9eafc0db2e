"""Mixins for page models that take part in the editorial safeguards.

Kept free of model imports so page models can use them without import cycles.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

DEFAULT_REVIEW_INTERVAL_MONTHS = 12


class EditorialPageMixin:
    """Records, on every saved revision, when each language's text changed and what it lacks.

    That is the draft status; the live status is recorded on publish (``editorial.signals``).
    """

    def save_revision(self, *args, **kwargs):
        revision = super().save_revision(*args, **kwargs)
        from .status import record_page_status

        record_page_status(self, revision=revision)
        return revision


class MedicalReviewPageMixin(EditorialPageMixin):
    """A page reviewed by a doctor, per language, at an interval.

    ``reviewed_by``/``last_reviewed`` summarise the newest review. They are set by
    recording a review (the "Medical review" workflow), never by the edit form, and
    are kept from the live row when a revision is restored, so an older revision
    cannot roll back a review.
    """

    review_summary_fields = ("reviewed_by", "last_reviewed")

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.review_summary_fields:
            attname = self._meta.get_field(name).attname
            setattr(obj, attname, getattr(self, attname))
        return obj


def review_interval_field():
    # Nullable: an empty value means the default interval, so forms that omit it stay valid.
    return models.PositiveSmallIntegerField(
        _("review interval (months)"),
        default=DEFAULT_REVIEW_INTERVAL_MONTHS,
        null=True,
        blank=True,
        help_text=_(
            "How long a medical review stays valid before the page must be reviewed again. "
            "Empty means 12 months."
        ),
    )


def advertising_confirmation_field():
    return models.CharField(
        _("advertising confirmation number"),
        max_length=100,
        blank=True,
        help_text=_(
            "The confirmation number of the advertising content issued under "
            "Circular 09/2015/TT-BYT, shown on the page when present."
        ),
    )


def medical_review_panels():
    from .panels import MedicalReviewPanel

    return MultiFieldPanel(
        [
            MedicalReviewPanel(),
            FieldPanel("review_interval_months"),
            FieldPanel("advertising_confirmation_number"),
        ],
        heading=_("Medical review"),
    )


def translation_status_panel():
    from .panels import TranslationStatusPanel

    return TranslationStatusPanel()
