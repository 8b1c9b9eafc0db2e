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
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
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
    assert response.get("X-Cache") != "hit"


def test_editors_with_a_session_are_never_served_cached_pages(admin_client, client, article):
    get(client, URL_VI)
    response = admin_client.get(URL_VI)
    assert "X-Cache" not in response
    assert "wagtail-userbar" in response.content.decode()


def test_drafts_do_not_change_the_cached_live_page(client, article):
    get(client, URL_VI)
    article.title_vi = "Bản nháp chưa xuất bản"
    article.save_revision()
    assert "Bản nháp chưa xuất bản" not in get(client, URL_VI)[1]


def api_detail(client, page, **headers):
    return client.get(f"/api/v1/pages/{page.pk}/", {"lang": "vi"}, **headers)


def test_api_reads_are_cached_and_fresh_after_publish(client, article):
    first = api_detail(client, article)
    second = api_detail(client, article)
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert second.json()["title"] == "Exosome và PRP khác nhau thế nào"
    assert second["ETag"] == first["ETag"] and second["Content-Language"] == "vi"

    article.title_vi = "Tiêu đề API mới"
    article.save_revision().publish()
    fresh = api_detail(client, article)
    assert fresh.json()["title"] == "Tiêu đề API mới"
    assert fresh["ETag"] != first["ETag"]


def test_api_cache_hit_answers_if_none_match_with_304(client, article):
    etag = api_detail(client, article)["ETag"]
    response = api_detail(client, article, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag


def test_api_cache_keeps_languages_apart_by_accept_language(client, article):
    url = f"/api/v1/pages/{article.pk}/"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9").json()["lang"] == "vi"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US")
    assert english.json()["lang"] == "en" and english["Content-Language"] == "en"


def test_api_unpublished_page_is_gone_at_once(client, article):
    assert api_detail(client, article).status_code == 200
    article.unpublish()
    response = api_detail(client, article)
    assert response.status_code == 404 and "detail" in response.json()


def test_a_moved_page_is_at_its_new_address_on_the_next_request_in_both_languages(
    client, article, home
):
    from therapies.models import ArticleIndexPage

    from . import factories

    guides = factories.publish_child(
        home, factories._page(ArticleIndexPage, "Guides", "guides", "Hướng dẫn", "huong-dan")
    )
    old_en = "/en/articles/exosomes-vs-prp/"
    for url in (URL_VI, old_en):
        get(client, url), get(client, url)
    api_before = api_detail(client, article)
    assert api_detail(client, article)["X-Cache"] == "hit"

    article.move(guides, pos="last-child")

    # The old addresses are not served from the cache: they redirect, in both languages.
    old_vi = client.get(URL_VI)
    assert old_vi.status_code == 301 and old_vi["Location"] == "/vi/huong-dan/exosome-va-prp/"
    old = client.get(old_en)
    assert old.status_code == 301 and old["Location"] == "/en/guides/exosomes-vs-prp/"
    moved_vi, html_vi = get(client, "/vi/huong-dan/exosome-va-prp/")
    moved_en, html_en = get(client, "/en/guides/exosomes-vs-prp/")
    assert moved_vi.status_code == moved_en.status_code == 200
    assert "Exosome và PRP khác nhau thế nào" in html_vi and "Exosomes vs PRP" in html_en
    api_after = api_detail(client, article)
    assert api_after.get("X-Cache") != "hit"
    assert api_after.json()["url"].endswith("/vi/huong-dan/exosome-va-prp/")
    assert api_after.json()["url"] != api_before.json()["url"]
