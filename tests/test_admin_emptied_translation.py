"""An emptied Vietnamese field stays empty, whatever the admin's language; readers get English.

Reading a language-dependent field (``lead``) in Vietnamese falls back to English, and
writing it back writes ``lead_vi``: a save that did that refilled the Vietnamese side.
"""

import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from releases.service import language_states, withdraw_language
from therapies.models import ArticlePage

from . import factories
from .admin_forms import article_form, paragraph

pytestmark = pytest.mark.django_db

EMPTIED = ("title_vi", "slug_vi", "lead_vi", "search_description_vi")


@pytest.fixture(params=["vi", "en"])
def admin_language(request, admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = request.param
    profile.save()
    return request.param


def emptied_form(article, action):
    return article_form(
        article.title_en,
        article.slug_en,
        "",
        "",
        body_en=[paragraph("<p>PRP comes from your own blood.</p>")],
        body_vi=[],
        lead_en=article.lead_en,
        lead_vi="",
        search_description_en="PRP and exosomes compared.",
        search_description_vi="",
        action=action,
    )


def assert_vietnamese_empty(page):
    for name in EMPTIED:
        assert not getattr(page, name), name
    assert len(page.body_vi) == 0


@pytest.mark.parametrize("action", [None, "action-publish"], ids=["draft", "publish"])
def test_emptied_vietnamese_fields_stay_empty(admin_client, admin_language, article, action):
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]), emptied_form(article, action)
    )
    assert response.status_code == 302
    row = ArticlePage.objects.get(pk=article.pk)
    assert_vietnamese_empty(row.get_latest_revision_as_object())
    if action:
        assert_vietnamese_empty(row)
        assert row.lead_en == article.lead_en  # English untouched
        # An emptied translation is incomplete: it does not go live (releases), so Vietnamese
        # readers keep the Vietnamese released before until an editor withdraws it; then
        # they get English.
        assert language_states(row)["vi"].state == "pending"
        reader = admin_client.get("/vi/bai-viet/exosomes-vs-prp/", HTTP_ACCEPT_LANGUAGE="vi")
        assert reader.status_code == 200
        assert article.lead_vi in reader.content.decode()
        withdraw_language(row, "vi", None)
        reader = admin_client.get("/vi/bai-viet/exosomes-vs-prp/", HTTP_ACCEPT_LANGUAGE="vi")
        assert reader.status_code == 200
        html = reader.content.decode()
        assert article.lead_en in html and article.lead_vi not in html
    else:
        assert row.lead_vi == article.lead_vi  # the live page keeps its Vietnamese until published


def test_the_edit_form_reopens_with_the_vietnamese_fields_empty(
    admin_client, admin_language, article
):
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    admin_client.post(url, emptied_form(article, None))
    html = admin_client.get(url).content.decode()
    assert re.search(r'<textarea name="lead_vi"[^>]*>\s*</textarea>', html)


def test_copying_in_the_vietnamese_admin_keeps_an_empty_vietnamese_field_empty(
    admin_client, admin_language, article
):
    admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        emptied_form(article, "action-publish"),
    )
    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=[article.pk]),
        {
            "new_title_en": "Exosomes vs PRP (copy)",
            "new_title_vi": "",
            "new_slug_en": "exosomes-vs-prp-copy",
            "new_slug_vi": "",
            "new_parent_page": str(article.get_parent().pk),
        },
    )
    assert response.status_code == 302
    copy = ArticlePage.objects.get(slug_en="exosomes-vs-prp-copy")
    assert not copy.lead_vi and not copy.title_vi
    assert_vietnamese_empty(copy.get_latest_revision_as_object())


def test_a_never_published_draft_keeps_its_emptied_vietnamese_title(
    admin_client, admin_language, article_index
):
    draft = factories.make_article(
        article_index,
        "Hair loss and PRP",
        "hair-loss-prp",
        "Rụng tóc và PRP",
        "rung-toc-va-prp",
        publish=False,
        lead_en="What PRP can and cannot do for hair loss.",
        lead_vi="PRP làm được gì cho tình trạng rụng tóc.",
    )
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]), emptied_form(draft, None)
    )
    assert response.status_code == 302
    row = ArticlePage.objects.get(pk=draft.pk)
    assert_vietnamese_empty(row)
    assert_vietnamese_empty(row.get_latest_revision_as_object())
    assert row.title_en == "Hair loss and PRP"
