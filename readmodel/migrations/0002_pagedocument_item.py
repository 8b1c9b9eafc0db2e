from django.db import migrations, models


def rebuild_everything(apps, schema_editor):
    """Existing documents have no list item yet: every page is rebuilt after ``migrate``.

    The builder runs on the current models only, so this records the change in the outbox
    (``readmodel.outbox``) and ``readmodel.migration.build_missing`` drains it on
    ``post_migrate``.
    """
    PageDocument = apps.get_model("readmodel", "PageDocument")
    if PageDocument.objects.exists():
        apps.get_model("readmodel", "DocumentChange").objects.create(reason="list items added")


class Migration(migrations.Migration):
    dependencies = [
        ("readmodel", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pagedocument",
            name="item",
            field=models.BinaryField(blank=True, default=b"", verbose_name="JSON list item"),
        ),
        migrations.RunPython(rebuild_everything, migrations.RunPython.noop),
    ]
