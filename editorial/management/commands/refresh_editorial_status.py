"""Recompute the per-language status (completeness, freshness, reviews) of every page.

Pages saved before the editorial app was installed have no status yet; this fills it in:
the draft status from each page's latest revision, the live status from its live content
(none for a page that is not live). Idempotent: a field whose text is unchanged keeps its
"last changed" time.
"""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from editorial.status import refresh_page_status


class Command(BaseCommand):
    help = (
        "Recompute translation and review status for every page: the draft status from its "
        "latest revision, the live status from its published content."
    )

    def handle(self, *args, **options):
        count = 0
        for page in Page.objects.filter(depth__gt=1).order_by("path").specific():
            refresh_page_status(page)
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Status recorded for {count} page(s)."))
