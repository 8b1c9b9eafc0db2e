"""Write one page's or one section's segments to an XLIFF 2.1 or PO file for a CAT tool."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from workspace import files


class Command(BaseCommand):
    help = "Export the segments of a page or a section (page and descendants) as XLIFF or PO."

    def add_arguments(self, parser):
        parser.add_argument("--lang", required=True, help="target language, e.g. vi")
        parser.add_argument("--format", choices=["xliff", "po"], default="xliff")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--page", type=int, help="one page id")
        where.add_argument("--section", type=int, help="a page id: it and its descendants")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, lang, format, page, section, output, **options):
        targets = [code for code in SUPPORTED_LANGUAGES if code != DEFAULT_LANGUAGE]
        if lang not in targets:
            raise CommandError(f"--lang must be one of: {', '.join(targets)}")
        if not Page.objects.filter(pk=page if page is not None else section).exists():
            raise CommandError(f"No page with id {page if page is not None else section}.")
        pages = files.pages_to_export(page_id=page, section_id=section)
        if output:
            with open(output, "w", encoding="utf-8", newline="\n") as out:
                count = files.export(pages, lang, out, format)
            self.stderr.write(f"{count} units written to {output}.")
        else:
            files.export(pages, lang, _Unended(self.stdout), format)


class _Unended:
    """The command's stdout without the line ending Django adds to each write."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, text):
        self.stdout.write(text, ending="")
