"""Reference data (site, private sections, doctors, clinic settings) is read once
per content version.

Counted with the response cache off, so each request builds its response: the
first request reads the reference data, the next ones do not, and any change to
it is seen by the very next request.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from cms import cache as content_cache
from cms import clock, reference
from editorial.review import record_review
from readmodel import outbox

from .test_api_queries import DETAIL_QUERIES
from .test_resilience import IgnoringCache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.API_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0


def detail(client, page, lang="vi"):
    return client.get(f"/api/v1/pages/{page.pk}/", {"lang": lang})


def queries_of(client, page):
    with CaptureQueriesContext(connection) as ctx:
        response = detail(client, page)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_detail_reads_its_document_and_nothing_else(client, article):
    detail(client, article)  # renditions, and the next go-live or expiry (per purge counter)
    # The site of the request's host is a subquery (cms.sites); doctors, clinic settings and
    # the translations' URLs are in the stored document (readmodel).
    assert queries_of(client, article) == DETAIL_QUERIES


def test_a_page_made_private_is_hidden_on_the_next_request(client, article):
    assert detail(client, article).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type="password", password="s3cret"
    )
    response = detail(client, article)
    assert response.status_code == 404 and "detail" in response.json()
    html = client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    assert "Exosome và PRP khác nhau thế nào" not in html
    restriction.delete()
    assert detail(client, article).json()["title"] == "Exosome và PRP khác nhau thế nào"


def test_a_private_compared_therapy_loses_its_link_on_the_next_request(client, article, prp):
    def columns():
        body = detail(client, article).json()["body"]
        return next(b for b in body if b["type"] == "comparison")["value"]["therapies"]

    assert all(column["url"] for column in columns())
    PageViewRestriction.objects.create(page=prp, restriction_type="login")
    # The private therapy loses its column (cms.references); the other stays, linked.
    assert [(c["title"], bool(c["url"])) for c in columns()] == [("Exosome", True)]


def test_a_changed_site_hostname_is_used_on_the_next_request(client, article):
    assert detail(client, article).json()["url"].startswith("http://testserver/")
    site = Site.objects.get(is_default_site=True)
    site.hostname = "phongkham.example"
    site.port = 443
    site.save()
    # The request's host no longer matches; the default site answers with its new root URL.
    assert detail(client, article).json()["url"].startswith("https://phongkham.example/vi/")


def test_changed_clinic_settings_reach_the_next_call_to_action(client, article, clinic):
    def buttons():
        body = detail(client, article).json()["body"]
        return next(b for b in body if b["type"] == "call_to_action")["value"]["buttons"]

    assert any(b["text"] == "079 7479 222" for b in buttons())
    clinic.hotline = "028 3822 1234"
    clinic.save()
    assert any(b["text"] == "028 3822 1234" for b in buttons())


def test_without_the_cache_reference_data_is_read_every_time(client, article, monkeypatch):
    listing = "/api/v1/pages/?lang=vi&type=article"

    def list_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(listing).status_code == 200
        return len(ctx)

    detail(client, article)
    client.get(listing)
    warm, warm_list = queries_of(client, article), list_queries()
    monkeypatch.setattr(content_cache, "cache", IgnoringCache())  # Redis down
    assert content_cache.counter() is None
    # A list and a detail end with what they show (cms.cache.set_valid_until, read with the
    # documents): neither needs the counter nor the site's next go-live, and each stays the
    # same one query with the cache down.
    assert list_queries() == list_queries() == warm_list == 1
    assert queries_of(client, article) == queries_of(client, article) == warm == DETAIL_QUERIES


def test_an_expiry_that_passes_between_two_requests_hides_the_page(client, article):
    """The visibility rule reads the clock each time it runs: no publish is needed."""
    now = timezone.now()
    expires = now + timedelta(seconds=1)
    Page.objects.filter(pk=article.pk).update(expire_at=expires)
    outbox.record_pages([article.pk])  # what a publish with an expiry records
    with clock.frozen_at(now):
        assert detail(client, article).status_code == 200
        assert article.pk in {item["id"] for item in client.get("/api/v1/pages/").json()["items"]}
    counter = content_cache.counter()  # nothing is rebuilt or purged at the expiry
    with clock.frozen_at(expires):
        assert content_cache.counter() == counter
        response = detail(client, article)
        assert response.status_code == 404 and "detail" in response.json()
        items = client.get("/api/v1/pages/").json()["items"]
        assert article.pk not in {item["id"] for item in items}


def test_a_doctor_edit_is_seen_by_the_next_request(client, article, doctor):
    """Doctors are reference data: quotes and reviews read them from memory until one changes."""
    record_review(article, doctor)
    data = detail(client, article).json()
    quote = next(block for block in data["body"] if block["type"] == "doctor_quote")
    assert quote["value"]["doctor"]["name"] == "Võ Thanh Sang"
    assert data["review"]["reviewed_by"]["name"] == "Võ Thanh Sang"
    doctor.name = "Trần Thị Đức Hạnh"
    doctor.credentials_vi = "Bác sĩ chuyên khoa cấp II"
    doctor.save()
    data = detail(client, article).json()
    quote = next(block for block in data["body"] if block["type"] == "doctor_quote")
    assert quote["value"]["doctor"]["name"] == "Trần Thị Đức Hạnh"
    assert quote["value"]["doctor"]["credentials"] == "Bác sĩ chuyên khoa cấp II"
    assert data["review"]["reviewed_by"]["name"] == "Trần Thị Đức Hạnh"
    assert data["json_ld"]["reviewedBy"] == {
        "@type": "Person",
        "name": "Trần Thị Đức Hạnh",
        "jobTitle": "Bác sĩ chuyên khoa cấp II",
    }
    html = client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    assert "Trần Thị Đức Hạnh" in html and "Võ Thanh Sang" not in html


def _portrait_url(client, article):
    data = detail(client, article).json()
    quote = next(block for block in data["body"] if block["type"] == "doctor_quote")
    return quote["value"]["doctor"]["photo"]["renditions"][0]["url"]


def test_kept_portraits_have_every_rendition_pages_use(doctor):
    """Made while loading, so threads sharing the kept image never make one at the same time."""
    from wagtail.images import get_image_model

    from therapies.blocks import PORTRAIT_FILTERS

    from .api_fixtures import make_image

    doctor.photo = make_image("Portrait", size=(500, 500))
    doctor.save()
    kept = reference.current().read("doctors")[doctor.pk]
    renditions = get_image_model().get_rendition_model().objects.filter(image=doctor.photo)
    assert sorted(renditions.values_list("filter_spec", flat=True)) == sorted(PORTRAIT_FILTERS)
    assert len(kept.photo.renditions.all()) == len(PORTRAIT_FILTERS)  # in memory, no query


def test_a_deleted_portrait_rendition_is_not_served_from_memory(
    client, article, doctor, django_capture_on_commit_callbacks
):
    """Replacing an image's file deletes its renditions (and their files) after saving it."""
    from django.core.files.storage import default_storage

    from .api_fixtures import make_image

    doctor.photo = make_image("Portrait", size=(500, 500))
    doctor.save()
    url = _portrait_url(client, article)
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail deletes the files on commit
        doctor.photo.renditions.all().delete()
    url = _portrait_url(client, article)
    name = url.split("/media/", 1)[1]
    assert default_storage.exists(name), "the portrait points at a deleted rendition file"
