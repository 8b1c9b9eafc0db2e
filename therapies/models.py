"""Therapy and article pages, and the Doctor snippet they quote."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import reference as reference_data
from cms.bilingual import BilingualPageMixin
from cms.text import NFCNormalizedMixin
from cms.visibility import reader_list, visible_pages
from editorial.pages import (
    EditorialPageMixin,
    MedicalReviewPageMixin,
    advertising_confirmation_field,
    medical_review_panels,
    review_interval_field,
    translation_status_panel,
)

from .blocks import PRIVATE_IMAGE, BodyBlock

PAGE_SEARCH_FIELDS = [
    # Both language columns, so the admin finds a page by its Vietnamese or English title.
    index.SearchField("title_en", boost=2),
    index.SearchField("title_vi", boost=2),
    index.AutocompleteField("title_en"),
    index.AutocompleteField("title_vi"),
]


class Doctor(NFCNormalizedMixin, index.Indexed, models.Model):
    """A specialist whose perspective articles quote and who reviews medical content."""

    name = models.CharField(pgettext_lazy("doctor", "name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=200, help_text=_("For example: Level I Specialist.")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short bio"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="doctor",
        help_text=_("The doctor's admin account: approving a medical review records this doctor."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")

    def __str__(self):
        return f"{self.name} ({self.credentials})" if self.credentials else self.name

    def clean(self):
        super().clean()
        if self.photo is not None and not reference_data.current().is_public_image(self.photo):
            raise ValidationError({"photo": PRIVATE_IMAGE})


class BodyPageMixin:
    """A page with a ``body`` StreamField: its sharing card shows the body's first picture."""

    def share_image(self, is_public):
        """``(image, alt)`` of the first image readers may see in the body, or None."""
        body = self.body
        return body.stream_block.share_image(body, is_public) if body else None


class TherapyIndexPage(BilingualPageMixin, EditorialPageMixin, NFCNormalizedMixin, Page):
    """The section that lists therapies (/en/therapies/, /vi/lieu-phap/)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), translation_status_panel()]
    search_fields = Page.search_fields + PAGE_SEARCH_FIELDS
    translation_content_fields = ("title",)
    translation_required_fields = ("title", "slug", "intro", "search_description")
    parent_page_types = ["home.HomePage"]
    subpage_types = ["therapies.TherapyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("therapy index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["therapies"] = reader_list(
            visible_pages(TherapyPage).child_of(self).order_by("path")
        )
        return context


class TherapyPage(
    BodyPageMixin, BilingualPageMixin, MedicalReviewPageMixin, NFCNormalizedMixin, Page
):
    """One therapy (PRP, exosomes, …): what it is, its evidence, its safety, and a free body."""

    class Source(models.TextChoices):
        AUTOLOGOUS = "autologous", _("Autologous (the patient's own)")
        DONOR = "donor", _("Donor-derived or cell line")
        SYNTHETIC = "synthetic", _("Synthetic")

    class EvidenceLevel(models.TextChoices):
        ESTABLISHED = "established", _("Established: many clinical trials")
        EMERGING = "emerging", _("Emerging: some clinical data")
        EARLY = "early", _("Early: mostly laboratory and animal studies")

    summary = models.TextField(_("summary"), help_text=_("One or two sentences for listings."))
    what_it_is = RichTextField(_("what it is"), blank=True, features=["bold", "italic", "link"])
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    personalisation = models.TextField(_("personalisation"), blank=True)
    common_uses = models.TextField(_("common uses"), blank=True)
    evidence_level = models.CharField(
        _("evidence level"), max_length=20, choices=EvidenceLevel.choices
    )
    regulatory_status = models.TextField(_("standardisation and regulatory status"), blank=True)
    safety_notes = models.TextField(_("safety notes: who must be careful"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    reviewed_by = models.ForeignKey(
        Doctor,
        verbose_name=_("medically reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_therapies",
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    review_interval_months = review_interval_field()
    advertising_confirmation_number = advertising_confirmation_field()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("what_it_is"),
        MultiFieldPanel(
            [
                FieldPanel("source"),
                FieldPanel("personalisation"),
                FieldPanel("common_uses"),
                FieldPanel("evidence_level"),
                FieldPanel("regulatory_status"),
                FieldPanel("safety_notes"),
            ],
            heading=_("Therapy facts"),
        ),
        FieldPanel("body"),
        translation_status_panel(),
        medical_review_panels(),
    ]
    search_fields = (
        Page.search_fields
        + PAGE_SEARCH_FIELDS
        + [
            index.SearchField("summary_en"),
            index.SearchField("summary_vi"),
        ]
    )
    translation_content_fields = ("title", "summary")
    translation_required_fields = ("title", "slug", "summary", "body", "search_description")
    parent_page_types = ["therapies.TherapyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("therapy page")


class ArticleIndexPage(BilingualPageMixin, EditorialPageMixin, NFCNormalizedMixin, Page):
    """The section that lists educational articles."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), translation_status_panel()]
    search_fields = Page.search_fields + PAGE_SEARCH_FIELDS
    translation_content_fields = ("title",)
    translation_required_fields = ("title", "slug", "intro", "search_description")
    parent_page_types = ["home.HomePage"]
    subpage_types = ["therapies.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("article index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = reader_list(
            visible_pages(ArticlePage).child_of(self).order_by("-first_published_at", "path")
        )
        return context


class ArticlePage(
    BodyPageMixin, BilingualPageMixin, MedicalReviewPageMixin, NFCNormalizedMixin, Page
):
    """An evidence-minded educational article, reviewed by a doctor."""

    lead = models.TextField(_("lead"), help_text=_("The opening paragraph, shown in listings."))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    reviewed_by = models.ForeignKey(
        Doctor,
        verbose_name=_("medically reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_articles",
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    review_interval_months = review_interval_field()
    advertising_confirmation_number = advertising_confirmation_field()

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("body"),
        InlinePanel("related_links", label=_("Related articles")),
        translation_status_panel(),
        medical_review_panels(),
    ]
    search_fields = (
        Page.search_fields
        + PAGE_SEARCH_FIELDS
        + [
            index.SearchField("lead_en"),
            index.SearchField("lead_vi"),
        ]
    )
    translation_content_fields = ("title", "body")
    translation_required_fields = ("title", "slug", "lead", "body", "search_description")
    share_type = "article"  # og:type
    parent_page_types = ["therapies.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article page")

    def related_articles(self, site=None):
        """Related articles readers may see (``cms.visibility``), in editor order, no bodies.

        Two queries; a draft in memory (a preview) lists its own links. A related
        article that is gone or hidden is left out.
        """
        if "related_links" in getattr(self, "_cluster_related_objects", {}) or not self.pk:
            ids = [link.page_id for link in self.related_links.all()]
        else:
            links = RelatedArticle.objects.filter(article_id=self.pk).order_by("sort_order", "pk")
            ids = list(links.values_list("page_id", flat=True))
        if not ids:
            return []
        pages = visible_pages(ArticlePage, site).filter(pk__in=ids).defer_streamfields().in_bulk()
        return reader_list(pages[i] for i in dict.fromkeys(ids) if i in pages)


class RelatedArticle(Orderable):
    """A link from an article to another article, in the order the editor chose."""

    article = ParentalKey(ArticlePage, related_name="related_links", on_delete=models.CASCADE)
    page = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("page")]
