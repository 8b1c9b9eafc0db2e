"""A list ends with what it shows, read with its rows (``readmodel.reads._list_end``).

Its ``Cache-Control`` and its cached entry end at the next go-live or expiry of a page of
its own scope (site, language, type, parent) and at its parent's expiry; a page going live
or expiring elsewhere on the site, or an item's detail falling due, leaves it as it is.
No purge counter and no site-wide next change are read for it. The module's documents and
totals are compared with a fresh build after each test (``tests/readmodel_fixtures.py``).
"""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import Page

from cms import clock
from editorial.review import record_review
from readmodel.models import PageDocument

from . import factories

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/pages/?lang=vi&type=article"
THERAPIES = "/api/v1/pages/?lang=vi&type=therapy"
EVERY_PAGE = "/api/v1/pages/?lang=en"
SEARCH = "/api/v1/pages/?lang=vi&type=article&search=bai viet"


def lifetime(response):
    """Seconds a downstream cache may keep ``response``: max-age plus stale-while-revalidate."""
    found = dict(re.findall(r"([a-z-]+)=(\d+)", response["Cache-Control"]))
    return int(found["max-age"]) + int(found.get("stale-while-revalidate", 0))


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def windows(now, article_index, therapy_index):
    """An article that expires in 40 s and a therapy that expires in 10 s."""
    article = factories.make_article(
        article_index,
        "Ending article",
        "ending",
        "Bài viết sắp hết hạn",
        "bai-viet-sap-het-han",
        expire_at=now + datetime.timedelta(seconds=40),
    )
    therapy = factories.make_therapy(
        therapy_index,
        "Ending therapy",
        "ending-therapy",
        "Liệu pháp sắp hết hạn",
        "lieu-phap-sap-het-han",
        expire_at=now + datetime.timedelta(seconds=10),
    )
    factories.make_article(article_index, "Lasting", "lasting", "Bài viết lâu dài", "lau-dai")
    return {"article": article, "therapy": therapy}


def test_a_list_ends_at_the_next_change_of_its_own_scope(client, settings, now, windows):
    settings.API_CACHE_SECONDS = 0
    client.get(EVERY_PAGE)  # drains the outbox
    child_of = f"/api/v1/pages/?lang=vi&child_of={windows['article'].get_parent().pk}"
    with clock.frozen_at(now):
        assert windows["article"].pk in ids(client.get(ARTICLES))
        assert lifetime(client.get(ARTICLES)) == 40  # not 10: the therapy is elsewhere
        assert lifetime(client.get(child_of)) == 40
        assert lifetime(client.get(SEARCH)) == 40
        assert lifetime(client.get(THERAPIES)) == 10
        assert lifetime(client.get(EVERY_PAGE)) == 10  # every page's scope holds both
    with clock.frozen_at(now + datetime.timedelta(seconds=15)):  # the therapy has expired
        assert windows["therapy"].pk not in ids(client.get(THERAPIES))
        assert lifetime(client.get(EVERY_PAGE)) == 25
        assert lifetime(client.get(ARTICLES)) == 25
    with clock.frozen_at(now + datetime.timedelta(seconds=41)):
        response = client.get(ARTICLES)
        assert windows["article"].pk not in ids(response)
        assert lifetime(response) == 60 + 300  # nothing ahead: the API's own lifetime


def test_a_page_going_live_ends_the_lists_it_joins(client, settings, now, article_index):
    settings.API_CACHE_SECONDS = 0
    factories.make_article(
        article_index,
        "Going live",
        "going-live",
        "Bài viết sắp lên",
        "sap-len",
        go_live_at=now - datetime.timedelta(seconds=1),
    )
    client.get(EVERY_PAGE)  # drains the outbox
    with clock.frozen_at(now - datetime.timedelta(seconds=31)):  # 30 s before its go-live
        response = client.get(ARTICLES)
        assert response.json()["count"] == 0
        assert lifetime(response) == 30  # an empty list ends too
        assert lifetime(client.get(ARTICLES + "&offset=20")) == 30
        assert lifetime(client.get(THERAPIES)) == 360  # no therapy has a window
    with clock.frozen_at(now):
        assert [item["title"] for item in client.get(ARTICLES).json()["items"]] == [
            "Bài viết sắp lên"
        ]


def test_a_list_of_children_ends_with_its_parent(client, settings, now, home):
    settings.API_CACHE_SECONDS = 0
    section = factories.publish_child(
        home,
        factories._page(
            factories.ArticleIndexPage,
            "Short-lived",
            "short-lived",
            "Chuyên mục tạm",
            "chuyen-muc-tam",
            expire_at=now + datetime.timedelta(seconds=20),
        ),
    )
    factories.make_article(section, "Inside", "inside", "Bài bên trong", "ben-trong")
    url = f"/api/v1/pages/?lang=vi&child_of={section.pk}"
    client.get(EVERY_PAGE)  # drains the outbox
    with clock.frozen_at(now):
        assert [item["title"] for item in client.get(url).json()["items"]] == ["Bài bên trong"]
        assert lifetime(client.get(url)) == 20
    with clock.frozen_at(now + datetime.timedelta(seconds=20)):
        assert client.get(url).status_code == 404


def test_a_review_falling_due_ends_the_detail_and_not_the_list(
    client, settings, now, article_index, doctor
):
    """An item shows its own page's fields: its detail's ``valid_until`` does not end a list."""
    settings.API_CACHE_SECONDS = 0
    article = factories.make_article(article_index, "Due", "due", "Sắp đến hạn", "sap-den-han")
    revision = Page.objects.get(pk=article.pk).latest_revision
    record_review(revision.as_object(), doctor, revision=revision, languages=["en", "vi"])
    client.get(EVERY_PAGE)  # drains the outbox
    due = PageDocument.objects.get(page_id=article.pk, lang="vi").valid_until
    assert due is not None
    with clock.frozen_at(due - datetime.timedelta(seconds=45)):
        assert lifetime(client.get(f"/api/v1/pages/{article.pk}/?lang=vi")) <= 45
        response = client.get(ARTICLES)
        assert [item["title"] for item in response.json()["items"]] == ["Sắp đến hạn"]
        assert lifetime(response) == 60 + 300


def test_a_cached_list_outlives_changes_elsewhere_and_not_its_own(client, settings, now, windows):
    settings.API_CACHE_SECONDS = 300
    client.get(EVERY_PAGE)  # drains the outbox
    with clock.frozen_at(now):
        assert client.get(ARTICLES)["X-Cache"] == "miss"
        assert client.get(THERAPIES)["X-Cache"] == "miss"
        assert client.get(ARTICLES)["X-Cache"] == "hit"
    with clock.frozen_at(now + datetime.timedelta(seconds=15)):  # the therapy has expired
        response = client.get(THERAPIES)
        assert response["X-Cache"] == "miss"
        assert windows["therapy"].pk not in ids(response)
        response = client.get(ARTICLES)
        assert response["X-Cache"] == "hit"
        assert windows["article"].pk in ids(response)
        assert lifetime(response) == 25
    with clock.frozen_at(now + datetime.timedelta(seconds=40)):  # the article has expired
        response = client.get(ARTICLES)
        assert response["X-Cache"] == "miss"
        assert windows["article"].pk not in ids(response)
