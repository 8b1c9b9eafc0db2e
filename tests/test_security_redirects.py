"""No form of this site sends the browser to another site (cms.next_url).

Every ``next``-style parameter is checked with Django's ``url_has_allowed_host_and_scheme``;
an unsafe value falls back to a safe page of this site.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.next_url import next_url

from .editorial_fixtures import *  # noqa: F403 - fixtures
from .security_fixtures import PASSWORD, secret_article

pytestmark = pytest.mark.django_db

UNSAFE = [
    "https://evil.example/phish",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
    "http://testserver@evil.example/",
    "https://testserver.evil.example/",
]


@pytest.mark.parametrize("value", UNSAFE)
def test_unsafe_next_values_fall_back_to_the_default(value):
    for request in (
        RequestFactory().get("/admin/x/", {"next": value}),
        RequestFactory().post("/admin/x/", {"next": value}),
    ):
        assert next_url(request, "/admin/") == "/admin/"


@pytest.mark.parametrize(
    "value", ["/admin/pages/3/", "/vi/lieu-phap/?q=1#top", "http://testserver/en/"]
)
def test_addresses_on_this_site_are_kept(value):
    assert next_url(RequestFactory().get("/admin/x/", {"next": value}), "/admin/") == value


def test_an_https_page_does_not_send_the_browser_to_plain_http():
    request = RequestFactory().get("/x/", {"next": "http://testserver/en/"}, secure=True)
    assert next_url(request, "/") == "/"


def _flagged_draft(article):
    article.lead_vi = "Trẻ hóa vĩnh viễn chỉ sau một lần tiêm."
    with translation.override("en"):
        article.save_revision()
    return article


def bulk_publish(client, page, next_value):
    """Wagtail's bulk publish of ``page``, coming back to ``next_value`` (in the query string)."""
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    return client.post(f"{url}?{urlencode({'id': page.pk, 'next': next_value})}")


@pytest.mark.parametrize("value", UNSAFE)
def test_refused_bulk_publish_does_not_redirect_to_another_site(publisher_client, article, value):
    _flagged_draft(article)
    response = bulk_publish(publisher_client, article, value)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_refused_bulk_publish_goes_back_to_the_listing_it_came_from(publisher_client, article):
    _flagged_draft(article)
    listing = reverse("wagtailadmin_explore", args=(article.get_parent().pk,))
    response = bulk_publish(publisher_client, article, listing)
    assert response.status_code == 302 and response["Location"] == listing
    page = publisher_client.get(listing)
    assert "Nothing was published: these pages contain red-flag claims" in page.content.decode()
    article.refresh_from_db()
    assert article.lead_vi != "Trẻ hóa vĩnh viễn chỉ sau một lần tiêm."


@pytest.fixture
def private_page(article_index):
    page = secret_article(article_index, "members")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return page, restriction


@pytest.mark.parametrize("value", UNSAFE)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_page_password_form_returns_to_the_page_not_another_site(private_page, value, lang):
    page, restriction = private_page
    url = f"/{lang}/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    response = Client().post(url, {"password": PASSWORD, "return_url": value})
    assert response.status_code == 302
    with translation.override(lang):
        assert response["Location"] == page.get_url()


def test_page_password_form_keeps_a_return_url_on_this_site(private_page):
    page, restriction = private_page
    url = f"/vi/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    response = Client().post(url, {"password": PASSWORD, "return_url": "/vi/bai-viet/"})
    assert response.status_code == 302 and response["Location"] == "/vi/bai-viet/"


@pytest.mark.parametrize("value", UNSAFE)
def test_document_password_form_does_not_redirect_to_another_site(value):
    staff = Collection.get_first_root_node().add_child(name="Staff only")
    restriction = CollectionViewRestriction.objects.create(
        collection=staff, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    response = Client().post(url, {"password": PASSWORD, "return_url": value})
    assert response.status_code == 302 and response["Location"] == "/"
