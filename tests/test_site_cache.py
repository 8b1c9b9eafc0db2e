"""Public pages are cached for anonymous readers and the next request after a change is fresh."""

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db

URL_VI = "/vi/bai-viet/exosome-va-prp/"
URL_EN = "/en/articles/exosomes-vs-prp/"


def get(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_second_anonymous_request_is_served_from_cache(client, article):
    first, _ = get(client, URL_VI)
    second, html = get(client, URL_VI)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Exosome và PRP khác nhau thế nào" in html
    assert second["Content-Language"] == "vi"


def test_publish_is_visible_on_the_next_request_in_both_languages(client, article):
    get(client, URL_VI), get(client, URL_EN)
    article.title_vi = "Tiêu đề mới đã xuất bản"
    article.title_en = "A newly published title"
    article.save_revision().publish()
    assert "Tiêu đề mới đã xuất bản" in get(client, URL_VI)[1]
    assert "A newly published title" in get(client, URL_EN)[1]
    # Pages that list it (the section, the home page) change too.
    assert "Tiêu đề mới đã xuất bản" in get(client, "/vi/bai-viet/")[1]


def test_unpublish_and_delete_remove_the_page_at_once(client, article, article_index):
    get(client, URL_VI)
    article.unpublish()
    assert client.get(URL_VI).status_code == 404
    article.save_revision().publish()
    assert client.get(URL_VI).status_code == 200
    article.delete()
    assert client.get(URL_VI).status_code == 404


def test_making_a_page_private_removes_it_from_the_cache(client, article):
    get(client, URL_VI)
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="s3cret")
    response, html = get(client, URL_VI)
    assert "Túi ngoại bào từ người hiến" not in html
    assert response.get("X-Page-Cache") != "hit"


def test_editors_with_a_session_are_never_served_cached_pages(admin_client, client, article):
    get(client, URL_VI)
    response = admin_client.get(URL_VI)
    assert "X-Page-Cache" not in response
    assert "wagtail-userbar" in response.content.decode()


def test_drafts_do_not_change_the_cached_live_page(client, article):
    get(client, URL_VI)
    article.title_vi = "Bản nháp chưa xuất bản"
    article.save_revision()
    assert "Bản nháp chưa xuất bản" not in get(client, URL_VI)[1]
