from django.db import migrations

from releases.migration import release_what_is_live


class Migration(migrations.Migration):
    """Record what is live today as released in every language it exists in."""

    dependencies = [
        ("releases", "0001_initial"),
        ("readmodel", "0002_pagedocument_item"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(release_what_is_live, migrations.RunPython.noop)]
