"""The workspace's own records: one translated segment per page, language and segment id.

Unfinished work lives here, not in the page: a block enters the page's target body
only once its required texts are translated (``workspace.segments.build_stream``), so
the page always validates. A record remembers the source text it was translated
from, so a change in English shows as stale, with the old and the new English.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms import clock
from cms.text import NFCNormalizedMixin

from .glossary import term_errors, term_key
from .segments import source_digest


class SegmentTranslation(models.Model):
    """The target text of one segment, and the source it translates.

    No row means the segment is missing (or its text comes from the page as it was
    written before the workspace); a row whose ``source_digest`` differs from the
    current source's is stale.
    """

    class Status(models.TextChoices):
        TRANSLATED = "translated", _("Translated")
        # Machine suggestions not yet reviewed by an editor.
        MACHINE = "machine", _("Machine suggestion, not reviewed")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="segment_translations"
    )
    lang = models.CharField(_("language"), max_length=8)
    segment_id = models.CharField(_("segment"), max_length=500)
    target = models.TextField(_("translation"), blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    source_digest = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.TRANSLATED
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    class Meta:
        verbose_name = _("segment translation")
        verbose_name_plural = _("segment translations")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "lang", "segment_id"], name="unique_segment_translation"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.lang} {self.segment_id}"

    def translates(self, segment):
        """True while the source is still the text this translation was made from."""
        return self.source_digest == source_digest(segment.text)

    def record(self, segment, target, user, source=None):
        """Make this row hold ``target`` as the translation of ``segment`` as it is now.

        ``source`` names an older English text the target was made from (a file
        exported before English changed): the row is then stale, as it should be.
        """
        source = segment.text if source is None else source
        self.segment_id = segment.id
        self.target = target
        self.source_text = source
        self.source_digest = source_digest(source)
        self.status = self.Status.TRANSLATED
        self.updated_by = user
        self.updated_at = clock.now()
        return self


class Term(NFCNormalizedMixin, index.Indexed, models.Model):
    """A medical term of the glossary and the Vietnamese the clinic approves for it.

    The workspace highlights the English term in the source and flags a translation
    that does not use the approved Vietnamese. Names and abbreviations (PRP, brand
    names) are kept as they are: their translation must contain the English term.
    """

    english = models.CharField(
        _("English term"),
        max_length=200,
        help_text=_("Found on whole words, ignoring case and diacritics."),
    )
    vietnamese = models.CharField(
        _("approved Vietnamese term"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty for a term kept as is."),
    )
    note = models.TextField(_("note"), blank=True)
    keep_as_is = models.BooleanField(
        _("keep as is"),
        default=False,
        help_text=_(
            "Names and abbreviations (PRP, brand names): the translation keeps the "
            "English term itself."
        ),
    )
    # The folded English term: one entry per term however it is cased or accented.
    key = models.CharField(max_length=200, unique=True, editable=False)

    panels = [
        FieldPanel("english"),
        FieldPanel("vietnamese"),
        FieldPanel("keep_as_is"),
        FieldPanel("note"),
    ]
    search_fields = [
        index.SearchField("english"),
        index.SearchField("vietnamese"),
        index.AutocompleteField("english"),
    ]

    class Meta:
        ordering = ["english"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.english

    def save(self, *args, **kwargs):
        self.key = term_key(self.english)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()  # NFC first, so the key and the checks see composed text
        errors = term_errors(self)
        if errors:
            raise ValidationError(errors)

    @property
    def approved(self):
        """The text a translation must contain: the English term itself when kept as is."""
        return self.english if self.keep_as_is else self.vietnamese
