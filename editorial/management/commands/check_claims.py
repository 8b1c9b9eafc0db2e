"""Check every live page for red-flag claims; exit non-zero with a report when any is found.

A deployment can gate on it: ``python manage.py check_claims || exit 1``.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from editorial.claims import check_page, get_matcher


class Command(BaseCommand):
    help = "Check all live pages for red-flag claims (both languages); exit 1 when any is found."

    def handle(self, *args, **options):
        matcher = get_matcher()
        found = 0
        pages = Page.objects.live().filter(depth__gt=1).specific().order_by("path")
        checked = 0
        for page in pages:
            checked += 1
            hits = check_page(page, matcher)
            if not hits:
                continue
            found += len(hits)
            self.stdout.write(f"{page.get_admin_display_title()} (id {page.pk}, {page.url_path})")
            for hit in hits:
                self.stdout.write(
                    f"  [{hit.lang}] {hit.location}: “{hit.phrase}” in “{hit.snippet}”"
                )
        if found:
            raise CommandError(
                f"{found} red-flag claim(s) found in live pages ({checked} checked)."
            )
        self.stdout.write(self.style.SUCCESS(f"No red-flag claims in {checked} live page(s)."))
