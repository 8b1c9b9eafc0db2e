"""The WSGI layer in front of Django (``cms.wsgi``) answers content-cache hits without Django.

Requests here go through the real WSGI entry point (``ContentCacheApp`` around
Django's WSGI handler), as granian or gunicorn call it, with a counter around
Django so a test can tell a hit answered before Django from one that reached it.
"""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cms.middleware import ContentCacheApp
from readmodel import outbox

pytestmark = pytest.mark.django_db

URL_VI = "/vi/bai-viet/exosome-va-prp/"


class CountingDjango:
    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        # As Django's test client does: the test's connection (and its transaction) must
        # survive the request, so it is not closed at request start and end.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return list(self.handler(environ, start_response))
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def app():
    django = CountingDjango()
    wsgi = ContentCacheApp(django)
    wsgi.django = django
    return wsgi


def call(app, path, query="", host="testserver", **extra):
    # What the test changed is in the documents (and purged) before the request arrives, as
    # the drain task does after a commit: the outbox fixture drains only once Django runs.
    outbox.drain()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        **extra,
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = {name.lower(): value for name, value in headers}

    body = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], body


def test_a_hit_is_answered_before_django_with_the_same_body_and_headers(app, article):
    status, first_headers, first_body = call(app, URL_VI)
    assert status == 200 and first_headers["x-cache"] == "miss"
    assert app.django.calls == 1

    status, headers, body = call(app, URL_VI)
    assert status == 200 and headers["x-cache"] == "hit"
    assert app.django.calls == 1  # Django never saw the second request
    assert body == first_body and "Exosome và PRP khác nhau thế nào" in body.decode()
    assert headers["content-length"] == str(len(body))
    # The headers the whole stack added are stored with the body, security headers included.
    for name in (
        "content-type",
        "content-language",
        "x-content-type-options",
        "referrer-policy",
        "content-security-policy",
        "x-frame-options",
    ):
        assert headers[name] == first_headers[name], name


def test_api_hit_and_304_before_django(app, article):
    path, query = f"/api/v1/pages/{article.pk}/", "lang=vi"
    status, first, body = call(app, path, query)
    assert status == 200 and first["x-cache"] == "miss"
    status, headers, cached = call(app, path, query)
    assert status == 200 and headers["x-cache"] == "hit" and cached == body
    assert headers["etag"] == first["etag"] and headers["content-language"] == "vi"

    status, headers, empty = call(app, path, query, HTTP_IF_NONE_MATCH=first["etag"])
    assert status == 304 and empty == b"" and headers["etag"] == first["etag"]
    assert app.django.calls == 1


def test_the_next_request_after_a_publish_is_fresh_in_both_languages(app, article):
    url_en = "/en/articles/exosomes-vs-prp/"
    api, query = f"/api/v1/pages/{article.pk}/", "lang=vi"
    for path, q in ((URL_VI, ""), (url_en, ""), (api, query)):
        call(app, path, q), call(app, path, q)
    article.title_vi = "Tiêu đề mới sau khi xuất bản"
    article.title_en = "A title published just now"
    article.save_revision().publish()
    status, headers, body = call(app, URL_VI)
    assert headers["x-cache"] == "miss" and "Tiêu đề mới sau khi xuất bản" in body.decode()
    assert "A title published just now" in call(app, url_en)[2].decode()
    assert '"title":"Tiêu đề mới sau khi xuất bản"' in call(app, api, query)[2].decode()


def test_a_page_made_private_is_not_answered_from_the_cache(app, article):
    from wagtail.models import PageViewRestriction

    call(app, URL_VI), call(app, URL_VI)
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="s3cret")
    status, headers, body = call(app, URL_VI)
    assert headers.get("x-cache") != "hit"
    assert "Exosome và PRP khác nhau thế nào" not in body.decode()


def test_hosts_are_kept_apart_and_a_refused_host_is_never_answered(app, article, settings):
    call(app, URL_VI), call(app, URL_VI)
    settings.ALLOWED_HOSTS = ["testserver"]
    status, headers, _ = call(app, URL_VI, host="evil.example")
    assert status == 400 and "x-cache" not in headers
    assert app.django.calls == 2


def test_https_and_plain_http_are_kept_apart(app, article):
    call(app, URL_VI), call(app, URL_VI)
    status, headers, _ = call(app, URL_VI, **{"wsgi.url_scheme": "https"})
    assert headers["x-cache"] == "miss"
    status, headers, _ = call(app, URL_VI, HTTP_X_FORWARDED_PROTO="https")
    assert headers["x-cache"] == "miss"
    assert app.django.calls == 3


def test_editors_with_a_session_cookie_always_reach_django(app, article):
    call(app, URL_VI), call(app, URL_VI)
    status, headers, _ = call(app, URL_VI, HTTP_COOKIE="sessionid=abc123")
    assert "x-cache" not in headers and app.django.calls == 2


def test_cors_headers_follow_the_origin_of_each_request(app, article, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example"]
    path, query = f"/api/v1/pages/{article.pk}/", "lang=en"
    call(app, path, query)  # no Origin: stored without CORS headers
    status, headers, _ = call(app, path, query, HTTP_ORIGIN="https://partner.example")
    assert headers["access-control-allow-origin"] == "https://partner.example"
    status, headers, _ = call(app, path, query, HTTP_ORIGIN="https://partner.example")
    assert headers["x-cache"] == "hit"
    assert headers["access-control-allow-origin"] == "https://partner.example"
    status, headers, _ = call(app, path, query, HTTP_ORIGIN="https://other.example")
    assert "access-control-allow-origin" not in headers


def test_accept_language_negotiates_before_the_cache(app, article):
    path = f"/api/v1/pages/{article.pk}/"
    vi = call(app, path, HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9")
    en = call(app, path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8")
    vi_again = call(app, path, HTTP_ACCEPT_LANGUAGE="vi")
    assert vi[1]["content-language"] == "vi" and en[1]["content-language"] == "en"
    assert vi_again[1]["x-cache"] == "hit" and vi_again[2] == vi[2]


def test_the_entry_point_is_the_cache_layer_around_django():
    import cms.wsgi

    assert isinstance(cms.wsgi.application, ContentCacheApp)
    assert isinstance(cms.wsgi.application.application, WSGIHandler)


def test_a_hit_answered_before_django_is_gzipped_as_django_would(app, article):
    import gzip

    status, first, plain = call(app, URL_VI)
    status, headers, body = call(app, URL_VI, HTTP_ACCEPT_ENCODING="gzip")
    assert status == 200 and headers["x-cache"] == "hit" and app.django.calls == 1
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in headers["vary"]
    assert int(headers["content-length"]) == len(body) and gzip.decompress(body) == plain
    assert headers["etag"] == f"W/{first['etag']}"


def test_a_hit_answers_if_modified_since_with_304(app, article):
    _status, first, _body = call(app, URL_VI)
    status, headers, body = call(app, URL_VI, HTTP_IF_MODIFIED_SINCE=first["last-modified"])
    assert status == 304 and body == b"" and app.django.calls == 1
    assert headers["last-modified"] == first["last-modified"]
