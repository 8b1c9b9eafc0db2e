"""``manage.py drain_documents``: rebuild what pending changes name, and documents now due."""

from django.core.management.base import BaseCommand, CommandError

from readmodel import outbox, sync


class Command(BaseCommand):
    help = (
        "Rebuild the page documents that pending changes name and those whose valid_until has "
        "passed, and forget deleted pages older than SYNC_DELETIONS_RETENTION_DAYS. Run it "
        "periodically (every minute): it takes over changes a failed task left."
    )

    def handle(self, *args, **options):
        done, failed = outbox.drain()
        due = outbox.rebuild_due()
        forgotten = sync.forget_deletions()
        self.stdout.write(
            f"{done} changes drained, {due} due pages rebuilt, {failed} failed, "
            f"{forgotten} deleted documents forgotten."
        )
        if failed:
            raise CommandError(f"{failed} changes could not be drained (see the log).")
