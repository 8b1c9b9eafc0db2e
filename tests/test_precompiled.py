"""Precompiled queries give what the ORM gives, on SQLite and PostgreSQL, in any thread."""

import threading

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms import precompiled
from cms.api import pages as api_pages
from cms.precompiled import Placeholder, PrecompiledQuery, placeholders
from editorial.models import MedicalReview
from therapies.models import ArticlePage, TherapyPage

pytestmark = pytest.mark.django_db


def by_pk():
    pk = Placeholder()
    return PrecompiledQuery(ArticlePage.objects.filter(pk=pk), pk)


def test_a_model_query_gives_the_instances_the_orm_gives(article, prp):
    query = by_pk()
    with CaptureQueriesContext(connection) as queries:
        (page,) = query.instances(article.pk)
    assert len(queries) == 1
    orm = ArticlePage.objects.get(pk=article.pk)
    assert type(page) is ArticlePage and page.pk == article.pk
    assert page.title_vi == orm.title_vi == "Exosome và PRP khác nhau thế nào"
    assert page.url_path_vi == orm.url_path_vi
    assert page.first_published_at == orm.first_published_at  # converted, time zone included
    assert list(page.body_vi.raw_data) == list(orm.body_vi.raw_data)
    assert [block.block_type for block in page.body_vi] == [
        block.block_type for block in orm.body_vi
    ]
    # The placeholder really is the request's value: another id, another page; none, nothing.
    assert query.instances(prp.pk) == []  # a therapy is not in the article table
    assert query.instances(10**9) == []


def test_values_list_rows_keep_the_order_the_fields_were_named(article):
    pk = Placeholder()
    forward = PrecompiledQuery(Page.objects.filter(pk=pk).values_list("pk", "content_type_id"), pk)
    backward = PrecompiledQuery(Page.objects.filter(pk=pk).values_list("content_type_id", "pk"), pk)
    expected = Page.objects.filter(pk=article.pk).values_list("pk", "content_type_id").get()
    assert forward.rows(article.pk) == [expected]
    assert backward.rows(article.pk) == [expected[::-1]]


def test_several_placeholders(prp, exosomes, article):
    first, second = placeholders(2)
    query = PrecompiledQuery(
        Page.objects.filter(pk__in=[first, second]).order_by("pk"), first, second
    )
    assert [page.pk for page in query.instances(exosomes.pk, prp.pk)] == sorted(
        [prp.pk, exosomes.pk]
    )
    assert [page.pk for page in query.instances(article.pk, article.pk)] == [article.pk]
    with pytest.raises(TypeError):
        query.instances(prp.pk)


def test_what_it_cannot_run_is_refused_when_built():
    pk = Placeholder()
    with pytest.raises(ValueError, match="related"):
        PrecompiledQuery(MedicalReview.objects.select_related("doctor").filter(pk=pk), pk)
    with pytest.raises(ValueError, match="prefetch"):
        PrecompiledQuery(ArticlePage.objects.prefetch_related("related_links").filter(pk=pk), pk)
    with pytest.raises(ValueError, match="translated"):
        PrecompiledQuery(TherapyPage.objects.filter(pk=pk).values_list("title"), pk)
    with pytest.raises(ValueError, match="0 times"):
        PrecompiledQuery(ArticlePage.objects.filter(pk=1), pk)
    with pytest.raises(ValueError, match="2 times"):  # the same placeholder twice: ambiguous
        PrecompiledQuery(Page.objects.filter(pk=pk, depth__gt=0) | Page.objects.filter(pk=pk), pk)
    with pytest.raises(ValueError, match="SpecificIterable"):
        PrecompiledQuery(Page.objects.filter(pk=pk).specific(), pk)
    with pytest.raises(ValueError, match="Iterable"):
        PrecompiledQuery(Page.objects.filter(pk=pk).values_list("pk", flat=True), pk)
    with pytest.raises(ValueError, match="Iterable"):
        PrecompiledQuery(Page.objects.filter(pk=pk).values("pk"), pk)


def test_placeholders_stay_in_a_32_bit_id_columns_range():
    """A value below -2**31 makes Django drop the condition on PostgreSQL while compiling."""
    for index, placeholder in enumerate(placeholders(1000)):
        assert -(2**31) < placeholder < 0 and placeholder == Placeholder(index)
    assert len(set(placeholders(1000))) == 1000


def test_a_query_built_in_one_thread_runs_in_another():
    """Kept queries are shared by a server's threads; each runs on its own connection.

    Another thread's connection sees only committed rows (not this test's
    transaction), so it reads the tree's root, which the migrations created.
    """
    root = Page.objects.get(depth=1)
    pk = Placeholder()
    query = PrecompiledQuery(Page.objects.filter(pk=pk), pk)
    assert [page.path for page in query.instances(root.pk)] == [root.path]
    found, errors = [], []

    def other_thread():
        try:
            found.extend((page.path, page.first_published_at) for page in query.instances(root.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert errors == []
    assert found == [(root.path, root.first_published_at)]


def test_prefetch_answers_from_memory_like_prefetch_related(article, doctor):
    MedicalReview.objects.create(
        page=article, lang="vi", doctor=doctor, reviewed_on="2026-01-10", text_digest="x"
    )
    query = precompiled.related_query(ArticlePage, "medical_reviews", MedicalReview.objects.all())
    page = ArticlePage.objects.get(pk=article.pk)
    precompiled.prefetch(page, "medical_reviews", query)
    with CaptureQueriesContext(connection) as queries:
        reviews = list(page.medical_reviews.all())
        assert reviews[0].page is page
    assert len(queries) == 0
    orm = ArticlePage.objects.prefetch_related(Prefetch("medical_reviews")).get(pk=article.pk)
    assert [r.pk for r in reviews] == [r.pk for r in orm.medical_reviews.all()]


def test_a_remembered_page_type_that_no_longer_fits_is_looked_up_again(client, article, settings):
    """SQLite may give a deleted page's id to a new page of another type."""
    settings.API_CACHE_SECONDS = 0
    api_pages._page_models[article.pk] = TherapyPage  # as if the id had been a therapy's
    response = client.get(f"/api/v1/pages/{article.pk}/?lang=vi")
    assert response.status_code == 200
    assert response.json()["type"] == "article"
    assert response.json()["title"] == "Exosome và PRP khác nhau thế nào"
    assert api_pages._page_models[article.pk] is ArticlePage


def test_a_page_type_can_only_declare_what_the_detail_can_precompile():
    from cms.api import registry

    def register(*lookups):
        registry.register(
            "x",
            ArticlePage,
            object,
            fields=None,
            summary=None,
            json_ld=None,
            detail_prefetch=lookups,
        )

    for lookup in (
        "medical_reviews",
        Prefetch("medical_reviews"),
        Prefetch("related_links", MedicalReview.objects.all()),
        Prefetch("medical_reviews__doctor", MedicalReview.objects.all()),
        Prefetch("medical_reviews", MedicalReview.objects.all(), to_attr="reviews"),
    ):
        with pytest.raises(ValueError, match="detail_prefetch"):
            register(lookup)
    assert "x" not in registry.names()
