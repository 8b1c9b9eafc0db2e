"""Back up the SQLite database to a timestamped, checked copy (before every migrate).

wagtail-modeltranslation adds the Page translation columns (title_vi, slug_vi, …)
outside Django's migrations. A Wagtail upgrade whose migration rebuilds the
wagtailcore_page table on SQLite would drop them, and the Vietnamese titles with
them; the backup is the way back (``restore_sqlite``).

The copy is made with SQLite's online backup API, not by copying the file: a file
copy taken while another connection writes can be torn, and in WAL mode it misses
every commit still in the ``-wal`` file. The backup API copies one consistent
snapshot (committed data only) while the site keeps running. Each copy must pass
``PRAGMA integrity_check`` before it gets its final name, so a file under
``backups/`` is always a whole, healthy database.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms import clock


def integrity_problems(connection):
    """What ``PRAGMA integrity_check`` reports, or ``[]`` for a healthy database."""
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def copy_database(source, target):
    """Copy the SQLite database ``source`` into ``target`` as one consistent snapshot.

    ``target`` is written under a temporary name, checked, then renamed, so it never
    exists half-written or damaged. Raises CommandError when either side is not a
    healthy SQLite database.
    """
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        # mode=rw: a missing source is an error, never created empty.
        with closing(
            sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=rw", uri=True)
        ) as src:
            with closing(sqlite3.connect(partial)) as dst:
                src.backup(dst)
                # One self-contained file, whatever the source's mode: no -wal to carry along.
                dst.execute("PRAGMA journal_mode=DELETE")
                problems = integrity_problems(dst)
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"{source} could not be copied: {exc}") from exc
    if problems:
        partial.unlink(missing_ok=True)
        raise CommandError(f"The copy of {source} fails integrity_check: {'; '.join(problems)}")
    partial.replace(target)
    return target


def configured_sqlite_file():
    """The configured SQLite database file, or None when the database is not SQLite."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return None
    return Path(db["NAME"])


class Command(BaseCommand):
    help = "Back up the SQLite database (if any) to backups/db-<timestamp>.sqlite3, checked."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BASE_DIR / "backups"))
        parser.add_argument(
            "--source", help="SQLite file to back up (default: the configured database)."
        )

    def handle(self, *args, **options):
        source = Path(options["source"]) if options["source"] else configured_sqlite_file()
        if source is None:
            self.stdout.write("Not SQLite: back up PostgreSQL with pg_dump instead.")
            return
        if not source.exists() or source.stat().st_size == 0:
            self.stdout.write("No existing SQLite database: nothing to back up.")
            return
        target_dir = Path(options["dir"])
        target_dir.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
        target = target_dir / f"{source.stem}-{stamp}{source.suffix}"
        serial = 1
        while target.exists():  # two backups within the same microsecond (or a frozen clock)
            serial += 1
            target = target_dir / f"{source.stem}-{stamp}-{serial}{source.suffix}"
        copy_database(source, target)
        self.stdout.write(f"Backed up {source.name} to {target} (integrity_check: ok)")
