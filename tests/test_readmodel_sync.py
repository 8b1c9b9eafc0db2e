"""Delta sync: an external site mirrors the API from a full sync and then deltas only.

A full sync returns every visible page (pages of at most 100, a cursor between them) and a
signed token; a delta from it returns pages created or changed, whole, and the ids of pages
that left; publication windows that opened or closed count as changes; deletions are
remembered for the retention, and an older, changed or foreign token is a 400.
"""

import datetime
import io

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from cms import clock
from home.models import HomePage
from readmodel import outbox, sync
from readmodel.models import PageDocument

from . import factories
from .sync_client import Mirror, api_pages, walk

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("other_host_allowed"),
]


@pytest.fixture
def other_host_allowed(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]


NOW = timezone.now().replace(microsecond=0)


def test_a_full_sync_returns_every_visible_page_whole_in_pages_with_a_cursor(
    client, article, monkeypatch
):
    draft = factories.make_therapy(
        article.get_parent().get_parent(), "Draft", "draft", "Nháp", "nhap", publish=False
    )
    monkeypatch.setattr(sync, "PAGE_SIZE", 2)
    first = client.get("/api/v1/sync/?lang=vi").json()
    assert len(first["documents"]) == 2 and first["removed"] == []
    assert first["next_page"] and first["next_sync_token"] is None
    pages, removed, token = walk(client, lang="vi")
    assert pages == api_pages(client, "vi")
    assert draft.pk not in pages and article.pk in pages
    assert pages[article.pk]["title"] == article.title_vi and pages[article.pk]["lang"] == "vi"
    # Exactly the detail's bytes: a client can store them as they come.
    detail = client.get(f"/api/v1/pages/{article.pk}/?lang=vi").json()
    assert pages[article.pk] == detail
    # Nothing changed: the delta is empty.
    assert walk(client, token=token)[:2] == ({}, [])


def test_a_delta_returns_what_changed_and_the_pages_that_left(
    client, home, article, prp, exosomes, doctor, therapy_index
):
    mirror = Mirror(client, "vi")
    assert {article.pk, prp.pk, exosomes.pk} <= set(mirror.pages)
    doctor.credentials_vi = "Bác sĩ Chuyên khoa II"
    doctor.save()
    new = factories.make_therapy(therapy_index, "Laser", "laser", "Tia laser", "tia-laser")
    changed, removed = mirror.update()
    # The doctor's edit reached the article that quotes the doctor; the new page and the
    # section that lists it are sent whole; nothing else.
    assert set(changed) == {article.pk, new.pk, therapy_index.pk, home.pk}
    assert "Bác sĩ Chuyên khoa II" in str(changed[article.pk]["body"])
    assert changed[new.pk]["title"] == "Tia laser" and removed == []

    exosomes.unpublish()
    PageViewRestriction.objects.create(page=new, restriction_type="login")
    prp_id = prp.pk
    prp.delete()
    changed, removed = mirror.update()
    assert {exosomes.pk, new.pk, prp_id} <= set(removed)
    assert article.pk in changed  # its comparison no longer links the pages that left
    assert mirror.pages == api_pages(client, "vi")
    assert mirror.update() == ({}, [])


def test_a_page_moved_to_another_site_leaves_this_sites_sync(client, root_page, article, prp):
    other_home = factories.publish_child(
        root_page, factories._page(HomePage, "Other", "other", "Khác", "khac")
    )
    Site.objects.create(hostname="other.example", root_page=other_home)
    mirror = Mirror(client, "en")
    other = Mirror(Client(HTTP_HOST="other.example"), "en")
    assert prp.pk in mirror.pages and prp.pk not in other.pages
    prp.move(other_home, pos="last-child")
    changed, removed = mirror.update()
    assert prp.pk in removed and prp.pk not in changed
    changed, removed = other.update()
    assert changed[prp.pk]["url"].startswith("http://other.example/")
    assert mirror.pages == api_pages(client, "en")


def test_a_delta_includes_pages_whose_publication_window_opened_or_closed(
    client, therapy_index, prp, exosomes
):
    later = factories.make_therapy(therapy_index, "Later", "later", "Sau này", "sau-nay")
    Page.objects.filter(pk=later.pk).update(go_live_at=NOW + datetime.timedelta(hours=1))
    Page.objects.filter(pk=prp.pk).update(expire_at=NOW + datetime.timedelta(hours=2))
    outbox.record_pages([later.pk, prp.pk])
    with clock.frozen_at(NOW):
        mirror = Mirror(client, "vi")
        assert later.pk not in mirror.pages and prp.pk in mirror.pages
    # Time alone: nothing was rebuilt, but readers' pages changed.
    with clock.frozen_at(NOW + datetime.timedelta(hours=1)):
        changed, removed = mirror.update()
        assert later.pk in changed and removed == []
        # The section lists the page that went live (its body changed with time alone).
        assert later.pk in [child["id"] for child in changed[therapy_index.pk]["children"]]
        assert mirror.pages == api_pages(client, "vi")
    with clock.frozen_at(NOW + datetime.timedelta(hours=3)):
        changed, removed = mirror.update()
        assert removed == [prp.pk]
        assert mirror.pages == api_pages(client, "vi")


