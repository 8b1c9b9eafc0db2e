"""``manage.py rebuild_documents [--page ID | --section ID]``: build documents again now."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page

from readmodel import counts, outbox
from readmodel.models import PageDocument


class Command(BaseCommand):
    help = "Rebuild page documents: every page, one page, or a section and everything below it."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--page", type=int, help="Only this page (and what shows it).")
        which.add_argument("--section", type=int, help="This page and every page below it.")

    def handle(self, *args, page=None, section=None, **options):
        if page is not None:
            ids, cascade = [page], True
        elif section is not None:
            top = Page.objects.filter(pk=section).first()
            if top is None:
                raise CommandError(f"No page with id {section}.")
            ids = list(Page.objects.filter(path__startswith=top.path).values_list("pk", flat=True))
            cascade = True
        else:
            ids = set(Page.objects.filter(depth__gt=1).values_list("pk", flat=True))
            ids |= set(PageDocument.objects.values_list("page_id", flat=True))
            ids, cascade = sorted(ids), False
        with transaction.atomic():
            written = outbox.rebuild_pages(ids, cascade=cascade)
            if page is None and section is None:
                counts.recount_everything()  # whatever the documents were before
        self.stdout.write(f"{len(ids)} pages rebuilt, {written} documents written.")
