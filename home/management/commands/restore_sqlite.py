"""Put a backup made by ``backup_sqlite`` back in place of the SQLite database.

The backup is checked (``PRAGMA integrity_check``) before anything is touched, and
the current database is first backed up itself, so a restore can be undone. The
content is copied with SQLite's backup API into the database file, which handles
its ``-wal`` and ``-shm`` files correctly; copying a file over a database in WAL
mode would leave a stale ``-wal`` behind to corrupt it. Stop the site first.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from .backup_sqlite import configured_sqlite_file, integrity_problems


def open_read_only(path):
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


class Command(BaseCommand):
    help = "Restore the SQLite database from a backup made by backup_sqlite."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup file, e.g. backups/db-<timestamp>.sqlite3.")
        parser.add_argument(
            "--target", help="SQLite file to restore into (default: the configured database)."
        )
        parser.add_argument(
            "--dir", help="Where the current database is backed up first (default: backups/)."
        )

    def handle(self, *args, **options):
        backup = Path(options["backup"])
        target = Path(options["target"]) if options["target"] else configured_sqlite_file()
        if target is None:
            raise CommandError("Not SQLite: restore PostgreSQL with pg_restore instead.")
        if not backup.is_file():
            raise CommandError(f"No backup at {backup}.")
        try:
            with closing(open_read_only(backup)) as db:
                problems = integrity_problems(db)
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"{backup} is not a SQLite database: {exc}") from exc
        if problems:
            raise CommandError(f"{backup} fails integrity_check: {'; '.join(problems)}")
        if target.exists() and target.stat().st_size:
            extra = {"dir": options["dir"]} if options["dir"] else {}
            call_command("backup_sqlite", source=str(target), stdout=self.stdout, **extra)
        # Into the database file itself, not a file renamed over it: SQLite then keeps its
        # own -wal and -shm files consistent with the new content.
        with closing(open_read_only(backup)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
            problems = integrity_problems(dst)
        if problems:
            raise CommandError(f"{target} fails integrity_check after the restore.")
        self.stdout.write(f"Restored {target} from {backup} (integrity_check: ok)")
