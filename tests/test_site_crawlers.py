"""What crawlers and browsers get: robots.txt, validators and 304s, Cache-Control, gzip."""

import gzip
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import http_date

from therapies.models import ArticlePage

pytestmark = pytest.mark.django_db

URL_VI = "/vi/bai-viet/exosome-va-prp/"
URL_EN = "/en/articles/exosomes-vs-prp/"


def test_robots_txt_names_the_sitemap_at_its_absolute_address(client, home):
    response = client.get("/robots.txt", follow=False)
    text = response.content.decode()
    assert response.status_code == 200, response.get("Location")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    assert "User-agent: *" in text and "Disallow: /admin/" in text
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("url", [URL_VI, URL_EN, "/vi/", "/en/articles/"])
def test_public_pages_carry_validators_and_cache_control(client, article, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"] and response["Last-Modified"]


@pytest.mark.parametrize("url", [URL_VI, URL_EN])
def test_pages_answer_conditional_requests_with_304_on_a_miss_and_on_a_hit(client, article, url):
    first = client.get(url)
    for validator in (
        {"HTTP_IF_NONE_MATCH": first["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
    ):
        assert client.get(url).status_code == 200  # stored in the content cache
        hit = client.get(url, **validator)
        assert hit.status_code == 304 and hit["X-Cache"] == "hit", validator
        assert hit.content == b""
        # A query string bypasses the content cache: ConditionalGetMiddleware answers.
        miss = client.get(f"{url}?utm_source=newsletter", **validator)
        assert miss.status_code == 304 and "X-Cache" not in miss, validator


def test_an_older_copy_is_sent_again_in_full(client, article):
    first = client.get(URL_VI)
    # Republished a day later (an update skips the signals: the cache is cleared by hand).
    later = timezone.now() + timedelta(days=1)
    ArticlePage.objects.filter(pk=article.pk).update(last_published_at=later)
    cache.clear()
    again = client.get(URL_VI, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and again["Last-Modified"] == http_date(later.timestamp())
    assert "Hai liệu pháp khác nhau" in again.content.decode()


def test_a_page_expiring_soon_is_not_kept_past_its_expiry(client, article):
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() + timedelta(seconds=30)
    )
    max_age = int(client.get(URL_EN)["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 30


def test_signed_in_editors_get_private_pages(admin_client, article):
    response = admin_client.get(URL_EN)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"


def test_pages_in_a_private_section_are_private(client, article):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=article, restriction_type="login")
    cache.clear()
    from django.contrib.auth import get_user_model

    reader = get_user_model().objects.create_user("reader", password="pw-for-tests-only")
    client.force_login(reader)
    response = client.get(URL_EN)
    assert response.status_code == 200 and "Exosomes vs PRP" in response.content.decode()
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_sitemap_answers_conditional_requests(client, article):
    first = client.get("/sitemap.xml")
    assert first.status_code == 200 and first["Last-Modified"] and first["ETag"]
    assert "public" in first["Cache-Control"]
    assert (
        client.get("/sitemap.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    )
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    article.unpublish()
    changed = client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "exosome-va-prp" not in changed.content.decode()


@pytest.mark.parametrize("url", [URL_VI, "/api/v1/pages/?lang=vi", "/sitemap.xml"])
def test_html_json_and_xml_are_gzipped_when_the_reader_accepts_it(client, article, url):
    for attempt in ("miss", "hit"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response.status_code == 200, attempt
        assert response["Content-Encoding"] == "gzip", attempt
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        text = gzip.decompress(response.content).decode()
        assert "exosome" in text.lower(), attempt


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0, identity", "br"])
def test_no_gzip_unless_the_request_accepts_it(client, article, accept):
    extra = {"HTTP_ACCEPT_ENCODING": accept} if accept else {}
    for _attempt in ("miss", "hit"):
        response = client.get(URL_VI, **extra)
        assert not response.has_header("Content-Encoding")
        assert "Hai liệu pháp khác nhau" in response.content.decode()
        assert "Accept-Encoding" in response["Vary"]


def test_a_gzipped_page_revalidates_with_its_weak_etag(client, article):
    first = client.get(URL_VI, HTTP_ACCEPT_ENCODING="gzip")
    assert first["ETag"].startswith('W/"')
    again = client.get(URL_VI, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
