"""What readers see of each language of a page: the revision released for it.

Wagtail writes the page row and its revisions as usual (the edit form always shows the
latest revision); a ``LanguageRelease`` per page and language says which revision that
language's readers get (``releases.compose``). A language goes live only when its content
is approved (``releases.service.approval``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def keep_released(collector, field, sub_objs, using):
    """``on_delete`` of a release's revision: kept while readers get it, unless its page goes.

    A revision deleted on its own (``manage.py purge_revisions``, code) that a release in
    force points at is protected: ``ProtectedError``, which ``purge_revisions`` counts and
    skips, so readers keep the text that was approved. Deleted with its page, or for any
    other reason, the release forgets it (``SET_NULL``; ``releases.signals`` records the
    rebuild of the page's documents). ``collector.origin`` is what ``delete()`` was called
    on: the value Django documents as the deletion signals' ``origin``, read here because
    these handlers run while the deletion is collected, before any transaction is entered
    (raising from ``pre_delete`` would break an outer transaction). ``tests/test_releases.py``
    pins both ways.
    """
    from wagtail.models import Revision

    origin = collector.origin
    on_its_own = isinstance(origin, Revision) or getattr(origin, "model", None) is Revision
    released = [release for release in sub_objs if release.in_force]
    if on_its_own and released:
        models.PROTECT(collector, field, released, using)
    models.SET_NULL(collector, field, sub_objs, using)


class LanguageRelease(models.Model):
    """The content of one language of a page that readers get: a revision, when and by whom.

    ``text_digest`` is the digest of that language's text in the revision
    (``editorial.status.text_digest``): it tells whether the latest revision holds newer
    text (the language is pending) and keeps readers from getting other text when the
    revision itself is gone (deleted with its content type, say: ``keep_released``). A
    withdrawn release (``withdrawn_at``) gives readers the default language instead.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="language_releases",
    )
    lang = models.CharField(_("language"), max_length=8)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision released"),
        null=True,
        blank=True,
        on_delete=keep_released,
        related_name="+",
    )
    text_digest = models.CharField(max_length=64, blank=True)
    released_at = models.DateTimeField(_("live since"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("language release")
        verbose_name_plural = _("language releases")
        constraints = [
            models.UniqueConstraint(fields=["page", "lang"], name="releases_one_per_page_language")
        ]

    def __str__(self):
        return f"{self.page_id} [{self.lang}] r{self.revision_id}"

    @property
    def in_force(self):
        """True while readers of this language get this release (not withdrawn)."""
        return self.withdrawn_at is None
