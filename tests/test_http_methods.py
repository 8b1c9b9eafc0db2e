"""HEAD is answered like GET without a body; the read-only API refuses other methods in JSON.

Through the real WSGI entry point (``cms.wsgi``'s ``ContentCacheApp`` around Django), as
granian or gunicorn call it: the test client would drop a HEAD's body itself.
"""

import pytest

from .test_wsgi_cache import URL_VI, app, call  # noqa: F401  (app is a fixture)

pytestmark = pytest.mark.django_db


def head(app, path, query="", **extra):  # noqa: F811
    return call(app, path, query, REQUEST_METHOD="HEAD", **extra)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (None, "lang=vi"),
        ("/api/v1/pages/", "type=article"),
        (URL_VI, ""),
        ("/api/v1/openapi.json", ""),
    ],
)
def test_head_has_the_status_and_headers_of_get_and_no_body(app, article, path, query):  # noqa: F811
    path = path or f"/api/v1/pages/{article.pk}/"
    status, headers, body = head(app, path, query)  # first: built by Django, not from the cache
    get_status, get_headers, get_body = call(app, path, query)
    assert status == get_status == 200
    assert body == b"" and get_body
    assert int(headers["content-length"]) == len(get_body)
    assert headers["content-type"] == get_headers["content-type"]
    assert headers.get("etag") == get_headers.get("etag")


def test_a_head_is_answered_from_the_cache_and_never_fills_it(app, article):  # noqa: F811
    path, query = f"/api/v1/pages/{article.pk}/", "lang=vi"
    assert head(app, path, query)[1].get("x-cache") != "hit"
    status, headers, body = call(app, path, query)
    assert headers["x-cache"] == "miss"  # the HEAD stored nothing (it had no body to store)
    assert "Exosome và PRP khác nhau thế nào" in body.decode()
    calls = app.django.calls
    status, hit_headers, hit_body = head(app, path, query)
    assert status == 200 and hit_headers["x-cache"] == "hit" and hit_body == b""
    assert int(hit_headers["content-length"]) == len(body)
    assert app.django.calls == calls  # answered before Django


def test_head_of_a_draft_or_bad_input_is_the_same_error_as_get(client, article, article_index):
    from . import factories

    draft = factories.make_article(article_index, "Draft only", "draft-only", publish=False)
    assert client.head(f"/api/v1/pages/{draft.pk}/").status_code == 404
    assert client.head(f"/api/v1/pages/{article.pk}/", {"lang": "xx"}).status_code == 400
    assert client.head("/vi/bai-viet/draft-only/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_on_the_api_are_a_json_405(client, article, method):
    url = f"/api/v1/pages/{article.pk}/"
    response = getattr(client, method)(url, content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"].startswith("application/json")
    assert "read-only" in response.json()["detail"]
