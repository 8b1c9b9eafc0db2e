"""An editor's save that overlapped a newer revision, kept until they settle each conflict."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.clock import now


class HeldEdit(models.Model):
    """What an editor submitted when another editor's newer revision changed the same text.

    Nothing of it is in the page yet: the conflict view shows it beside the newer revision,
    and the editor's choices make a new draft revision. The row stays afterwards, with
    the revision it became, so the submitted text is never lost.
    """

    class Origin(models.TextChoices):
        EDIT_FORM = "edit", _("page editor")
        WORKSPACE = "workspace", _("translation workspace")
        IMPORT = "import", _("translation file import")

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    base_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    theirs_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="The full content the editor submitted."
    )
    origin = models.CharField(max_length=16, choices=Origin.choices)
    action = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=now)
    resolved_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("held edit")
        verbose_name_plural = _("held edits")
        indexes = [models.Index(fields=["page", "user", "resolved_at"])]

    def __str__(self):
        return f"{self.page_id}:{self.pk}"

    @property
    def url(self):
        return reverse("revisions:conflict", args=[self.pk])
