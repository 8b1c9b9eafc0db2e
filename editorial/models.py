"""Editorial records: the red-flag claim list, per-language page status and medical reviews.

Translation is field-level, so both languages of a page share one revision; the
per-language facts (when its text last changed, what is missing, whether it is out of
date against English, when it was medically reviewed) live here, one row per page
and language.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.models import AbstractGroupApprovalTask
from wagtail.search import index

from cms.text import NFCNormalizedMixin
from cms.translations import DRAFT, LIVE


class RedFlagClaim(NFCNormalizedMixin, index.Indexed, models.Model):
    """A misleading advertising claim that must not appear in published text."""

    class Language(models.TextChoices):
        BOTH = "both", _("Both languages")
        EN = "en", _("English")
        VI = "vi", _("Vietnamese")

    phrase = models.CharField(
        _("phrase"),
        max_length=200,
        help_text=_(
            "Matched on whole words, ignoring case, diacritics and extra spaces: "
            "“vinh vien” also finds “vĩnh viễn”."
        ),
    )
    language = models.CharField(
        _("language"), max_length=4, choices=Language.choices, default=Language.BOTH
    )
    why = models.TextField(_("why it is misleading"), blank=True)

    panels = [FieldPanel("phrase"), FieldPanel("language"), FieldPanel("why")]
    search_fields = [index.SearchField("phrase"), index.AutocompleteField("phrase")]

    class Meta:
        ordering = ["language", "phrase"]
        verbose_name = _("red-flag claim")
        verbose_name_plural = _("red-flag claims")
        constraints = [
            models.UniqueConstraint(fields=["phrase", "language"], name="unique_red_flag_phrase")
        ]
        permissions = [
            ("publish_despite_claims", _("Can publish pages that contain red-flag claims")),
        ]

    def __str__(self):
        return f"{self.phrase} ({self.get_language_display()})"


class PageLanguageStatus(models.Model):
    """What editors need to know about one language of one page, per scope.

    The ``live`` row describes the content readers and API clients see: recorded when a
    revision is published, removed when the page is unpublished; the site and the API
    read only it. The ``draft`` row describes the latest revision: recorded on every
    ``save_revision``; the editor's panels and reports show it next to the live one.
    Both are recomputed in a fixed number of queries, on confirmation and on medical review.
    """

    class Scope(models.TextChoices):
        LIVE = LIVE, pgettext_lazy("translation status", "Live")
        DRAFT = DRAFT, pgettext_lazy("translation status", "Draft")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="editorial_statuses"
    )
    lang = models.CharField(_("language"), max_length=8)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.DRAFT)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {field: {"digest": str, "filled": bool, "changed_at": ISO datetime}}
    fields = models.JSONField(default=dict, blank=True)
    text_digest = models.CharField(max_length=64, blank=True)
    changed_at = models.DateTimeField(_("text last changed"), null=True, blank=True)
    missing = models.JSONField(default=list, blank=True)
    is_complete = models.BooleanField(_("complete"), default=True)
    stale_fields = models.JSONField(default=list, blank=True)
    is_stale = models.BooleanField(_("out of date"), default=False)
    # Live rows: segment counts of what readers see, recorded at publish time by the apps
    # that know segments (``editorial_live_segment_counts``): {"total", "translated",
    # "missing", "stale"}; empty when no app counts or for draft rows.
    segments = models.JSONField(default=dict, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The red-flag claims found in this language's text (draft rows), for the dashboard and
    # the "Red-flag claims in drafts" report: ``Hit.as_dict()`` without the offsets.
    red_flags = models.JSONField(default=list, blank=True)
    has_red_flags = models.BooleanField(_("red-flag claims"), default=False)
    review_required = models.BooleanField(default=False)
    review_due_on = models.DateField(_("review due"), null=True, blank=True)
    review_lapsed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("page language status")
        verbose_name_plural = _("page language statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "lang", "scope"], name="unique_page_language_scope_status"
            )
        ]
        indexes = [models.Index(fields=["lang", "is_complete", "is_stale"])]

    def __str__(self):
        return f"{self.page_id}/{self.lang}/{self.scope}"


# A page's reviews prefetched with ``Prefetch("medical_reviews", ..., to_attr=...)``.
PREFETCHED_REVIEWS = "prefetched_reviews"


class MedicalReview(models.Model):
    """A doctor's review of one language of a page, at one revision. Append-only history."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="medical_reviews"
    )
    lang = models.CharField(_("language"), max_length=8)
    doctor = models.ForeignKey(
        "therapies.Doctor",
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="medical_reviews",
    )
    reviewed_on = models.DateField(_("reviewed on"))
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision reviewed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Digest of the language's text that was reviewed: the review lapses when it changes.
    text_digest = models.CharField(max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("medical review")
        verbose_name_plural = _("medical reviews")

    def __str__(self):
        return f"{self.page_id}/{self.lang} {self.reviewed_on} {self.doctor_id}"

    # A doctor with reviews cannot be deleted (PROTECT); ``cms.deletion`` tells the editor why.
    deletion_blocker_advice = _(
        "Medical reviews are kept as the history of those pages, so a doctor who reviewed "
        "them stays. Keep this doctor: you can still edit their details or unlink their "
        "admin account. Only deleting the reviewed pages removes their reviews."
    )

    @classmethod
    def describe_deletion_blockers(cls, reviews):
        """One line per review, newest first: page (in the admin language), language, date."""
        from django.urls import reverse
        from django.utils.formats import date_format
        from django.utils.html import format_html
        from wagtail.models import Page

        from .panels import language_name

        pages = Page.objects.in_bulk({review.page_id for review in reviews})
        lines = []
        for review in sorted(reviews, key=lambda r: (r.reviewed_on, r.pk), reverse=True):
            page = pages[review.page_id]
            lines.append(
                format_html(
                    '<a href="{}">{}</a> — {}, {}',
                    reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    page.title,
                    language_name(review.lang),
                    date_format(review.reviewed_on),
                )
            )
        return lines


def doctor_for(user):
    """The Doctor linked to ``user``, or None."""
    try:
        return user.doctor
    except (ObjectDoesNotExist, AttributeError):
        return None


class MedicalReviewTask(AbstractGroupApprovalTask):
    """Approval by a doctor of the chosen groups; approving records a per-language medical review.

    A reviewer cannot approve a page they submitted themselves, needs a linked Doctor
    profile, cannot approve while ``review.approval_blockers`` names a reason, and cannot
    approve (and so publish) text with red-flag claims unless they hold the override
    permission.
    """

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and not self.user_can_approve(obj, user):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def user_can_approve(self, obj, user):
        from .claims import check_page
        from .review import approval_blockers

        # Nobody approves their own work: neither the submitter nor the author of the text.
        state = obj.current_workflow_state
        if state is not None and state.requested_by_id == user.pk:
            return False
        latest = obj.latest_revision
        if latest is not None and latest.user_id == user.pk:
            return False
        if doctor_for(user) is None:
            return False
        if approval_blockers(obj):
            return False
        if not user.has_perm("editorial.publish_despite_claims"):
            # The text under review is the latest revision, not the (possibly older) live row.
            text = obj.get_latest_revision_as_object() if obj.latest_revision_id else obj.specific
            if check_page(text):
                return False
        return True

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            from .review import record_approval

            # Before the approval goes on: as the last task it publishes the revision, and
            # each language goes live only once reviewed (releases).
            record_approval(task_state, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Doctors in the chosen groups approve the medical content; approving records "
            "a medical review for each language of the page."
        )

    class Meta:
        verbose_name = _("medical review task")
        verbose_name_plural = _("medical review tasks")


class EditLanguages(models.Model):
    """The languages whose fields an editor chose to show on edit screens.

    Set by the "View / edit fields for" toggles (``editorial.edit_languages``); an editor
    without a choice sees the fields of their admin language.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="edit_languages",
        verbose_name=_("user"),
    )
    languages = models.JSONField(_("languages shown"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("languages shown on edit screens")
        verbose_name_plural = _("languages shown on edit screens")

    def __str__(self):
        return f"{self.user}: {', '.join(self.languages)}"
