"""Recompute the per-language status (completeness, freshness, reviews) of every page.

Pages saved before the editorial app was installed have no status yet; this fills it in.
Idempotent: a field whose text is unchanged keeps its "last changed" time.
"""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from editorial.status import record_page_status


class Command(BaseCommand):
    help = "Recompute translation and review status for every page from its latest revision."

    def handle(self, *args, **options):
        count = 0
        for page in Page.objects.filter(depth__gt=1).order_by("path"):
            latest = page.get_latest_revision_as_object()
            record_page_status(latest, revision=page.latest_revision)
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Status recorded for {count} page(s)."))