def test_bad_changed_foreign_or_old_tokens_are_a_400_saying_to_start_over(client, prp):
    with clock.frozen_at(NOW):
        _pages, _removed, token = walk(client, lang="vi")
    for bad in ("nonsense", token[:-2] + "xx", token.replace(":", ";")):
        response = client.get("/api/v1/sync/", {"token": bad})
        assert response.status_code == 400
        assert "Start over with a full sync" in response.json()["detail"]
    # Signed by us, but for the preview, or a cursor passed as a token.
    forged = signing.dumps({"v": 1, "l": "vi", "s": 1, "q": 0, "t": 0}, salt="other")
    assert client.get("/api/v1/sync/", {"token": forged}).status_code == 400
    assert client.get("/api/v1/sync/", {"cursor": token}).status_code == 400
    # Signed with our key (a leaked or rotated one) but holding no moment a server writes.
    from readmodel import sync

    for stamp in (10**30, -(10**30)):
        odd = signing.dumps(
            {"v": 1, "l": "vi", "s": 1, "q": 0, "t": stamp}, salt=sync._TOKEN_SALT, compress=True
        )
        response = client.get("/api/v1/sync/", {"token": odd})
        assert response.status_code == 400 and "Start over" in response.json()["detail"]
    response = client.get("/api/v1/sync/", {"token": token, "lang": "en"})
    assert response.status_code == 400 and "lang=vi" in response.json()["detail"]
    assert client.get("/api/v1/sync/", {"token": token, "lang": "vi"}).status_code == 200
    assert client.get("/api/v1/sync/", {"token": token, "cursor": token}).status_code == 400
    assert client.get("/api/v1/sync/", {"since": "1"}).status_code == 400
    other = Client(HTTP_HOST="other.example")
    Site.objects.create(hostname="other.example", root_page=prp.get_parent())
    response = other.get("/api/v1/sync/", {"token": token}, HTTP_ACCEPT_LANGUAGE="en")
    assert "another site" in response.json()["detail"]
    assert "/api/v1/sync/?lang=vi " in response.json()["detail"]
    with clock.frozen_at(NOW + datetime.timedelta(days=34)):
        assert client.get("/api/v1/sync/", {"token": token}).status_code == 200
    with clock.frozen_at(NOW + datetime.timedelta(days=36)):
        response = client.get("/api/v1/sync/", {"token": token})
        assert response.status_code == 400
        assert "older than 35 days" in response.json()["detail"]
        # The start over it suggests is the token's language (Vietnamese), not the one
        # Accept-Language would pick.
        english = client.get("/api/v1/sync/", {"token": token}, HTTP_ACCEPT_LANGUAGE="en")
        assert "/api/v1/sync/?lang=vi " in english.json()["detail"]
    with override_settings(SYNC_DELETIONS_RETENTION_DAYS=40):
        with clock.frozen_at(NOW + datetime.timedelta(days=36)):
            assert client.get("/api/v1/sync/", {"token": token}).status_code == 200


def test_deletions_are_remembered_for_the_retention_then_forgotten(client, prp, exosomes):
    mirror = Mirror(client, "en")
    prp_id = prp.pk
    prp.delete()
    client.get("/api/v1/pages/")  # drains
    tombstones = PageDocument.objects.filter(page_id=prp_id, state="deleted")
    assert tombstones.count() == 2  # English and Vietnamese
    with clock.frozen_at(timezone.now() + datetime.timedelta(days=30)):
        call_command("drain_documents", stdout=io.StringIO())
        assert tombstones.count() == 2
        assert prp_id in mirror.update()[1]
    with clock.frozen_at(timezone.now() + datetime.timedelta(days=36)):
        call_command("drain_documents", stdout=io.StringIO())
        assert not tombstones.exists()
        assert PageDocument.objects.filter(page_id=exosomes.pk).count() == 2


def test_sync_responses_are_never_cached(client, prp):
    _pages, _removed, token = walk(client, lang="vi")
    assert client.get("/api/v1/sync/", {"token": token}).json()["documents"] == []
    prp.title_vi = "PRP mới"
    prp.save_revision().publish()
    documents = client.get("/api/v1/sync/", {"token": token}).json()["documents"]
    assert [d["title"] for d in documents if d["id"] == prp.pk] == ["PRP mới"]


def test_one_page_of_a_delta_costs_a_fixed_number_of_queries(
    client, article, therapy_index, django_assert_num_queries
):
    _pages, _removed, token = walk(client, lang="vi")
    for n in range(3):
        factories.make_therapy(therapy_index, f"T{n}", f"t{n}", f"Liệu pháp {n}", f"lieu-phap-{n}")
    client.get("/api/v1/pages/")  # drains
    # The request's site (Wagtail's own lookup: no per-process copy since the read model),
    # the high-water mark, the documents.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/sync/", {"token": token})
    assert len(response.json()["documents"]) == 5  # three pages, their section, the home page
