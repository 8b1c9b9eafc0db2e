"""A django-tasks backend that runs each task on a thread, so the request never waits.

For a single-process deployment without a worker: delivery starts right after
the editor's transaction commits and the publish response returns at once;
deferred tasks (retries with ``run_after``) wait on a timer. Tasks still
waiting are lost if the process stops: for durable retries configure a
queue-backed django-tasks backend (e.g. django-tasks-db) as
``WEBHOOKS_TASK_BACKEND`` and run its worker.
"""

import threading

from django.db import connections
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

# SQLite takes one writer at a time, and an in-memory database shared between threads
# refuses a second one at once ("database table is locked") instead of waiting: on SQLite
# the backend runs its tasks one after the other. Other databases run them side by side.
_sqlite_turn = threading.Lock()


class ThreadBackend(ImmediateBackend):
    supports_defer = True

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        delay = 0.0
        if task.run_after is not None:
            delay = max(0.0, (task.run_after - timezone.now()).total_seconds())
        timer = threading.Timer(delay, self._run, args=(result,))
        timer.daemon = True
        timer.start()
        return result

    def _run(self, result):
        try:
            if connections["default"].vendor == "sqlite":
                with _sqlite_turn:
                    self._execute_task(result)
            else:
                self._execute_task(result)
        finally:
            # The thread ends here and nothing reuses its connections: close them, or each
            # delivery leaves a database session open (CONN_MAX_AGE keeps it) until collected.
            connections.close_all()
