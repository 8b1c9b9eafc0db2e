"""A front end caches API responses and revalidates them cheaply."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_detail_has_caching_headers(client, prp):
    response = client.get(f"/api/v1/pages/{prp.pk}/?lang=vi")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and len(response["ETag"]) > 10
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert response["Content-Language"] == "vi"
    assert "Accept-Language" in response["Vary"]


@override_settings(API_CACHE_CONTROL="public, max-age=5")
def test_cache_control_comes_from_settings(client, prp):
    assert client.get("/api/v1/pages/")["Cache-Control"] == "public, max-age=5"


def test_if_none_match_gets_an_empty_304(client, prp):
    url = f"/api/v1/pages/{prp.pk}/?lang=vi"
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    listing = client.get("/api/v1/pages/?type=therapy")
    assert (
        client.get("/api/v1/pages/?type=therapy", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code
        == 304
    )


def test_etag_changes_with_language_and_republish(client, prp):
    url = f"/api/v1/pages/{prp.pk}/"
    en = client.get(url + "?lang=en")["ETag"]
    vi = client.get(url + "?lang=vi")["ETag"]
    assert en != vi
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="vi")["ETag"] == vi
    prp.summary_vi = "Tóm tắt mới."
    prp.save_revision().publish()
    response = client.get(url + "?lang=vi", HTTP_IF_NONE_MATCH=vi)
    assert response.status_code == 200
    assert response["ETag"] != vi
    assert response.json()["summary"] == "Tóm tắt mới."


def test_cors_only_for_configured_origins(client, prp):
    response = client.get("/api/v1/pages/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    with override_settings(CORS_ALLOWED_ORIGINS=["https://site.example"]):
        response = client.get("/api/v1/pages/", HTTP_ORIGIN="https://site.example")
    assert response["Access-Control-Allow-Origin"] == "https://site.example"


def test_preview_responses_are_never_cached(client, prp):
    from cms.api.preview import make_token

    response = client.get(f"/api/v1/preview/?token={make_token(prp)}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
