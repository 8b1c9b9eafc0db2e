"""Export the medical glossary to CSV for translators, or import their file back."""

from django.core.management.base import BaseCommand, CommandError

from workspace.glossary import import_terms, write_csv
from workspace.models import Term


class Command(BaseCommand):
    help = (
        "Export the glossary to a CSV file (english,vietnamese,note,keep_as_is; UTF-8 with BOM "
        "for Excel), or import one: every row is checked first and nothing is written if a row "
        "has an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", help="CSV file to write or read")

    def handle(self, *args, action, file, **options):
        if action == "export":
            with open(file, "w", encoding="utf-8-sig", newline="") as out:
                write_csv(Term.objects.all(), out)
            self.stdout.write(f"Exported {Term.objects.count()} terms to {file}.")
            return
        try:
            with open(file, "rb") as source:
                data = source.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        created, updated, errors = import_terms(data)
        if errors:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(str(error) for error in errors)
            )
        self.stdout.write(f"Imported {file}: {created} terms added, {updated} updated.")
