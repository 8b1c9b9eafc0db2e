"""Read an XLIFF 2 or PO file back: check everything, then save one draft per changed page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from workspace import files


class Command(BaseCommand):
    help = (
        "Import translations from an XLIFF 2 or PO file made by export_translations. "
        "Nothing is written when any unit is in error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--user", help="username the revisions and log entries name")

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        account = None
        if user:
            model = get_user_model()
            try:
                account = model.objects.get(**{model.USERNAME_FIELD: user})
            except model.DoesNotExist as error:
                raise CommandError(f"No user named {user!r}.") from error
        try:
            parsed = files.read(data, path.name)
        except files.FileError as error:
            raise CommandError(str(error)) from error
        report = files.import_file(parsed, path.name, user=account, dry_run=dry_run)
        for line in report.summary_lines(dry_run=dry_run):
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"{len(report.errors)} errors in {path.name}; nothing was written.")
