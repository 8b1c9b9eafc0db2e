"""``manage.py verify_documents``: rebuild every document in memory and compare with the stored."""

from django.core.management.base import BaseCommand, CommandError

from readmodel.verify import differences


class Command(BaseCommand):
    help = (
        "Build every page document in memory and compare it with the stored one; list the "
        "differences and exit non-zero when there is any."
    )

    def handle(self, *args, **options):
        found = differences()
        for page_id, site_id, lang, columns in found:
            self.stdout.write(f"page {page_id} site {site_id} [{lang}]: {', '.join(columns)}")
        if found:
            raise CommandError(f"{len(found)} documents differ from a fresh build.")
        self.stdout.write("Every document matches a fresh build.")
