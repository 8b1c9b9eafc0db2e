"""While one save checks and writes a page, a second connection cannot take the page.

The save path of the page editor and of the translation workspace locks the page row
(``revisions.concurrency.lock_latest``) before it reads the latest revision, and keeps the
lock until its revision is written. Here a second connection, in a thread of its own,
tries to take the page at the moment the first save writes its revision (the
``post_save`` signal of ``Revision``, inside the save's transaction):

- on PostgreSQL with ``SELECT … FOR UPDATE NOWAIT`` on the page row: refused;
- on SQLite, which has no row locks and serializes writers, by writing the page row: refused.

Once the save has committed, the same attempt succeeds; and with a save path that does not
lock (``lock_latest`` replaced by a plain read), the attempt during the save succeeds on
PostgreSQL: the refusal comes from the lock, not from something else the save holds.
(On SQLite the control is refused too: there, serialized writers are the guarantee.)
"""

import threading
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.urls import reverse
from wagtail.models import Page, Revision

from revisions import concurrency

from .admin_forms import article_edit_data, edit_post
from .browser import harness
from .editorial_fixtures import _client_for

# Autouse: later transactional tests find the migrated rows (root page, site) again.
database_left_as_migrated = harness.database_left_as_migrated

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def take_page(page_id):
    """What a second connection gets when it tries to take the page now: "taken" or the
    database's refusal. Runs in a thread, so it uses a connection of its own."""
    outcome = {}

    def attempt():
        try:
            with transaction.atomic():
                if connection.features.has_select_for_update_nowait:
                    list(Page.objects.select_for_update(nowait=True).filter(pk=page_id))
                else:  # SQLite: one writer at a time, so a write stands for the lock
                    Page.objects.filter(pk=page_id).update(locked=F("locked"))
            outcome["result"] = "taken"
        except DatabaseError as error:
            outcome["result"] = f"refused: {error}"
        finally:
            connections.close_all()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return outcome["result"]


@contextmanager
def probing():
    """Yields the second connection's attempts, each made while a save writes its revision."""
    attempts = []

    def try_while_saving(sender, instance, created, **kwargs):
        if created:
            attempts.append(take_page(int(instance.object_id)))

    post_save.connect(try_while_saving, sender=Revision, dispatch_uid="row-lock-probe")
    try:
        yield attempts
    finally:
        post_save.disconnect(sender=Revision, dispatch_uid="row-lock-probe")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "binh", "binh@example.com", "pw-for-tests-only", first_name="Bình", last_name="Trần"
    )


def save_from_edit_form(page, user):
    revision = page.get_latest_revision()
    data = article_edit_data(revision)
    data["title_vi"] = "Exosome và PRP: khác nhau thế nào"
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return _client_for(user).post(url, edit_post(data, revision))


def save_from_workspace(page, user):
    url = reverse("translate:page", args=[page.pk, "vi"])
    form = {
        "revision": str(Page.objects.get(pk=page.pk).latest_revision_id),
        "t:lead": "Lời dẫn mới của người dịch.",
    }
    return _client_for(user).post(url, form)


SAVES = {"edit form": save_from_edit_form, "workspace": save_from_workspace}


@pytest.mark.parametrize("path", SAVES)
def test_a_second_connection_cannot_take_the_page_while_a_save_writes_it(path, article, editor):
    article.save_revision()
    with probing() as during_save:
        response = SAVES[path](article, editor)

    assert response.status_code == 302
    assert len(during_save) == 1 and during_save[0].startswith("refused"), during_save
    if connection.vendor == "postgresql":
        assert "could not obtain lock" in during_save[0]
    assert take_page(article.pk) == "taken"  # released when the save committed


def test_without_the_row_lock_the_second_connection_takes_the_page_on_postgresql(
    article, editor, monkeypatch
):
    """The control: with a save path that does not lock the row, PostgreSQL lets the probe
    take the page during the save. SQLite still refuses it: its writers serialize anyway."""

    def unlocked(page_id):
        latest_id = Page.objects.filter(pk=page_id).values_list("latest_revision_id", flat=True)
        return Revision.objects.filter(pk=latest_id.first()).first()

    monkeypatch.setattr(concurrency, "lock_latest", unlocked)
    article.save_revision()
    with probing() as during_save:
        assert save_from_edit_form(article, editor).status_code == 302
    assert len(during_save) == 1
    if connection.features.has_select_for_update_nowait:
        assert during_save == ["taken"]
    else:
        assert during_save[0].startswith("refused"), during_save
