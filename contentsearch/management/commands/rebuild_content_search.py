"""Rebuild the accent-folded search text of every live page (after an import or a restore)."""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from cms import cache as content_cache
from contentsearch.indexing import index_page
from contentsearch.models import PageSearchText


class Command(BaseCommand):
    help = "Rebuild the folded search text (contentsearch) for every live page."

    def handle(self, *args, **options):
        PageSearchText.objects.all().delete()
        count = 0
        for page in Page.objects.live().filter(depth__gt=1).specific().iterator():
            index_page(page)
            count += 1
        content_cache.purge(
            {content_cache.PAGES}
        )  # cached search results must not outlive the old index
        self.stdout.write(f"Indexed {count} page(s).")
