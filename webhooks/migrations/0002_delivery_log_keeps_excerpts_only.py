import re
import unicodedata

from django.db import migrations, models

HTTP_ERROR = re.compile(r"^HTTP (\d{3}): ?(.*)$", re.S)


def _excerpt(text, limit):
    # A copy of webhooks.delivery.excerpt as it is today: migrations never follow app code.
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shorten_logged_responses(apps, schema_editor):
    """Old rows hold up to 500 characters of a response inside ``error``: keep an excerpt."""
    WebhookDelivery = apps.get_model("webhooks", "WebhookDelivery")
    changed = []
    for delivery in WebhookDelivery.objects.exclude(error="").only("pk", "error").iterator():
        match = HTTP_ERROR.match(delivery.error)
        if match:
            delivery.response_excerpt = _excerpt(match.group(2), 200)
            delivery.error = f"HTTP {match.group(1)}"
        else:
            delivery.error = _excerpt(delivery.error, 300)
        changed.append(delivery)
        if len(changed) >= 500:
            WebhookDelivery.objects.bulk_update(changed, ["error", "response_excerpt"])
            changed = []
    WebhookDelivery.objects.bulk_update(changed, ["error", "response_excerpt"])


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="response_excerpt",
            field=models.CharField(
                blank=True,
                help_text="The start of a failed response, on one line, control characters removed.",
                max_length=200,
                verbose_name="response excerpt",
            ),
        ),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="url",
            field=models.URLField(
                help_text="Receives a JSON POST per event. Must be a public http:// or https:// address.",
                max_length=500,
                verbose_name="URL",
            ),
        ),
        migrations.RunPython(shorten_logged_responses, migrations.RunPython.noop),
    ]
