"""A page's ancestors are rebuilt when what they show of it changes, and only then.

The home page and the sections list their children as ``{id, title, url}``, with a count,
an order and the end of a window (``readmodel.builder.LISTED``). An edit of an article's
lead changes its own documents and the lists that read them, not the section's or the home
page's document, which would be built again for nothing: under a section of 10,000 articles
that build reads the section's newest children and counts them, twice per publish.

The module is one of those whose documents are compared with a fresh build after each test
(``tests/readmodel_fixtures.py``): a rebuild skipped wrongly fails it.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from readmodel import builder, outbox

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    """The ids of the pages whose documents the drains build."""
    pages = []
    original = builder.build

    def recording(page_id, *args, **kwargs):
        pages.append(page_id)
        return original(page_id, *args, **kwargs)

    monkeypatch.setattr(builder, "build", recording)
    return pages


@pytest.fixture
def articles(article_index):
    made = [
        factories.make_article(
            article_index, f"Article {n}", f"article-{n}", f"Bài {n}", f"bai-{n}"
        )
        for n in range(3)
    ]
    outbox.drain()
    return made


def section_titles(client, section, lang="vi"):
    response = client.get(f"/api/v1/pages/{section.pk}/", {"lang": lang})
    assert response.status_code == 200
    return [child["title"] for child in response.json()["children"]]


def test_a_lead_edit_rebuilds_the_article_not_its_section_or_home(
    client, home, article_index, articles, built
):
    article = articles[1]
    article.lead_vi = "Phần mở đầu mới: huyết tương giàu tiểu cầu."
    article.save_revision().publish()
    built.clear()
    detail = client.get(f"/api/v1/pages/{article.pk}/", {"lang": "vi"}).json()
    assert detail["lead"] == "Phần mở đầu mới: huyết tương giàu tiểu cầu."
    assert article.pk in built
    assert article_index.pk not in built and home.pk not in built
    assert "Bài 1" in section_titles(client, article_index)


@pytest.mark.parametrize(
    "change",
    ["title", "slug", "unpublish", "expiry", "private"],
)
def test_what_a_section_shows_of_an_article_rebuilds_the_section_and_home(
    client, home, article_index, articles, built, change
):
    article = articles[1]
    if change == "title":
        article.title_vi = "Bài đã đổi tên"
        article.save_revision().publish()
    elif change == "slug":
        article.slug_vi = "bai-da-doi-dia-chi"
        article.save_revision().publish()
    elif change == "unpublish":
        article.unpublish()
    elif change == "expiry":
        article.expire_at = timezone.now() + datetime.timedelta(days=3)
        article.save_revision().publish()
    else:
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="bí-mật"
        )
    built.clear()
    titles = section_titles(client, article_index)
    assert article_index.pk in built and home.pk in built, (change, built)
    if change == "title":
        assert "Bài đã đổi tên" in titles
    elif change in ("unpublish", "private"):
        assert "Bài 1" not in titles
    elif change == "slug":
        section = client.get(f"/api/v1/pages/{article_index.pk}/", {"lang": "vi"}).json()
        [shown] = [c for c in section["children"] if c["id"] == article.pk]
        assert shown["url"].endswith("/bai-da-doi-dia-chi/")
