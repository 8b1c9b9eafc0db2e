"""Copy an existing SQLite database to a timestamped backup before migrating.

wagtail-modeltranslation adds the Page translation columns (title_vi, slug_vi, …)
outside Django's migrations. A Wagtail upgrade whose migration rebuilds the
wagtailcore_page table on SQLite would drop them, and the Vietnamese titles with
them; the backup is the way back.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Back up the SQLite database (if any) to backups/db-<timestamp>.sqlite3."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BASE_DIR / "backups"))
        parser.add_argument(
            "--source", help="SQLite file to back up (default: the configured database)."
        )

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        if not options["source"] and db["ENGINE"] != "django.db.backends.sqlite3":
            self.stdout.write("Not SQLite: back up PostgreSQL with pg_dump instead.")
            return
        source = Path(options["source"] or db["NAME"])
        if not source.exists() or source.stat().st_size == 0:
            self.stdout.write("No existing SQLite database: nothing to back up.")
            return
        target_dir = Path(options["dir"])
        target_dir.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        target = target_dir / f"{source.stem}-{stamp}{source.suffix}"
        shutil.copy2(source, target)
        self.stdout.write(f"Backed up {source.name} to {target}")
