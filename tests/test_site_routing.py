"""A reader's URL finds its page by one indexed lookup, in either language (``cms.serving``)."""

import pytest
from django.utils import translation

from cms import serving
from readmodel import outbox
from readmodel.models import PageDocument

from .factories import make_article

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_an_article_among_many_is_found_in_the_same_few_queries(
    rf, django_assert_num_queries, article_index, article
):
    for n in range(30):
        make_article(article_index, f"Sibling {n}", f"sibling-{n}", f"Bài số {n}", f"bai-so-{n}")
    outbox.drain()  # their documents, as after their commit
    for lang, path in (("vi", "bai-viet/bai-so-29/"), ("en", "articles/sibling-29/")):
        request = rf.get(f"/{lang}/{path}")
        with translation.override(lang):
            # The request's site (Wagtail's, kept for the request), the document at the path
            # in that language, the page, its language releases (what readers get of each
            # language: cms.visibility.reader_page): whatever the section holds.
            with django_assert_num_queries(4):
                page, args, kwargs = serving.route_for_request(request, path)
        assert page.title_vi == "Bài số 29" and type(page).__name__ == "ArticlePage"
        assert not args and not kwargs


def test_a_page_no_document_answers_is_served_from_the_page_table(client, article):
    """A page type the API does not publish, or a page published a moment ago."""
    PageDocument.objects.filter(page_id=article.pk).delete()
    assert "Exosome và PRP khác nhau thế nào" in html_of(client, "/vi/bai-viet/exosome-va-prp/")
    assert "Exosomes vs PRP" in html_of(client, "/en/articles/exosomes-vs-prp/")
    # Each language by its own slugs only.
    assert client.get("/vi/bai-viet/exosomes-vs-prp/").status_code == 404
    assert client.get("/en/articles/exosome-va-prp/").status_code == 404
    # Nothing below a page but its children.
    assert client.get("/en/articles/exosomes-vs-prp/more/").status_code == 404


def test_the_page_table_serves_no_unpublished_or_expired_page(client, article):
    from datetime import timedelta

    from django.utils import timezone

    article.unpublish()
    outbox.drain()
    PageDocument.objects.filter(page_id=article.pk).delete()
    assert client.get("/vi/bai-viet/exosome-va-prp/").status_code == 404
    article.expire_at = timezone.now() - timedelta(minutes=1)
    article.save_revision().publish()
    outbox.drain()
    PageDocument.objects.filter(page_id=article.pk).delete()
    assert client.get("/vi/bai-viet/exosome-va-prp/").status_code == 404
    assert client.get("/en/articles/exosomes-vs-prp/").status_code == 404


def test_a_document_left_from_before_an_unpublish_serves_nothing(client, article):
    """Between an unpublish and its rebuild, the page row decides."""
    from wagtail.models import Page

    outbox.drain()
    Page.objects.filter(pk=article.pk).update(live=False)  # no outbox row: the document stays
    assert PageDocument.objects.filter(page_id=article.pk, state="live").exists()
    assert client.get("/vi/bai-viet/exosome-va-prp/").status_code == 404


def test_the_home_page_and_sections_are_found_in_both_languages(client, article):
    assert "Exosome và PRP" in html_of(client, "/vi/")
    assert "Exosome và PRP" in html_of(client, "/vi/bai-viet/")
    assert "Exosomes vs PRP" in html_of(client, "/en/articles/")
