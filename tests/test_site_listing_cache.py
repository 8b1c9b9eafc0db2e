"""A cached page that shows other pages (a listing, related articles) is purged when one of
them changes: it is tagged with every page it shows as readers get it (cms.cache)."""

import pytest
from wagtail.models import Page

from cms import cache as content_cache
from releases.service import withdraw_language
from therapies.models import RelatedArticle

from . import factories
from .release_steps import edit, latest, publish

pytestmark = pytest.mark.django_db


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_released_summary_reaches_every_cached_page_that_lists_the_therapy(client, article, prp):
    for url in ("/en/", "/en/therapies/", "/vi/", "/vi/lieu-phap/"):
        text(client, url)  # cached
    publish(
        edit(prp, summary_en="Plasma from your own blood.", summary_vi="Huyết tương của chính bạn.")
    )
    for url in ("/en/", "/en/therapies/"):
        assert "Plasma from your own blood." in text(client, url), url
    for url in ("/vi/", "/vi/lieu-phap/"):
        assert "Huyết tương của chính bạn." in text(client, url), url


def test_a_released_lead_reaches_the_section_and_the_articles_relating_to_it(
    client, article_index, article
):
    second = latest(
        factories.make_article(
            article_index,
            "Aftercare",
            "aftercare",
            "Chăm sóc sau điều trị",
            "cham-soc",
            publish=False,
        )
    )
    second.related_links = [RelatedArticle(page_id=article.pk)]
    publish(second.save_revision())
    pages = ("/en/articles/", "/en/articles/aftercare/", "/vi/bai-viet/cham-soc/")
    for url in pages:
        text(client, url)  # cached
    publish(edit(article, lead_en="What the studies say.", lead_vi="Nghiên cứu nói gì."))
    assert "What the studies say." in text(client, "/en/articles/")
    assert "What the studies say." in text(client, "/en/articles/aftercare/")
    assert "Nghiên cứu nói gì." in text(client, "/vi/bai-viet/cham-soc/")


def test_a_withdrawn_vietnamese_summary_leaves_the_cached_listings(
    client, therapy_index, admin_user
):
    withdrawn = "Tiêm Botox làm mờ nếp nhăn trong vài tháng."
    page = factories.make_therapy(
        therapy_index, "Botox", "botox", "Botox", "botox-vi", summary_vi=withdrawn
    )
    for url in ("/vi/", "/vi/lieu-phap/"):
        assert withdrawn in text(client, url)  # cached
    withdraw_language(Page.objects.get(pk=page.pk).specific, "vi", admin_user)
    for url in ("/vi/lieu-phap/botox-vi/", "/vi/lieu-phap/", "/vi/"):
        assert withdrawn not in text(client, url), url


def test_a_listing_is_tagged_with_what_it_shows_or_with_pages_when_it_shows_many(
    client, article, prp, exosomes, monkeypatch
):
    keys = client.get("/en/therapies/")["Surrogate-Key"].split()
    assert {f"page-{prp.pk}", f"page-{exosomes.pk}"} <= set(keys)
    assert f"page-{article.pk}" not in keys  # not listed there
    monkeypatch.setattr(content_cache, "MAX_PAGE_TAGS", 1)
    keys = client.get("/en/therapies/?many=1")["Surrogate-Key"].split()
    assert content_cache.PAGES in keys and f"page-{prp.pk}" not in keys
