"""Error pages: 404 and 500 in the reader's language and the site's layout; JSON under /api/."""

import json
import re
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from therapies.models import ArticlePage

pytestmark = pytest.mark.django_db


def html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_missing_vietnamese_page_is_a_vietnamese_404_in_the_site_layout(client, article):
    response = client.get("/vi/khong-co/")
    html = response.content.decode()
    assert response.status_code == 404
    assert html_lang(html) == "vi" and response["Content-Language"] == "vi"
    assert "<title>Không tìm thấy trang · Phòng khám Thử nghiệm</title>" in html
    assert "Trang bạn tìm không tồn tại hoặc đã được chuyển đi." in html
    assert '<a class="button button--primary" href="/vi/">Về trang chủ</a>' in html
    # The site's own navigation and footer, in Vietnamese.
    assert 'href="/vi/bai-viet/"' in html and 'class="site-header"' in html
    assert 'Đường dây nóng: <a href="tel:0797479222">079 7479 222</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_missing_english_page_is_an_english_404(client, article):
    response = client.get("/en/articles/not-here/")
    html = response.content.decode()
    assert response.status_code == 404 and html_lang(html) == "en"
    assert "<h1>Page not found</h1>" in html
    assert '<a class="button button--primary" href="/en/">Go to the home page</a>' in html
    assert 'href="/en/articles/"' in html and "079 7479 222" in html


def test_api_404_stays_json(client, home):
    response = client.get("/api/v1/pages/987654/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def broken_client():
    return Client(raise_request_exception=False)


def database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def test_500_renders_the_vietnamese_layout_while_the_database_is_down(article, monkeypatch):
    """A bug in a page, with the database gone too: the 500 page still has its layout."""

    def fail(self, request, *args, **kwargs):
        connection.execute_wrappers.append(database_down)  # from here on every query fails
        raise RuntimeError("a bug while the database is down")

    monkeypatch.setattr(ArticlePage, "serve", fail)
    try:
        response = broken_client().get("/vi/bai-viet/exosome-va-prp/")
        assert database_down in connection.execute_wrappers
    finally:
        connection.execute_wrappers[:] = []
    html = response.content.decode()
    assert response.status_code == 500
    assert html_lang(html) == "vi" and response["Content-Language"] == "vi"
    assert "<h1>Đã xảy ra lỗi</h1>" in html
    assert "Bạn cũng có thể gọi cho chúng tôi theo số 079 7479 222." in html
    assert 'Đường dây nóng: <a href="tel:0797479222">079 7479 222</a>' in html
    assert '<a class="brand" href="/vi/">Phòng khám Thử nghiệm</a>' in html
    assert '<a class="button button--primary" href="/vi/">Về trang chủ</a>' in html
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html
    assert response["Cache-Control"] == "no-store"


def test_500_handler_makes_no_query(article, rf, django_assert_num_queries):
    from home.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/en/articles/exosomes-vs-prp/"))
    html = response.content.decode()
    assert response.status_code == 500 and html_lang(html) == "en"
    assert "<h1>Something went wrong</h1>" in html and "079 7479 222" in html
    assert "Test Clinic" in html


def test_500_hotline_comes_from_this_process_when_the_cache_is_down_too(article, rf):
    from home.views import server_error

    with mock.patch("home.contact.cache.get", side_effect=ConnectionError("redis down")):
        html = server_error(rf.get("/vi/")).content.decode()
    assert "079 7479 222" in html


def test_api_500_stays_json(home, rf):
    from home.views import server_error

    response = server_error(rf.get("/api/v1/pages/"))
    assert response.status_code == 500 and json.loads(response.content)["detail"]
