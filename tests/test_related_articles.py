"""Related articles: the editor's order, only live public ones, in the reader's language."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms import cache as content_cache
from cms import clock
from cms.api.preview import make_token
from readmodel import outbox
from therapies.models import RelatedArticle

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.API_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def others(article_index):
    return [
        factories.make_article(
            article_index, "Aftercare", "aftercare", "Chăm sóc sau điều trị", "cham-soc"
        ),
        factories.make_article(
            article_index, "Who should wait", "who-should-wait", "Ai nên đợi", "ai-nen-doi"
        ),
        factories.make_article(article_index, "Costs", "costs", "Chi phí điều trị", "chi-phi"),
    ]


def link(article, pages):
    for order, page in enumerate(pages):
        RelatedArticle.objects.create(article=article, page=page, sort_order=order)


def related(client, article, lang="vi"):
    response = client.get(f"/api/v1/pages/{article.pk}/", {"lang": lang})
    assert response.status_code == 200
    return response.json()["related"]


def test_related_articles_in_the_editors_order_and_the_readers_language(client, article, others):
    link(article, [others[2], others[0], others[1]])
    items = related(client, article)
    assert [item["title"] for item in items] == [
        "Chi phí điều trị",
        "Chăm sóc sau điều trị",
        "Ai nên đợi",
    ]
    assert items[0]["url"].endswith("/vi/bai-viet/chi-phi/")
    assert [item["title"] for item in related(client, article, "en")] == [
        "Costs",
        "Aftercare",
        "Who should wait",
    ]
    html = client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    assert (
        html.index("Chi phí điều trị")
        < html.index("Chăm sóc sau điều trị")
        < html.index("Ai nên đợi")
    )


def test_unpublished_private_and_expired_related_articles_are_left_out(client, article, others):
    link(article, others)
    others[0].unpublish()
    PageViewRestriction.objects.create(
        page=others[1], restriction_type="password", password="s3cret"
    )
    Page.objects.filter(pk=others[2].pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert related(client, article) == []
    html = client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    assert (
        "Chăm sóc sau điều trị" not in html and "Ai nên đợi" not in html and "Chi phí" not in html
    )


def test_a_related_article_expiring_between_two_requests_is_gone_from_the_next(
    client, article, others
):
    """No publish happens in between: the visibility rule reads the clock when it runs."""
    link(article, others[:1])
    now = timezone.now()
    expires = now + timedelta(seconds=1)
    Page.objects.filter(pk=others[0].pk).update(expire_at=expires)
    outbox.record_pages([others[0].pk])  # what a publish with an expiry records
    with clock.frozen_at(now):
        assert [item["title"] for item in related(client, article)] == ["Chăm sóc sau điều trị"]
    counter = content_cache.counter()  # nothing is purged at the expiry
    with clock.frozen_at(expires):
        assert content_cache.counter() == counter
        assert related(client, article) == []


def test_related_articles_cost_two_queries_however_many(client, article, others, article_index):
    def cost():
        client.get(f"/api/v1/pages/{article.pk}/?lang=vi")  # warm
        with CaptureQueriesContext(connection) as queries:
            related(client, article)
        return len(queries)

    link(article, others[:1])
    one = cost()
    more = [
        factories.make_article(article_index, f"More {n}", f"more-{n}", f"Thêm {n}", f"them-{n}")
        for n in range(15)
    ]  # past the precompiled count: the ORM's in_bulk takes over
    RelatedArticle.objects.all().delete()
    link(article, others + more)
    assert len(related(client, article)) == 18
    assert cost() == one


def test_preview_shows_the_drafts_related_articles(client, article, others):
    link(article, others[:1])
    draft = article.get_latest_revision_as_object()
    draft.related_links = [RelatedArticle(page=others[1]), RelatedArticle(page=others[2])]
    draft.save_revision()
    response = client.get(f"/api/v1/preview/?token={make_token(article)}&lang=vi")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["related"]] == [
        "Ai nên đợi",
        "Chi phí điều trị",
    ]
    assert [item["title"] for item in related(client, article)] == ["Chăm sóc sau điều trị"]
