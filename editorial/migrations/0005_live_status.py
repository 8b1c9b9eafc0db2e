"""Existing live pages get a live status.

Until now one row per page and language described the latest revision; 0004 kept those
rows as the draft status. A live page without unpublished changes shows readers that
same revision, so its draft rows are copied as its live rows. A live page with
unpublished changes has its live status computed from its live content by the
editorial code (its columns include the translation columns wagtail-modeltranslation
adds outside migrations); if that code no longer matches this schema (a much older
database migrated later), those pages keep a copy of their draft rows until
``manage.py refresh_editorial_status`` is run.
"""

import sys

from django.db import DatabaseError, migrations, transaction


def _copy_as_live(Status, rows):
    fields = [f.attname for f in Status._meta.concrete_fields if f.attname not in ("id", "scope")]
    Status.objects.bulk_create(
        [Status(scope="live", **{name: getattr(row, name) for name in fields}) for row in rows]
    )


def forwards(apps, schema_editor):
    Status = apps.get_model("editorial", "PageLanguageStatus")
    Page = apps.get_model("wagtailcore", "Page")
    drafts = Status.objects.filter(scope="draft", page__live=True)
    _copy_as_live(Status, drafts.filter(page__has_unpublished_changes=False))

    in_flight = list(
        Page.objects.filter(live=True, has_unpublished_changes=True)
        .filter(pk__in=drafts.values("page_id"))
        .values_list("pk", flat=True)
    )
    if not in_flight:
        return
    try:
        with transaction.atomic():
            from wagtail.models import Page as CurrentPage

            from editorial.status import record_live_status

            for page in CurrentPage.objects.filter(pk__in=in_flight).specific():
                record_live_status(page, revision=page.live_revision)
    except DatabaseError:
        _copy_as_live(Status, drafts.filter(page_id__in=in_flight))
        sys.stdout.write(
            f"\n  {len(in_flight)} live page(s) with unpublished changes: run "
            "`manage.py refresh_editorial_status` to compute their live status.\n"
        )


def backwards(apps, schema_editor):
    # 0004 reversed allows one row per page and language again: the draft rows stay.
    apps.get_model("editorial", "PageLanguageStatus").objects.filter(scope="live").delete()


class Migration(migrations.Migration):
    dependencies = [("editorial", "0004_status_scope")]

    operations = [migrations.RunPython(forwards, backwards)]
