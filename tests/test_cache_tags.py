"""Cached responses are purged per page: a publish refreshes what shows that page, nothing else."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:200])
    return response


def cached(client, url):
    """Fetch ``url`` until it is stored; returns the stored response."""
    fetch(client, url)
    response = fetch(client, url)
    assert response["X-Cache"] == "hit", url
    return response


def test_publishing_a_page_refreshes_it_and_leaves_other_pages_cached(
    client, article, prp, exosomes
):
    urls = {
        "prp": f"/api/v1/pages/{prp.pk}/?lang=vi",
        "exosomes": f"/api/v1/pages/{exosomes.pk}/?lang=vi",
        "exosomes page": "/vi/lieu-phap/exosome/",
    }
    for url in urls.values():
        cached(client, url)
    prp.summary_vi = "Tóm tắt mới về huyết tương giàu tiểu cầu."
    prp.save_revision().publish()
    fresh = fetch(client, urls["prp"])
    assert fresh["X-Cache"] == "miss"
    assert fresh.json()["summary"] == "Tóm tắt mới về huyết tương giàu tiểu cầu."
    assert fetch(client, urls["exosomes"])["X-Cache"] == "hit"
    assert fetch(client, urls["exosomes page"])["X-Cache"] == "hit"


def test_a_doctor_edit_purges_only_the_pages_that_show_the_doctor(client, article, prp, doctor):
    shows = f"/api/v1/pages/{article.pk}/?lang=vi"
    does_not = f"/api/v1/pages/{prp.pk}/?lang=vi"
    cached(client, shows)
    cached(client, does_not)
    doctor.name = "Võ Thanh Sang (Trưởng khoa)"
    doctor.save()
    fresh = fetch(client, shows)
    assert fresh["X-Cache"] == "miss" and "Võ Thanh Sang (Trưởng khoa)" in fresh.content.decode()
    assert fetch(client, does_not)["X-Cache"] == "hit"


def test_responses_name_their_tags_for_a_cdn(
    client, article, prp, exosomes, therapy_index, article_index
):
    detail = fetch(client, f"/api/v1/pages/{prp.pk}/?lang=vi")
    assert detail["Surrogate-Key"].split() == sorted([f"page-{prp.pk}", "site"])
    assert detail["Cache-Tag"].split(",") == detail["Surrogate-Key"].split()
    listing = fetch(client, "/api/v1/pages/?type=therapy&lang=vi")
    assert set(listing["Surrogate-Key"].split()) == {
        "list-vi-type-therapy",
        "list-vi-type-therapy-path",
        *(f"page-{item['id']}" for item in listing.json()["items"]),
        "site",
    }
    assert f"page-{prp.pk}" in listing["Surrogate-Key"].split()
    page = fetch(client, "/vi/bai-viet/exosome-va-prp/")
    # The page, and each page it shows as readers get it: the therapies it compares and the
    # sections of its navigation.
    shown = (article, prp, exosomes, therapy_index, article_index)
    assert set(page["Surrogate-Key"].split()) == {
        *(f"page-{p.pk}" for p in shown),
        "menu",
        "site",
    }


def test_on_redis_a_purge_stamps_the_exact_counter_value(settings):
    """A purge writes the counter's value under each tag, exactly as readers read it.

    django-redis increments through a Lua script, whose numbers are doubles: with a counter
    above 2**53 (it once started at the wall clock in nanoseconds) the value written under
    a purged tag was rounded below the counter, and a response cached after the purge
    stayed a hit for good (`make faults` saw an article 11 publishes behind).
    """
    from cms import cache as content_cache

    from .test_cache_redis import redis_cache

    settings.CACHES = redis_cache()  # a key prefix of its own: other suites share this Redis
    before = content_cache.counter()
    assert before < 2**53
    content_cache.purge({"page-1"})
    stamped = cache.get(content_cache.TAG_PREFIX + "page-1")
    assert stamped == cache.get(content_cache.COUNTER_KEY) and stamped > before
    # A response stored before the purge is retired; one stored after it is kept.
    assert not content_cache.still_valid(["page-1"], before)
    assert content_cache.still_valid(["page-1"], stamped)
    cache.delete_pattern("*")


def test_a_detail_answered_before_its_rebuild_names_its_page(client, therapy_index, prp):
    """A document past its ``valid_until`` (a child expired, the rebuild has not run yet) is
    answered as the builder makes it now, and purged by its page's tag like the document."""
    import datetime

    from django.utils import timezone

    from cms import clock

    from . import factories

    soon = timezone.now() + datetime.timedelta(hours=1)
    factories.make_therapy(
        therapy_index, "Soon", "soon", "Sắp hết hạn", "sap-het-han", expire_at=soon
    )
    url = f"/api/v1/pages/{therapy_index.pk}/?lang=vi"
    before = fetch(client, url)
    assert "Sắp hết hạn" in before.content.decode()
    with clock.frozen_at(soon + datetime.timedelta(minutes=1)):
        after = fetch(client, url)
    assert "Sắp hết hạn" not in after.content.decode()
    assert after["Surrogate-Key"].split() == sorted([f"page-{therapy_index.pk}", "site"])
    assert after["Cache-Tag"].split(",") == after["Surrogate-Key"].split()
