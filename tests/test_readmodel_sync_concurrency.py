"""Two writers of documents at once, on PostgreSQL: sync never skips a change committed late.

Writer A numbers its document and holds its transaction open; writer B starts while A holds
it. If B could number and commit its document first, a sync between B's commit and A's
would hand out a token past A's number, and A's change would never reach that client. B
must wait for A (``readmodel.outbox.write``'s lock), so the token a client gets meanwhile
covers neither, and the next delta brings both. Threads use their own connections; they
take turns through events, and the test waits for B to be blocked by asking PostgreSQL.
"""

import threading

import pytest
from django.db import connection, connections

from readmodel import builder, outbox
from readmodel.models import DocumentChange, PageDocument

from .browser import harness
from .sync_client import walk

# Autouse: later transactional tests find the migrated rows (root page, site) again.
database_left_as_migrated = harness.database_left_as_migrated

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks between connections: run with DATABASE_URL=postgres://… (CI does)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT = 60  # seconds: only reached when something hangs


class Writer(threading.Thread):
    """Runs ``work`` in a thread with its own database connection; keeps its error."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work = work
        self.error = None
        self.pid = None
        self.ready = threading.Event()

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.ready.set()
            self.work()
        except Exception as error:  # reported by the test thread
            self.error = error
        finally:
            self.ready.set()
            connections.close_all()


def blocked_by(writer, holder, finished):
    """Wait until ``writer`` waits for a lock ``holder`` holds (True) or has finished (False)."""
    with connection.cursor() as cursor:
        for _ in range(WAIT * 100):
            if finished.is_set():
                return False
            cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [holder.pid, writer.pid])
            if cursor.fetchone()[0]:
                return True
            finished.wait(0.01)  # woken at once when the writer finishes
    raise AssertionError("the second writer neither finished nor waited")


@pytest.fixture
def no_drain_on_commit(monkeypatch):
    """Drains run only where the test says (not in this thread when a publish commits)."""
    outbox.drain()
    monkeypatch.setattr(outbox, "_enqueue", lambda: None)


def test_a_change_committed_late_is_never_skipped(client, prp, exosomes, no_drain_on_commit):
    _pages, _removed, token = walk(client, lang="vi")
    for page, title in ((prp, "PRP sửa bởi A"), (exosomes, "Exosome sửa bởi B")):
        page.title_vi = title
        page.save_revision().publish()  # committed
    DocumentChange.objects.all().delete()  # the two writers below rebuild those pages
    a_numbered, a_may_commit, b_done = threading.Event(), threading.Event(), threading.Event()
    write = outbox.write

    def write_then_hold(documents):
        write(documents)
        if threading.current_thread() is a:
            a_numbered.set()
            assert a_may_commit.wait(WAIT)

    outbox.write = write_then_hold
    try:
        a = Writer(lambda: outbox.rebuild_pages([prp.pk], cascade=True))
        b = Writer(lambda: (outbox.rebuild_pages([exosomes.pk], cascade=True), b_done.set()))
        a.start()
        assert a_numbered.wait(WAIT) and a.error is None
        b.start()
        assert b.ready.wait(WAIT)
        assert blocked_by(b, a, b_done), "B committed while A, numbered before it, had not"
        # A client syncs now: neither change is visible, and its token must not pass them.
        changed, _removed, token_between = walk(client, token=token)
        assert prp.pk not in changed and exosomes.pk not in changed
        a_may_commit.set()
        a.join(WAIT)
        b.join(WAIT)
    finally:
        outbox.write = write
        a_may_commit.set()
    assert a.error is None and b.error is None
    a_seq = PageDocument.objects.get(page_id=prp.pk, lang="vi").seq
    b_seq = PageDocument.objects.get(page_id=exosomes.pk, lang="vi").seq
    assert a_seq < b_seq  # numbered in the order they committed
    changed, _removed, _token = walk(client, token=token_between)
    assert changed[prp.pk]["title"] == "PRP sửa bởi A"
    assert changed[exosomes.pk]["title"] == "Exosome sửa bởi B"


def test_a_drain_that_read_older_content_never_writes_over_newer(client, prp, no_drain_on_commit):
    """A drain builds a page; an editor publishes it again meanwhile and another drain takes
    that change. The second waits for the first (the writer's lock is taken before building),
    then builds from the new content: the document ends with the editor's last text."""
    prp.title_vi = "PRP bản đầu"
    prp.save_revision().publish()
    a_built, a_may_write, b_done = threading.Event(), threading.Event(), threading.Event()
    build = builder.build

    def build_then_hold(page_id, **kwargs):
        documents = build(page_id, **kwargs)
        if threading.current_thread() is a:
            a_built.set()
            assert a_may_write.wait(WAIT)
        return documents

    builder.build = build_then_hold
    try:
        a = Writer(outbox.drain)
        a.start()
        assert a_built.wait(WAIT) and a.error is None
        prp.title_vi = "PRP bản cuối"
        prp.save_revision().publish()  # committed, with its outbox row
        b = Writer(lambda: (outbox.drain(), b_done.set()))
        b.start()
        assert b.ready.wait(WAIT)
        assert blocked_by(b, a, b_done), "a second drain built while the first held its build"
        a_may_write.set()
        a.join(WAIT)
        b.join(WAIT)
    finally:
        builder.build = build
        a_may_write.set()
    assert a.error is None and b.error is None
    detail = client.get(f"/api/v1/pages/{prp.pk}/?lang=vi").json()
    assert detail["title"] == "PRP bản cuối"
    assert walk(client, lang="vi")[0][prp.pk]["title"] == "PRP bản cuối"
