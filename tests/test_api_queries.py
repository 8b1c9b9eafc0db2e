"""The API's database cost does not grow with blocks, quotes, images or items. Counts are pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from . import factories
from .api_fixtures import make_rich_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    """Count the work of building a response, not of replaying it from the cache."""
    settings.API_CACHE_SECONDS = 0


def count_queries(client, url):
    client.get(url)  # first request creates renditions and warms Wagtail's caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


# Detail and find read the page's stored document (readmodel): one indexed query returns the
# JSON body and its ETag, whatever the page shows; the site of the request's host is a
# subquery of it. Their Cache-Control ends with the document (cms.cache.set_valid_until), so
# nothing else is read. A listing reads the stored list items of the same documents: one query
# returns the slice and its total (a subquery counted from an index), whatever the number or
# the types of the items.
DETAIL_QUERIES = 1
LIST_QUERIES = 1


def test_article_detail_cost_is_pinned_and_flat(
    client, article_index, prp, exosomes, doctors, pictures, clinic
):
    small = make_rich_article(article_index, prp, exosomes, doctors, pictures, "small", repeat=1)
    large = make_rich_article(article_index, prp, exosomes, doctors, pictures, "large", repeat=6)
    small_cost = count_queries(client, f"/api/v1/pages/{small.pk}/?lang=vi")
    large_cost = count_queries(client, f"/api/v1/pages/{large.pk}/?lang=vi")
    assert small_cost == large_cost == DETAIL_QUERIES


def test_find_and_every_language_cost_one_query(
    client, django_assert_num_queries, article_index, prp, exosomes, doctors, pictures, clinic
):
    article = make_rich_article(article_index, prp, exosomes, doctors, pictures, "rich", repeat=2)
    urls = [
        f"/api/v1/pages/{article.pk}/?lang=all",
        "/api/v1/pages/find/?path=/vi/bai-viet/bai-viet-rich/",
        "/api/v1/pages/find/?path=/en/articles/rich/&lang=all",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm-up: the site of the host
        with django_assert_num_queries(1):
            response = client.get(url)
        assert response.status_code == 200 and response["ETag"]


def _list(client, url):
    count = count_queries(client, url)
    return count, client.get(url).json()


def test_list_cost_is_pinned_and_flat(client, therapy_index, article_index):
    for n in range(4):
        factories.make_therapy(therapy_index, f"Therapy {n}", f"t{n}", f"Liệu pháp {n}", f"lp{n}")
        factories.make_article(article_index, f"Article {n}", f"a{n}", f"Bài {n}", f"b{n}")
    few, data = _list(client, "/api/v1/pages/?lang=vi&limit=5")
    assert len(data["items"]) == 5 and data["count"] == 11  # home and two sections too
    for n in range(4, 12):
        factories.make_therapy(therapy_index, f"Therapy {n}", f"t{n}", f"Liệu pháp {n}", f"lp{n}")
        factories.make_article(article_index, f"Article {n}", f"a{n}", f"Bài {n}", f"b{n}")
    more, data = _list(client, "/api/v1/pages/?lang=vi&limit=27&order=-title")
    assert len(data["items"]) == 27 and data["count"] == 27
    titles = [item["title"] for item in data["items"][:3]]
    # by the Vietnamese title, descending: "Liệu pháp 9" after "Trang chủ", before "… 8"
    assert titles == ["Trang chủ", "Liệu pháp 9", "Liệu pháp 8"]
    assert few == more == LIST_QUERIES


def test_list_past_its_end_counts_in_one_more_query(client, therapy_index):
    factories.make_therapy(therapy_index, "Therapy", "t", "Liệu pháp", "lp")
    assert count_queries(client, "/api/v1/pages/?lang=vi&offset=50") == LIST_QUERIES + 1
    assert client.get("/api/v1/pages/?lang=vi&offset=50").json()["count"] == 3


def test_search_list_cost_is_pinned(client, therapy_index):
    for n in range(5):
        factories.make_therapy(therapy_index, f"Therapy {n}", f"t{n}", f"Liệu pháp {n}", f"lp{n}")
    assert count_queries(client, "/api/v1/pages/?search=lieu+phap&lang=vi") == LIST_QUERIES
