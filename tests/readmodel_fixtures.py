"""The read model in tests: the outbox drained before each request, documents verified after.

Tests run inside one transaction that is rolled back, so the drain that follows a commit
never runs. Instead, each change the test makes marks the outbox as pending, and the next
request the test client sends first drains it, as the task would after the commit. For the
modules that read documents (the API's), the documents the test touched are compared with
a fresh build before its transaction rolls back (``verify_documents`` in small): a change
that forgot to record its dependents fails the test that made it.
"""

import pytest
from django.core.signals import request_started

from readmodel import counts, outbox
from readmodel.verify import differences

VERIFIED_MODULES = ("tests.test_api_", "tests.test_readmodel", "tests.test_releases")


@pytest.fixture(autouse=True)
def documents_follow_content(request, monkeypatch):
    if request.node.get_closest_marker("django_db") is None and not {
        "db",
        "transactional_db",
    } & set(request.fixturenames):
        yield
        return
    # Set up the database first, so that the check below runs before the rollback.
    request.getfixturevalue("_django_db_helper")
    state = {"pending": False, "touched": False}
    schedule = outbox._schedule

    def schedule_and_mark():
        state["pending"] = state["touched"] = True
        schedule()

    def drain_now():
        outbox.drain()  # also what the drain itself records (it drains until none is left)
        state["pending"] = False

    def drain_before_request(**kwargs):
        if state["pending"]:
            drain_now()

    # A test that pins a request's queries drains first: ``documents_follow_content["drain"]()``.
    state["drain"] = drain_now

    monkeypatch.setattr(outbox, "_schedule", schedule_and_mark)
    request_started.connect(drain_before_request, dispatch_uid="tests-readmodel-drain")
    try:
        yield state
    finally:
        request_started.disconnect(dispatch_uid="tests-readmodel-drain")
    if state["touched"] and request.node.module.__name__.startswith(VERIFIED_MODULES):
        outbox.drain()
        assert differences() == [], "stored documents differ from a fresh build"
        assert counts.differences() == [], "stored list totals differ from a count"
