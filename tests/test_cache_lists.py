"""Cached lists of pages are purged by the changes that can alter them, and only by those.

A list (``GET /api/v1/pages/``) is tagged with the pages it shows and with what it depends
on besides them: its scope's members, its order, its search (``cms.cache.list_tags``). A
publish purges what its documents' changes can alter (``readmodel.outbox.list_purges``).
"""

import pytest
from django.utils import translation
from wagtail.models import PageViewRestriction

from . import factories
from .factories import make_article

pytestmark = pytest.mark.django_db

ORDERS = (
    "path",
    "title",
    "-title",
    "first_published_at",
    "-first_published_at",
    "last_published_at",
    "-last_published_at",
    "id",
    "-id",
)


@pytest.fixture
def news(home):
    """A second section of articles (articles move between the two)."""
    return factories.publish_child(
        home, factories._page(factories.ArticleIndexPage, "News", "news", "Tin tức", "tin-tuc")
    )


@pytest.fixture
def pages(article_index, news, prp, exosomes):
    first = make_article(
        article_index, "Exosome basics", "exosome-basics", "Exosome cơ bản", "co-ban"
    )
    second = make_article(article_index, "Blood and PRP", "blood-prp", "Bài về máu", "bai-ve-mau")
    return {"first": first, "second": second, "index": article_index, "news": news}


def list_urls(pages):
    urls = []
    scopes = (
        "",
        "&type=article",
        "&type=therapy",
        f"&child_of={pages['index'].pk}",
        f"&child_of={pages['news'].pk}",
        f"&child_of={pages['index'].pk}&type=article",
        f"&child_of={pages['first'].pk}",
    )
    for lang in ("en", "vi"):
        for order in ORDERS:
            for scope in scopes:
                urls.append(f"/api/v1/pages/?lang={lang}&limit=1&order={order}{scope}")
        for words in ("prp", "exosome", "moimoi", "newword"):
            for scope in ("", "&type=article", f"&child_of={pages['index'].pk}"):
                urls.append(f"/api/v1/pages/?lang={lang}&search={words}{scope}")
    return urls


def read(client, url):
    response = client.get(url)
    return response.status_code, response.content


def stale_lists(client, settings, urls):
    """The lists whose cached answer differs from what the documents say now."""
    cached = {url: read(client, url) for url in urls}
    seconds, settings.API_CACHE_SECONDS = settings.API_CACHE_SECONDS, 0
    try:
        fresh = {url: read(client, url) for url in urls}
    finally:
        settings.API_CACHE_SECONDS = seconds
    return [url for url in urls if cached[url] != fresh[url]]


def test_every_kind_of_list_read_through_the_cache_shows_each_change(client, settings, pages):
    first, second, news = pages["first"], pages["second"], pages["news"]
    urls = list_urls(pages)
    assert stale_lists(client, settings, urls) == []  # and now every 200 is stored
    assert client.get(urls[0])["X-Cache"] == "hit"

    def republish(page, **fields):
        for name, value in fields.items():
            setattr(page, name, value)
        with translation.override("en"):
            page.save_revision().publish()
        page.refresh_from_db()

    restriction = None

    def make_private():
        nonlocal restriction
        restriction = PageViewRestriction.objects.create(
            page=second, restriction_type="password", password="mật-khẩu"
        )

    changes = [
        # Text only: its item, the order by last publication and searches change.
        ("new words", lambda: republish(first, lead_vi="Từ mới moimoi.", lead_en="A newword.")),
        ("new Vietnamese title", lambda: republish(second, title_vi="Ánh sáng và máu")),
        ("unpublished", lambda: first.unpublish()),
        ("published again", lambda: republish(first)),
        ("made private", make_private),
        ("public again", lambda: restriction.delete()),
        ("moved", lambda: second.move(news, pos="last-child")),
        ("section unpublished", lambda: news.unpublish()),
        ("section published", lambda: republish(news)),
        ("deleted", lambda: first.delete()),
        ("new article", lambda: make_article(news, "Fresh one", "fresh", "Bài mới", "bai-moi")),
    ]
    for name, change in changes:
        change()
        assert stale_lists(client, settings, urls) == [], name


def test_a_text_edit_purges_the_lists_it_can_change_and_no_other(client, pages, prp):
    first, second = pages["first"], pages["second"]
    index = pages["index"]
    unrelated = [
        "/api/v1/pages/?lang=vi&type=therapy",
        f"/api/v1/pages/?lang=vi&child_of={prp.get_parent().pk}&order=title",
        # Same section, sorted by title: the edited article is not in the slice shown.
        f"/api/v1/pages/?lang=vi&child_of={index.pk}&order=title&limit=1",
        "/api/v1/pages/?lang=vi&type=article&order=-first_published_at&limit=1",
        "/api/v1/pages/?lang=vi&type=therapy&search=prp",
        f"/api/v1/pages/{second.pk}/?lang=vi",
    ]
    related = [
        f"/api/v1/pages/{first.pk}/?lang=vi",
        "/api/v1/pages/?lang=vi&type=article",  # shows it
        "/api/v1/pages/?lang=vi&type=article&order=-last_published_at&limit=1",  # now first
        f"/api/v1/pages/?lang=vi&child_of={index.pk}&search=moimoi",  # now finds it
        "/api/v1/pages/?lang=vi&search=mau",  # searches the text of the scope that changed
    ]
    for url in unrelated + related:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit", url
    assert (
        client.get("/api/v1/pages/?lang=vi&type=article&order=-first_published_at&limit=1").json()[
            "items"
        ][0]["id"]
        == second.pk
    )
    first.lead_vi = "Từ mới moimoi."
    with translation.override("en"):
        first.save_revision().publish()

    for url in unrelated:
        assert client.get(url)["X-Cache"] == "hit", url
    for url in related:
        assert client.get(url)["X-Cache"] == "miss", url
    latest = client.get("/api/v1/pages/?lang=vi&type=article&order=-last_published_at&limit=1")
    assert latest.json()["items"][0]["id"] == first.pk
    found = client.get(f"/api/v1/pages/?lang=vi&child_of={index.pk}&search=moimoi").json()
    assert [item["id"] for item in found["items"]] == [first.pk]


def test_lists_name_what_they_depend_on_for_a_cdn(client, pages):
    index = pages["index"]
    listing = client.get(f"/api/v1/pages/?lang=vi&child_of={index.pk}&order=-title&search=bai")
    tags = set(listing["Surrogate-Key"].split())
    assert {
        f"list-vi-child-{index.pk}",
        f"list-vi-child-{index.pk}-title",
        f"list-vi-child-{index.pk}-search",
        "site",
    } <= tags
    assert "pages" not in tags
    everything = client.get("/api/v1/pages/?lang=en&order=id")
    assert {"list-en-all", f"page-{index.pk}"} <= set(everything["Surrogate-Key"].split())
