# A migration of its own: PostgreSQL cannot alter a table the previous step's updates touched
# in the same transaction.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_delivery_log_keeps_excerpts_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhookdelivery",
            name="error",
            field=models.CharField(blank=True, max_length=300, verbose_name="error"),
        ),
    ]
