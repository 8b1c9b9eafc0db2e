"""The home page and the clinic's site-wide, translated contact settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, Site

from cms.bilingual import BilingualPageMixin
from cms.text import NFCNormalizedMixin
from cms.visibility import reader_list, visible_pages
from editorial.pages import EditorialPageMixin, translation_status_panel
from therapies.models import PAGE_SEARCH_FIELDS, ArticlePage, TherapyPage


class HomePage(BilingualPageMixin, EditorialPageMixin, NFCNormalizedMixin, Page):
    """The site's front page: an introduction, the therapies and the latest articles."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), translation_status_panel()]
    search_fields = Page.search_fields + PAGE_SEARCH_FIELDS
    translation_content_fields = ("title", "intro")
    translation_required_fields = ("title", "intro", "search_description")
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["therapies.TherapyIndexPage", "therapies.ArticleIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each listed page as its readers get it (each language as released).
        context["therapies"] = reader_list(
            visible_pages(TherapyPage).descendant_of(self).order_by("path")
        )
        context["articles"] = reader_list(
            visible_pages(ArticlePage)
            .descendant_of(self)
            .order_by("-first_published_at", "path")[:6]
        )
        return context


@register_setting(icon="site")
class ClinicSettings(NFCNormalizedMixin, BaseSiteSetting):
    """How readers reach the clinic; used by calls to action, the footer and the API."""

    clinic_name = models.CharField(_("clinic name"), max_length=120, blank=True)
    hotline = models.CharField(
        _("hotline"),
        max_length=30,
        blank=True,
        help_text=_("Shown as typed, dialled without spaces."),
    )
    zalo_url = models.URLField(_("Zalo link"), blank=True)
    booking_url = models.URLField(_("booking page"), blank=True)
    address = models.TextField(_("address"), blank=True)

    panels = [
        FieldPanel("clinic_name"),
        FieldPanel("hotline"),
        FieldPanel("zalo_url"),
        FieldPanel("booking_url"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = _("clinic settings")

    @property
    def hotline_dial(self):
        return "".join(ch for ch in self.hotline if ch.isdigit() or ch == "+")

    @classmethod
    def for_reference(cls, reference, site):
        """Reference data ``"clinic_settings"`` (``cms.reference``): the settings of ``site``.

        For the request's own site, Wagtail's copy kept on the request (``for_request``),
        which the templates' ``settings`` read too: a page reads the settings once.
        """
        request = reference.request
        if request is not None and Site.find_for_request(request) == site:
            return cls.for_request(request)
        return cls.for_site(site)
