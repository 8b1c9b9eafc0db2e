"""``manage.py verify_documents``: rebuild every document in memory and compare with the stored."""

from django.core.management.base import BaseCommand, CommandError

from readmodel import counts
from readmodel.verify import differences


class Command(BaseCommand):
    help = (
        "Build every page document in memory and compare it with the stored one, and count "
        "every list's pages again; list the differences and exit non-zero when there is any."
    )

    def handle(self, *args, **options):
        found = differences()
        for page_id, site_id, lang, columns in found:
            self.stdout.write(f"page {page_id} site {site_id} [{lang}]: {', '.join(columns)}")
        totals = counts.differences()
        for (site_id, lang, page_type, parent_id), stored, counted in totals:
            scope = f"type {page_type or 'any'}, parent {parent_id or 'any'}"
            self.stdout.write(
                f"list total site {site_id} [{lang}] {scope}: {stored} stored, {counted} counted"
            )
        if found or totals:
            raise CommandError(
                f"{len(found)} documents differ from a fresh build; "
                f"{len(totals)} list totals differ from a count."
            )
        self.stdout.write("Every document matches a fresh build, and every list total a count.")
