from django.db import migrations


def rebuild_everything(apps, schema_editor):
    """Stored search text read ``&amp;`` as the word "amp": every page is rebuilt after
    ``migrate`` with the text a reader reads (``contentsearch.indexing``), through the
    outbox that ``readmodel.migration.build_missing`` drains."""
    PageDocument = apps.get_model("readmodel", "PageDocument")
    if PageDocument.objects.exists():
        apps.get_model("readmodel", "DocumentChange").objects.create(
            reason="search text decodes character references"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contentsearch", "0002_delete_pagesearchtext"),
        ("readmodel", "0005_list_counts"),
    ]

    operations = [
        migrations.RunPython(rebuild_everything, migrations.RunPython.noop),
    ]
