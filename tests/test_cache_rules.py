"""Caches never keep a page past its expiry, nor a signed-in editor's page for anyone else.

Time comes from the injected clock (``cms.clock.frozen_at``): nothing sleeps, and no
publish happens between the requests, so only time can make the page disappear.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from cms import clock
from cms.middleware import bound_cache_control
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
URL_EN = "/en/articles/exosomes-vs-prp/"
URL_VI = "/vi/bai-viet/exosome-va-prp/"


def _max_lifetime(cache_control):
    """Seconds a downstream cache may serve it: max-age plus stale-while-revalidate."""
    parts = dict(
        (p.split("=", 1) + ["0"])[:2] for p in (x.strip() for x in cache_control.split(","))
    )
    return int(parts.get("max-age", 0)) + int(parts.get("stale-while-revalidate", 0))


def _reads(article):
    return [
        URL_EN,
        URL_VI,
        "/en/articles/",
        "/vi/",
        "/sitemap.xml",
        f"/api/v1/pages/{article.pk}/?lang=vi",
        "/api/v1/pages/?lang=en&type=article",
        "/api/v1/pages/?lang=vi&search=exosome",
        "/api/v1/pages/find/?path=/vi/bai-viet/exosome-va-prp/",
    ]


def test_expiry_takes_effect_everywhere_at_its_time_even_from_the_cache(client, article):
    expiry = NOW + datetime.timedelta(minutes=10)
    Page.objects.filter(pk=article.pk).update(expire_at=expiry)
    with clock.frozen_at(NOW):
        for url in _reads(article):  # every read made and cached while the page is live
            assert "exosome" in client.get(url).content.decode().lower(), url
        assert client.get(URL_VI)["X-Cache"] == "hit"
    with clock.frozen_at(expiry):
        assert client.get(URL_EN).status_code == 404
        assert client.get(URL_VI).status_code == 404
        assert client.get(f"/api/v1/pages/{article.pk}/?lang=vi").status_code == 404
        assert (
            client.get("/api/v1/pages/find/?path=/vi/bai-viet/exosome-va-prp/").status_code == 404
        )
        for url in _reads(article)[2:5] + _reads(article)[6:8]:
            text = client.get(url).content.decode()
            assert "exosome-va-prp" not in text and "exosomes-vs-prp" not in text, url


def test_cache_control_never_lets_a_downstream_cache_outlive_the_expiry(client, article):
    expiry = NOW + datetime.timedelta(minutes=10)
    Page.objects.filter(pk=article.pk).update(expire_at=expiry)
    api = f"/api/v1/pages/{article.pk}/?lang=vi"
    with clock.frozen_at(NOW):
        first = client.get(api)
        assert first["X-Cache"] == "miss"
        assert _max_lifetime(first["Cache-Control"]) <= 600
    for seconds_before in (90, 30, 1):
        with clock.frozen_at(expiry - datetime.timedelta(seconds=seconds_before)):
            # Stored or not: a page asked for with a query string and the sitemap too.
            for url in (api, URL_VI, f"{URL_VI}?utm_source=zalo", "/sitemap.xml"):
                response = client.get(url)
                assert response.status_code == 200
                assert _max_lifetime(response["Cache-Control"]) <= seconds_before, (
                    url,
                    response["Cache-Control"],
                )
            assert client.get(api, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_page_going_live_appears_when_its_time_comes(client, article):
    go_live = NOW + datetime.timedelta(hours=2)
    Page.objects.filter(pk=article.pk).update(go_live_at=go_live)
    with clock.frozen_at(NOW):
        assert client.get(URL_EN).status_code == 404
        assert "exosomes-vs-prp" not in client.get("/en/articles/").content.decode()
    with clock.frozen_at(go_live):
        assert client.get(URL_EN).status_code == 200
        assert "exosomes-vs-prp" in client.get("/en/articles/").content.decode()


def test_bound_cache_control_shortens_every_lifetime():
    value = "public, max-age=60, stale-while-revalidate=300, stale-if-error=600"
    assert bound_cache_control(value, None) == value
    assert bound_cache_control(value, 1000) == value
    assert bound_cache_control(value, 100) == (
        "public, max-age=60, stale-while-revalidate=40, stale-if-error=40"
    )
    assert bound_cache_control(value, 20) == (
        "public, max-age=20, stale-while-revalidate=0, stale-if-error=0"
    )


# --- Signed-in responses are never stored or served to anyone else -----------------------

COOKIE_FORMS = [
    "sessionid={key}",
    " sessionid = {key} ",
    "theme=dark; sessionid={key}; lang=vi",
    "sessionid={key}; sessionid={key}",
    "csrftoken=abc;sessionid={key}",
]


@pytest.mark.parametrize("form", COOKIE_FORMS)
def test_a_signed_in_editor_page_is_never_served_to_a_reader(admin_client, article, form):
    key = admin_client.cookies["sessionid"].value
    editor = Client(HTTP_COOKIE=form.format(key=key))
    html = editor.get(URL_VI).content.decode()
    assert "wagtail-userbar" in html or "/admin/pages/" in html  # Django reads the session
    reader = Client()
    response = reader.get(URL_VI)
    text = response.content.decode()
    assert "wagtail-userbar" not in text and "/admin/pages/" not in text
    assert response["X-Cache"] == "miss"  # the editor's response was not stored


def test_a_session_cookie_in_another_case_is_never_answered_from_the_cache(client, article):
    client.get(URL_VI)
    response = Client(HTTP_COOKIE="SessionID=whatever").get(URL_VI)
    assert "X-Cache" not in response


def test_a_response_marked_private_or_varying_on_cookies_is_not_stored(rf, article):
    from django.http import HttpResponse

    from cms.middleware import ContentCacheMiddleware

    request = rf.get(URL_VI, HTTP_COOKIE="theme=dark")
    for headers in (
        {"Cache-Control": "private, max-age=60"},
        {"Cache-Control": "no-cache"},
        {"Cache-Control": "max-age=0"},
        {"Cache-Control": "public, max-age=60", "Vary": "*"},
        {"Cache-Control": "public, max-age=60", "Vary": "Accept-Language, Cookie"},
    ):
        response = HttpResponse("x", headers=headers)
        assert not ContentCacheMiddleware.storable(request, response), headers
    fine = HttpResponse("x", headers={"Cache-Control": "public, max-age=60"})
    assert ContentCacheMiddleware.storable(request, fine)


def test_api_query_strings_share_one_entry_and_junk_adds_none(client, article):
    first = client.get("/api/v1/pages/?lang=vi&type=article")
    assert first["X-Cache"] == "miss"
    assert client.get("/api/v1/pages/?type=article&lang=vi")["X-Cache"] == "hit"
    for junk in ("utm_source=x", "a=1&b=2", "lang=vi&zzz=1"):
        response = client.get(f"/api/v1/pages/?{junk}")
        assert response.status_code == 400
        assert "X-Cache" not in response
    # A page with a query string is rendered, never stored under a key of its own.
    assert "X-Cache" not in client.get(f"{URL_VI}?utm_source=zalo")


def test_a_detail_ends_with_what_it_shows_not_with_every_page_of_the_site(
    client, article, therapy_index
):
    """A detail is one stored document whose end counts the pages it shows and its own
    expiry: another page expiring elsewhere shortens the list that shows it, not this detail
    (which stays a cache hit), and the detail's own expiry still ends it."""
    elsewhere = factories.make_therapy(
        therapy_index, "Microneedling", "microneedling", "Lăn kim", "lan-kim"
    )
    soon = NOW + datetime.timedelta(seconds=40)
    elsewhere.expire_at = soon
    elsewhere.save_revision().publish()
    detail = f"/api/v1/pages/{article.pk}/?lang=vi"
    listing = "/api/v1/pages/?lang=vi&type=therapy"
    with clock.frozen_at(NOW):
        first = client.get(detail)
        assert first.status_code == 200 and first["X-Cache"] == "miss"
        assert _max_lifetime(first["Cache-Control"]) > 40, first["Cache-Control"]
        assert "Lăn kim" in client.get(listing).content.decode()
        assert _max_lifetime(client.get(listing)["Cache-Control"]) <= 40
    with clock.frozen_at(soon):
        again = client.get(detail)
        assert again["X-Cache"] == "hit" and again.content == first.content
        assert "Lăn kim" not in client.get(listing).content.decode()
        assert client.get(f"/api/v1/pages/{elsewhere.pk}/?lang=vi").status_code == 404

    article.expire_at = NOW + datetime.timedelta(minutes=5)
    article.save_revision().publish()
    with clock.frozen_at(NOW):
        own = client.get(detail)
        assert own.status_code == 200
        assert _max_lifetime(own["Cache-Control"]) <= 300, own["Cache-Control"]
