"""Outages of the database or the cache: a quick 503 with Retry-After, or serving without the cache.

bench/faults.py does the same against the real production stack (PostgreSQL restarted and
Redis stopped under load); these tests pin the behaviour with simulated errors.
"""

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, override_settings
from wagtail.models import Site

from cms import cache as content_cache
from cms.middleware import DatabaseUnavailableMiddleware
from readmodel import outbox

pytestmark = pytest.mark.django_db

URL_VI = "/vi/bai-viet/exosome-va-prp/"


@pytest.fixture
def database_down(monkeypatch):
    """Every site lookup (API and pages) fails as it does while PostgreSQL restarts."""

    def fail(*args, **kwargs):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    outbox.drain()  # what the test made is in the documents, as after its commit
    monkeypatch.setattr(Site, "find_for_request", classmethod(fail))
    monkeypatch.setattr("cms.api.params.site_id_for_request", fail)  # the API's, in its query
    return monkeypatch


def test_api_answers_json_503_with_retry_after_while_the_database_is_down(
    client, article, database_down, caplog
):
    with caplog.at_level(logging.ERROR, logger="cms.middleware"):
        response = client.get(f"/api/v1/pages/{article.pk}/", {"lang": "vi"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("The service is temporarily unavailable")
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert "Database unavailable" in caplog.text


def test_public_page_answers_short_plain_503(client, article, database_down):
    response = client.get(URL_VI)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert len(response.content) < 200
    assert "Retry-After" in response


def test_interface_error_is_a_503_too(client, article, monkeypatch):
    def fail(*args, **kwargs):
        raise InterfaceError("connection already closed")

    outbox.drain()
    monkeypatch.setattr(Site, "find_for_request", classmethod(fail))
    monkeypatch.setattr("cms.api.params.site_id_for_request", fail)
    assert client.get("/api/v1/pages/", {"type": "article"}).status_code == 503


def test_a_503_is_never_cached_and_the_site_recovers_on_the_next_request(
    client, article, database_down
):
    url = f"/api/v1/pages/{article.pk}/"
    assert client.get(url, {"lang": "en"}).status_code == 503
    database_down.undo()
    response = client.get(url, {"lang": "en"})
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    assert client.get(URL_VI).status_code == 200


class RaisingMiddleware:
    """A middleware below the 503 one whose database query fails (Django makes that a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("the database system is shutting down")


def test_database_error_raised_by_a_middleware_is_a_503_not_a_500(settings, article):
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("cms.middleware.DatabaseUnavailableMiddleware") + 1,
        "tests.test_resilience.RaisingMiddleware",
    )
    with override_settings(MIDDLEWARE=middleware):
        client = Client(raise_request_exception=False)
        api = client.get("/api/v1/pages/")
        page = client.get(URL_VI)
    assert api.status_code == 503 and "detail" in api.json()
    assert page.status_code == 503 and "Retry-After" in page


def test_other_errors_are_not_disguised_as_503(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/api/v1/pages/"), ValueError("bug")) is None


# The cache (Redis) down: the site serves without it, and a publish still works.


class BrokenCache:
    """A cache whose every call raises, as a backend without IGNORE_EXCEPTIONS does."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return fail


class IgnoringCache:
    """django-redis with IGNORE_EXCEPTIONS while Redis is down: get → default, add/set → None."""

    def get(self, key, default=None, **kwargs):
        return default

    def get_many(self, keys, **kwargs):
        return {}

    def add(self, *args, **kwargs):
        return None

    def set(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("broken", [BrokenCache, IgnoringCache])
def test_site_and_api_keep_serving_while_the_cache_is_down(
    client, article, monkeypatch, broken, caplog
):
    monkeypatch.setattr(content_cache, "cache", broken())
    assert content_cache.counter() is None
    with caplog.at_level(logging.ERROR, logger="cms.cache"):
        api = client.get(f"/api/v1/pages/{article.pk}/", {"lang": "vi"})
        page = client.get(URL_VI)
    assert api.status_code == 200 and api.json()["title"] == "Exosome và PRP khác nhau thế nào"
    assert page.status_code == 200
    assert "X-Cache" not in api and "X-Cache" not in page  # served without the cache
    if broken is BrokenCache:
        assert "Content cache unavailable" in caplog.text


def test_publish_succeeds_while_the_cache_is_down(client, article, monkeypatch, caplog):
    monkeypatch.setattr(content_cache, "cache", BrokenCache())
    with caplog.at_level(logging.ERROR, logger="cms.cache"):
        article.title_vi = "Xuất bản khi bộ nhớ đệm hỏng"
        revision = article.save_revision()
        revision.publish()
        outbox.drain()  # what the task does after the commit: rebuild, then purge
    article.refresh_from_db()
    assert article.live_revision_id == revision.pk
    assert "could not purge" in caplog.text


def test_cache_failing_on_store_does_not_break_a_request(client, article, monkeypatch, caplog):
    """The lookup works, then the cache fails when the fresh response is stored."""
    from django.core.cache import cache as real_cache

    class FailsOnStore:
        def get(self, key, default=None, **kwargs):
            return real_cache.get(key, default)

        def get_many(self, keys, **kwargs):
            return real_cache.get_many(keys)

        def add(self, *args, **kwargs):
            return real_cache.add(*args, **kwargs)

        def set(self, *args, **kwargs):
            raise ConnectionError("Redis went away")

    monkeypatch.setattr(content_cache, "cache", FailsOnStore())
    with caplog.at_level(logging.ERROR, logger="cms.cache"):
        response = client.get(f"/api/v1/pages/{article.pk}/", {"lang": "en"})
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    assert "could not store" in caplog.text


def test_a_mistake_in_a_query_is_not_disguised_as_an_outage():
    from django.db import OperationalError

    from cms.middleware import is_database_outage

    assert not is_database_outage(OperationalError("no such column: name"))
    assert not is_database_outage(OperationalError("unterminated string"))
    assert not is_database_outage(OperationalError('fts5: syntax error near "x"'))
    assert is_database_outage(OperationalError("database is locked"))
    assert is_database_outage(OperationalError("the database system is shutting down"))
