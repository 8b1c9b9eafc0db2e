"""The background task that drains the outbox after a change commits, with retries."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import outbox

logger = logging.getLogger(__name__)

RETRY_SECONDS = (5, 30, 120, 600)


@task()
def drain_documents_task(attempt=1):
    """Rebuild the documents pending changes name; on a failure, try again later.

    A backend that cannot defer (the immediate one) leaves the failed changes to
    ``manage.py drain_documents``, which a periodic job runs.
    """
    done, failed = outbox.drain()
    if failed and attempt <= len(RETRY_SECONDS):
        backend = drain_documents_task.get_backend()
        if backend.supports_defer:
            delay = timedelta(seconds=RETRY_SECONDS[attempt - 1])
            drain_documents_task.using(run_after=timezone.now() + delay).enqueue(attempt + 1)
    return {"done": done, "failed": failed}
