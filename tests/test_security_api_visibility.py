"""The content API shows only live, public pages: list, detail, find, search and lang=all agree.

Drafts, unpublished, scheduled, expired and private pages (password, login, and the
children of a private page) never appear, in any language. A draft is reachable only
through a valid preview token; a tampered, foreign or expired token is a 4xx.
"""

import json
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone, translation

from cms.api.preview import SALT, make_token

from . import security_fixtures
from .security_fixtures import (
    HIDDEN_KINDS,
    assert_no_secret,
    public_paths,
    secret_article,
)

hidden_pages = security_fixtures.hidden_pages  # the fixture, shared by both modules

pytestmark = pytest.mark.django_db


def _text(response):
    return response.content.decode()


def _ids(response):
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_list_has_only_public_pages(client, hidden_pages, lang):
    response = client.get(f"/api/v1/pages/?lang={lang}&limit=100")
    assert response.status_code == 200
    hidden_ids = {hidden_pages[kind].pk for kind in HIDDEN_KINDS}
    assert hidden_pages["live_with_draft"].pk in _ids(response)
    assert not _ids(response) & hidden_ids
    assert_no_secret(_text(response), f"list ?lang={lang}")


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_detail_of_hidden_page_is_a_json_404_in_every_language(client, hidden_pages, kind):
    page = hidden_pages[kind]
    for lang in ("en", "vi", "all"):
        response = client.get(f"/api/v1/pages/{page.pk}/?lang={lang}")
        assert response.status_code == 404, (kind, lang, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        assert_no_secret(_text(response), f"detail of {kind} ?lang={lang}")


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_find_by_public_path_does_not_find_hidden_pages(client, hidden_pages, kind):
    for path in public_paths(hidden_pages[kind]):
        for lang in ("", "&lang=all"):
            response = client.get(f"/api/v1/pages/find/?path={path}{lang}")
            assert response.status_code == 404, (kind, path, response.status_code)
            assert_no_secret(_text(response), f"find {path}{lang}")


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("words", ["SECRET", "BÍ MẬT", "bi mat", "secret body"])
def test_search_finds_no_hidden_page_nor_a_newer_draft(client, hidden_pages, lang, words):
    response = client.get("/api/v1/pages/", {"search": words, "lang": lang})
    assert response.status_code == 200
    assert response.json()["count"] == 0, response.json()
    assert_no_secret(_text(response), f"search {words!r} ?lang={lang}")


def test_children_of_a_public_index_skip_hidden_pages(client, hidden_pages, article_index):
    response = client.get(f"/api/v1/pages/?child_of={article_index.pk}&lang=vi")
    assert _ids(response) == {hidden_pages["live_with_draft"].pk}


def test_child_of_a_private_page_is_a_404(client, hidden_pages):
    response = client.get(f"/api/v1/pages/?child_of={hidden_pages['login'].pk}")
    assert response.status_code == 404


def test_live_page_is_served_from_its_published_revision_in_all_languages(client, hidden_pages):
    page = hidden_pages["live_with_draft"]
    response = client.get(f"/api/v1/pages/{page.pk}/?lang=all")
    assert response.status_code == 200
    data = response.json()
    assert data["languages"]["en"]["title"] == "Exosomes vs PRP"
    assert data["languages"]["vi"]["title"] == "Exosome và PRP khác nhau thế nào"
    assert_no_secret(_text(response), "lang=all of a live page with a draft")
    found = client.get("/api/v1/pages/find/?path=/vi/bai-viet/exosome-va-prp/&lang=all")
    assert found.status_code == 200
    assert_no_secret(_text(found), "find lang=all of a live page with a draft")


def test_page_read_once_then_made_private_or_unpublished_disappears(client, article_index):
    """Whatever the API caches, a restriction or an unpublish hides the page at once."""
    from wagtail.models import PageViewRestriction

    private = secret_article(article_index, "made-private")
    gone = secret_article(article_index, "made-unpublished")
    for page in (private, gone):
        assert client.get(f"/api/v1/pages/{page.pk}/?lang=vi").status_code == 200
    assert {private.pk, gone.pk} <= _ids(client.get("/api/v1/pages/?search=SECRET"))

    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    gone.unpublish()
    for page in (private, gone):
        for lang in ("en", "vi", "all"):
            assert client.get(f"/api/v1/pages/{page.pk}/?lang={lang}").status_code == 404
    assert not {private.pk, gone.pk} & _ids(client.get("/api/v1/pages/?search=SECRET"))
    assert not {private.pk, gone.pk} & _ids(client.get("/api/v1/pages/?limit=100"))


def test_page_whose_expiry_passed_is_hidden_before_the_scheduler_runs(client, article_index):
    page = secret_article(article_index, "expiring")
    page.expire_at = timezone.now() - timedelta(minutes=1)
    with translation.override("en"):
        page.save_revision().publish()
    assert client.get(f"/api/v1/pages/{page.pk}/").status_code == 404
    assert page.pk not in _ids(client.get("/api/v1/pages/?limit=100"))


# Preview tokens -------------------------------------------------------------------------


def test_valid_preview_token_shows_the_draft(client, hidden_pages):
    page = hidden_pages["draft"]
    response = client.get("/api/v1/preview/", {"token": make_token(page), "lang": "vi"})
    assert response.status_code == 200
    assert response.json()["title"] == "BÍ MẬT draft"
    assert response["Cache-Control"] == "private, no-store"


def test_tampered_preview_token_is_refused(client, hidden_pages):
    token = make_token(hidden_pages["draft"])
    payload, _, rest = token.partition(":")
    forged_payload = signing.b64_encode(
        json.dumps({"page": hidden_pages["login"].pk}, separators=(",", ":")).encode()
    ).decode()
    candidates = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # broken signature
        f"{forged_payload}:{rest}",  # another page id with the old signature
        signing.TimestampSigner(salt="another-salt").sign_object(
            {"page": hidden_pages["draft"].pk}
        ),
        signing.TimestampSigner(salt=SALT, key="not-the-secret-key").sign_object(
            {"page": hidden_pages["draft"].pk}
        ),
        "",
        "x" * 400,
    ]
    for candidate in candidates:
        response = client.get("/api/v1/preview/", {"token": candidate})
        assert 400 <= response.status_code < 500, (candidate, response.status_code)
        assert_no_secret(_text(response), f"preview with token {candidate[:30]}…")


def test_expired_preview_token_is_refused(client, hidden_pages, settings):
    token = make_token(hidden_pages["draft"])
    settings.HEADLESS_PREVIEW_TOKEN_MAX_AGE = -1
    response = client.get("/api/v1/preview/", {"token": token})
    assert response.status_code == 403
    assert "expired" in response.json()["detail"]
    assert_no_secret(_text(response), "expired preview token")


def test_preview_token_for_one_page_does_not_open_another(client, hidden_pages):
    token = make_token(hidden_pages["draft"])
    response = client.get("/api/v1/preview/", {"token": token, "id": hidden_pages["login"].pk})
    assert response.status_code == 200
    assert response.json()["id"] == hidden_pages["draft"].pk
