"""The content cache on Redis, as production runs it: one round trip per hit, same purges.

On Redis a hit's counter, entry and tag check are one server-side script (``cms.cache``);
these tests run the site against a real Redis (database 15 on 127.0.0.1:6379) and check
what a reader sees, and how many commands a hit costs. Each test has a key prefix of its own
and deletes only its keys: the suites of CI run side by side on one Redis.
"""

import logging
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import cache as content_cache
from cms import middleware

from .test_site_cache import URL_VI

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/15"


def redis_cache(location=REDIS, **options):
    """django-redis as production configures it, under a key prefix no other test uses."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                **options,
            },
        }
    }


@pytest.fixture
def on_redis(settings):
    settings.CACHES = redis_cache()
    yield
    cache.delete_pattern("*")  # this test's keys only (the prefix applies)


@pytest.fixture
def commands(monkeypatch):
    """The Redis commands sent while the test runs, as "NAME key" (a pipeline: "PIPELINE")."""
    sent = []
    original = redis.Redis.execute_command

    def counting(self, *args, **kwargs):
        name = str(args[0]).upper()
        key = args[1] if len(args) > 1 and name != "EVALSHA" else ""
        key = key.decode() if isinstance(key, bytes) else str(key)
        sent.append(f"{name} {key}".strip())
        return original(self, *args, **kwargs)

    original_pipeline = redis.client.Pipeline.execute

    def counting_pipeline(self, *args, **kwargs):
        sent.append("PIPELINE")
        return original_pipeline(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    monkeypatch.setattr(redis.client.Pipeline, "execute", counting_pipeline)
    return sent


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:200])
    return response


def test_a_hit_is_one_redis_command_and_no_query(on_redis, client, article, commands):
    url = f"/api/v1/pages/{article.pk}/?lang=vi"
    assert get(client, url)["X-Cache"] == "miss"
    commands.clear()
    with CaptureQueriesContext(connection) as queries:
        hit = get(client, url)
    assert hit["X-Cache"] == "hit"
    assert hit.json()["title"] == "Exosome và PRP khác nhau thế nào"
    assert commands == ["EVALSHA"], commands  # the counter, the entry and its tags
    assert len(queries) == 0


def test_a_public_page_is_stored_in_one_round_trip(on_redis, client, article, commands):
    """The miss path: the lookup, then the entry and any new tag keys in one pipeline."""
    commands.clear()
    page = get(client, URL_VI)
    assert page["X-Cache"] == "miss" and "Exosome và PRP" in page.content.decode()
    after_lookup = commands[commands.index("EVALSHA") + 1 :]
    writes = [c for c in after_lookup if c == "PIPELINE" or c.startswith("SET :1:cms:")]
    assert writes == ["PIPELINE"], commands
    assert get(client, URL_VI)["X-Cache"] == "hit"


def test_publishing_purges_that_page_only_on_redis(on_redis, client, article, prp, exosomes):
    prp_url = f"/api/v1/pages/{prp.pk}/?lang=vi"
    other = f"/api/v1/pages/{exosomes.pk}/?lang=vi"
    for url in (prp_url, other, URL_VI):
        get(client, url)
        assert get(client, url)["X-Cache"] == "hit"
    prp.summary_vi = "Tóm tắt mới về huyết tương giàu tiểu cầu."
    prp.save_revision().publish()
    fresh = get(client, prp_url)
    assert fresh["X-Cache"] == "miss"
    assert fresh.json()["summary"] == "Tóm tắt mới về huyết tương giàu tiểu cầu."
    assert get(client, prp_url)["X-Cache"] == "hit"
    assert get(client, other)["X-Cache"] == "hit"


def test_an_evicted_tag_counts_as_purged(on_redis, client, prp):
    url = f"/api/v1/pages/{prp.pk}/?lang=en"
    get(client, url)
    assert get(client, url)["X-Cache"] == "hit"
    cache.delete(content_cache.TAG_PREFIX + content_cache.page_tag(prp.pk))
    assert get(client, url)["X-Cache"] == "miss"


def test_a_response_read_before_a_purge_never_outlives_it(on_redis, client, prp):
    """The counter is read first; a purge between that read and the store retires the entry."""
    url = f"/api/v1/pages/{prp.pk}/?lang=en"
    key, timeout = middleware.cache_key(client.get(url).wsgi_request.META)
    cache.delete_pattern("*")
    since, entry = content_cache.read(key)
    assert since is not None and entry is None
    tags = [content_cache.page_tag(prp.pk), content_cache.SITE]
    content_cache.purge({content_cache.page_tag(prp.pk)})  # a publish commits meanwhile
    content_cache.store(key, (since, 200, [], b"{}", None, tags), timeout)
    assert content_cache.read(key)[1] is None
    # Stored with the counter read after the purge, it is a hit.
    later, _ = content_cache.read(key)
    content_cache.store(key, (later, 200, [], b"{}", None, tags), timeout)
    assert content_cache.read(key)[1] == (later, 200, [], b"{}", None, tags)


def test_a_flushed_script_is_loaded_again(on_redis, client, prp):
    url = f"/api/v1/pages/{prp.pk}/?lang=vi"
    get(client, url)
    redis.Redis.from_url(REDIS).script_flush()
    assert get(client, url)["X-Cache"] == "hit"


def test_with_redis_unreachable_the_site_serves_without_the_cache(
    settings, client, article, caplog
):
    closed = redis.Redis.from_url(REDIS).connection_pool.connection_kwargs["port"] + 1
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed}/0", SOCKET_CONNECT_TIMEOUT=0.2)
    with caplog.at_level(logging.ERROR, logger="cms.cache"):
        api = client.get(f"/api/v1/pages/{article.pk}/", {"lang": "vi"})
        page = client.get(URL_VI)
    assert api.status_code == 200 and api.json()["title"] == "Exosome và PRP khác nhau thế nào"
    assert page.status_code == 200 and "Exosome và PRP" in page.content.decode()
    assert "X-Cache" not in api and "X-Cache" not in page
    assert "Content cache unavailable" in caplog.text
