"""Where content-change notifications go, and what happened to each attempt to send one."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import destinations


def new_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """An external site that wants to know when content changes (to rebuild or purge caches)."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_(
            "Receives a JSON POST per event. Must be a public http:// or https:// address."
        ),
    )
    secret = models.CharField(
        _("secret"),
        max_length=200,
        default=new_secret,
        help_text=_(
            "Shared with the receiver, which checks X-Webhook-Signature: "
            "sha256=HMAC-SHA256(secret, body) in hex."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return f"{self.name} ({self.url})"

    def clean(self):
        """Refuse a URL a webhook may not go to (``destinations.check``); delivery checks again."""
        super().clean()
        try:
            URLValidator()(self.url)
        except ValidationError:
            return  # the URL field reports a malformed address itself
        try:
            destinations.check(self.url)
        except destinations.Refused as exc:
            raise ValidationError({"url": exc.message}) from None


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one endpoint; retries are further rows."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", _("Delivered")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed, gave up")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(
        _("event id"), db_index=True, help_text=_("Sent as X-Webhook-Id; the same on every retry.")
    )
    event = models.CharField(_("event"), max_length=40)
    page_id = models.IntegerField(_("page id"))
    payload = models.JSONField(_("payload"))
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    # Both are short by construction: the log never holds a receiver's whole answer.
    error = models.CharField(_("error"), max_length=300, blank=True)
    response_excerpt = models.CharField(
        _("response excerpt"),
        max_length=200,
        blank=True,
        help_text=_("The start of a failed response, on one line, control characters removed."),
    )
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("attempted at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event} #{self.page_id} → {self.endpoint.name} (attempt {self.attempt})"
