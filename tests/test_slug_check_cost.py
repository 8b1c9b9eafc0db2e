"""Saving a page checks its slugs without loading its siblings (``cms.slugs.restore_page_cleans``).

wagtail-modeltranslation's ``clean`` loaded every sibling as a page object on every
``full_clean``: under an index of 10,000 articles a publish took 3.4-3.9 s. The slug rule
is ``cms.slugs.conflicts`` (one query, both languages, fallbacks included).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_init
from django.utils import translation
from wagtail.models import Page

from readmodel import outbox
from therapies.models import ArticlePage

from . import factories

pytestmark = pytest.mark.django_db


def pages_loaded_by(action):
    """How many page objects ``action()`` makes (each row Django turns into a page)."""
    made = []

    def count(sender, instance, **kwargs):
        if isinstance(instance, Page):
            made.append(instance)

    post_init.connect(count, weak=False)
    try:
        action()
    finally:
        post_init.disconnect(count)
    return len(made)


def add_siblings(index, count, start=0):
    for n in range(start, start + count):
        factories.make_article(
            index, f"Sibling {n}", f"sibling-{n}", f"Bài anh em {n}", f"bai-anh-em-{n}"
        )


def test_cleaning_a_page_loads_no_sibling(article_index):
    add_siblings(article_index, 3)
    page = ArticlePage.objects.get(slug_en="sibling-0")
    with translation.override("en"):
        few = pages_loaded_by(page.full_clean)
    add_siblings(article_index, 12, start=3)
    page = ArticlePage.objects.get(slug_en="sibling-0")
    with translation.override("en"):
        many = pages_loaded_by(page.full_clean)
    assert many == few < 3, (few, many)


def test_a_publish_loads_the_same_pages_whatever_the_number_of_siblings(article_index):
    def publish(page):
        page.lead_en = "A new lead."
        page.lead_vi = "Phần mở đầu mới về liệu pháp."
        return lambda: page.save_revision().publish()

    add_siblings(article_index, 3)
    with translation.override("en"):
        few = pages_loaded_by(publish(ArticlePage.objects.get(slug_en="sibling-1")))
    add_siblings(article_index, 12, start=3)
    with translation.override("en"):
        many = pages_loaded_by(publish(ArticlePage.objects.get(slug_en="sibling-2")))
    assert many == few, (few, many)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_slug_taken_in_either_language_is_still_refused(article_index, lang):
    add_siblings(article_index, 2)
    page = ArticlePage.objects.get(slug_en="sibling-1")
    if lang == "en":
        page.slug_en = page.slug = "sibling-0"
    else:
        page.slug_vi = "bai-anh-em-0"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert f"slug_{lang}" in refused.value.message_dict


def test_an_admin_save_loads_the_same_pages_whatever_the_number_of_siblings(
    admin_client, article_index
):
    from django.urls import reverse

    from .admin_forms import article_edit_data, edit_post

    def save(slug):
        page = ArticlePage.objects.get(slug_en=slug)
        revision = page.save_revision()
        outbox.drain()  # the new siblings' documents are built before, not during, the save
        data = article_edit_data(revision)
        data["lead_vi"] = "Phần mở đầu đã sửa về liệu pháp."
        url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        return lambda: admin_client.post(url, edit_post(data, revision))

    add_siblings(article_index, 3)
    few = pages_loaded_by(save("sibling-1"))
    add_siblings(article_index, 12, start=3)
    many = pages_loaded_by(save("sibling-2"))
    assert many == few, (few, many)
    page = ArticlePage.objects.get(slug_en="sibling-2")
    assert page.get_latest_revision_as_object().lead_vi == "Phần mở đầu đã sửa về liệu pháp."
