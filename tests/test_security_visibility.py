"""A reader (or a crawler) never sees drafts, unpublished, scheduled, expired or private pages.

Checked on the public site in both languages, on the listing pages that link to articles,
and in the sitemap. The site has no public search view: that is checked too, so adding one
later means adding it to these tests. The content API has its own module
(``test_security_api_visibility.py``).
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from . import security_fixtures
from .security_fixtures import (
    HIDDEN_KINDS,
    PASSWORD,
    assert_no_secret,
    public_paths,
)

hidden_pages = security_fixtures.hidden_pages  # the fixture, shared by both modules

pytestmark = pytest.mark.django_db


def _body(response):
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("kind", ["draft", "unpublished", "scheduled", "expired"])
def test_unpublished_kinds_are_a_404_in_both_languages(client, hidden_pages, kind):
    for path in public_paths(hidden_pages[kind]):
        response = client.get(path)
        assert response.status_code == 404, (kind, path, response.status_code)
        assert_no_secret(_body(response), f"{kind} page at {path}")


def test_password_page_shows_only_the_password_form(client, hidden_pages):
    for path in public_paths(hidden_pages["password"]):
        response = client.get(path)
        assert response.status_code == 200, path
        html = _body(response)
        assert 'type="password"' in html and "authenticate_with_password" in html
        assert_no_secret(html, f"password form at {path}")


def test_password_page_opens_with_the_right_password_only(client, hidden_pages):
    page = hidden_pages["password"]
    path = public_paths(page)[0]
    form_url = reverse(
        "wagtailcore_authenticate_with_password", args=[page.view_restrictions.get().pk, page.pk]
    )
    wrong = client.post(form_url, {"password": "guess", "return_url": path})
    assert "SECRET" not in _body(wrong)
    assert "SECRET" not in _body(client.get(path))
    right = client.post(form_url, {"password": PASSWORD, "return_url": path})
    assert right.status_code == 302
    assert "SECRET body" in _body(client.get(path))


@pytest.mark.parametrize("kind", ["login", "private_section"])
def test_login_restricted_pages_redirect_to_a_login_anonymous_readers(client, hidden_pages, kind):
    for path in public_paths(hidden_pages[kind]):
        response = client.get(path)
        assert response.status_code == 302, (kind, path, response.status_code)
        assert "login" in response["Location"]
        assert "next=" in response["Location"]
        assert_no_secret(_body(response), f"{kind} page at {path}")


def test_newer_draft_of_a_live_page_is_not_served(client, hidden_pages):
    for path in ("/en/articles/exosomes-vs-prp/", "/vi/bai-viet/exosome-va-prp/"):
        html = _body(client.get(path))
        assert_no_secret(html, path)
    assert "<h1>Exosomes vs PRP</h1>" in _body(client.get("/en/articles/exosomes-vs-prp/"))


@pytest.mark.parametrize(
    "path", ["/en/", "/vi/", "/en/articles/", "/vi/bai-viet/", "/en/therapies/", "/vi/lieu-phap/"]
)
def test_listings_and_menus_do_not_name_hidden_pages(client, hidden_pages, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_no_secret(_body(response), path)


def test_public_article_links_to_no_hidden_page(client, hidden_pages):
    html = _body(client.get("/vi/bai-viet/exosome-va-prp/"))
    hidden_slugs = {path for kind in HIDDEN_KINDS for path in public_paths(hidden_pages[kind])}
    linked = set(re.findall(r'href="([^"]+)"', html))
    assert not linked & hidden_slugs


def test_sitemap_lists_public_pages_only(client, hidden_pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = _body(response)
    assert "exosomes-vs-prp" in xml  # the sitemap does list the public article
    assert "secret-" not in xml and "bi-mat-" not in xml
    assert_no_secret(xml, "sitemap.xml")


def test_expired_page_is_hidden_even_before_the_scheduler_runs(client, article_index):
    """An expiry date in the past hides the page from the moment it passes.

    Wagtail unpublishes expired pages only when ``publish_scheduled`` runs; until then the
    page is still ``live``. The public site must not rely on a cron job for this.
    """
    from datetime import timedelta

    from django.utils import timezone

    from .security_fixtures import secret_article

    page = secret_article(article_index, "expiring")
    page.expire_at = timezone.now() - timedelta(minutes=1)
    with translation.override("en"):
        page.save_revision().publish()
    page.refresh_from_db()
    assert page.live  # Wagtail itself still calls it live: our checks must not rely on that
    for path in public_paths(page):
        assert client.get(path).status_code == 404
    assert "expiring" not in client.get("/sitemap.xml").content.decode()
    assert page.title_en not in client.get("/en/articles/").content.decode()


def test_no_public_search_view_is_mounted(client, hidden_pages):
    for name in ("wagtailsearch_search", "search"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
    for path in ("/search/?q=SECRET", "/en/search/?q=SECRET", "/vi/tim-kiem/?q=BÍ+MẬT"):
        response = client.get(path, follow=True)
        assert response.status_code == 404, path
        assert_no_secret(_body(response), path)


def test_page_read_once_then_made_private_or_unpublished_is_not_replayed_from_cache(
    client, article_index, clinic
):
    """Public pages are cached for anonymous readers: a privacy change or unpublish ends that."""
    from wagtail.models import PageViewRestriction

    from .security_fixtures import secret_article

    private = secret_article(article_index, "made-private")
    gone = secret_article(article_index, "made-unpublished")
    for page in (private, gone):
        for path in public_paths(page):
            assert client.get(path).status_code == 200
            assert client.get(path)["X-Cache"] == "hit", path  # really served from the cache

    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    gone.unpublish()
    for path in public_paths(private):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"], path
    for path in public_paths(gone):
        assert client.get(path).status_code == 404, path
    for path in ("/en/articles/", "/vi/bai-viet/", "/sitemap.xml"):
        assert_no_secret(_body(client.get(path)), path)
