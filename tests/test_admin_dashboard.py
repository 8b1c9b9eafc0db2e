"""The admin home shows what needs doing: reviews due, translations missing or out of date,
drafts with red-flag claims, each with a count, its first rows and a link to its report."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from . import factories
from .editorial_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def panel(html, name):
    """The text of one dashboard panel, tags removed, whitespace collapsed."""
    found = re.search(rf'<section[^>]*id="{name}-section".*?</section>', html, re.S)
    assert found, f"no panel {name}"
    return found.group(0)


def words(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def user_client(django_user_model, username, language):
    user = django_user_model.objects.create_superuser(
        username, f"{username}@example.com", "pw-for-tests-only"
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def work(article_index, therapy_index):
    """A therapy never reviewed, an article with no Vietnamese, a draft with a red-flag claim."""
    return {
        "unreviewed": factories.make_therapy(
            therapy_index, "Exosomes", "exosomes", "Exosome", "exosome"
        ),
        "untranslated": factories.make_article(article_index, "Only English", "only-english"),
        "flagged": factories.make_article(
            article_index,
            "Skin boosters",
            "skin-boosters",
            "Tiêm dưỡng da",
            "tiem-duong-da",
            publish=False,
            lead_en="A miracle for tired skin.",
            lead_vi="Phép màu cho làn da mệt mỏi.",
        ),
    }


def test_dashboard_panels_in_english(django_user_model, work):
    html = user_client(django_user_model, "anna", "en").get(HOME).content.decode()

    reviews = panel(html, "editorial_reviews_due")
    assert "Reviews due (" in words(reviews)
    assert edit_url(work["unreviewed"]) in reviews and "Not reviewed" in reviews
    assert reverse("editorial:reviews_due") in reviews

    translations = panel(html, "editorial_translations")
    text = words(translations)
    assert "Missing translations (" in text
    # Site order: the home page (its meta description is empty in both languages) comes first.
    assert "Home · Trang chủ English Missing: Meta description" in text
    assert reverse("editorial:missing_translations") in translations

    flags = panel(html, "editorial_red_flag_drafts")
    text = words(flags)
    assert "Red-flag claims in drafts (2)" in text
    assert "“miracle” (Lead)" in text and "“phép màu” (Lead)" in text
    assert edit_url(work["flagged"]) in flags
    assert reverse("editorial:red_flag_drafts") in flags
    assert "See the report (2 rows)" in text


def test_dashboard_panels_in_vietnamese(django_user_model, work):
    html = user_client(django_user_model, "lan", "vi").get(HOME).content.decode()

    text = words(panel(html, "editorial_reviews_due"))
    assert "Thẩm định đến hạn (" in text and "Chưa thẩm định" in text
    assert "Exosome · Exosomes" in text  # the title in the editor's language, English as a hint

    text = words(panel(html, "editorial_translations"))
    assert "Bản dịch còn thiếu (" in text
    assert "Trang chủ · Home Tiếng Việt Còn thiếu: Mô tả meta" in text
    assert "Việc cần làm" in text

    text = words(panel(html, "editorial_red_flag_drafts"))
    assert "Lời quảng cáo bị gắn cờ trong bản nháp (2)" in text
    assert "Tiêm dưỡng da · Skin boosters Tiếng Việt “phép màu” (Lời dẫn)" in text
    assert "Xem báo cáo (2 dòng)" in text


def test_empty_panels_say_there_is_nothing_to_do(django_user_model, home):
    html = user_client(django_user_model, "lan", "vi").get(HOME).content.decode()
    assert "Không có bản nháp nào chứa lời quảng cáo bị gắn cờ." in words(
        panel(html, "editorial_red_flag_drafts")
    )
    assert "(0)" in words(panel(html, "editorial_reviews_due"))


def test_red_flag_report_lists_the_draft_and_its_claims(admin_client, work):
    html = admin_client.get(reverse("editorial:red_flag_drafts")).content.decode()
    assert edit_url(work["flagged"]) in html
    assert "“miracle” (Lead)" in html
    assert edit_url(work["untranslated"]) not in html


def test_a_rephrased_draft_leaves_the_panel(django_user_model, work):
    page = work["flagged"]
    page.lead_en = "Support for tired skin."
    page.lead_vi = "Hỗ trợ cho làn da mệt mỏi."
    page.save_revision()
    html = user_client(django_user_model, "anna", "en").get(HOME).content.decode()
    assert "Red-flag claims in drafts (0)" in words(panel(html, "editorial_red_flag_drafts"))


def test_an_editor_sees_only_pages_they_may_edit(editor_client, work):
    """Wagtail's Editors group may edit every page here; a user without page rights sees none."""
    html = editor_client.get(HOME).content.decode()
    assert edit_url(work["flagged"]) in panel(html, "editorial_red_flag_drafts")


def dashboard_queries(client):
    client.get(HOME)  # the first request after saves also does the saves' deferred work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_pages(
    django_user_model, article_index, therapy_index
):
    client = user_client(django_user_model, "anna", "en")

    def add(start, n):
        for i in range(start, start + n):
            factories.make_article(article_index, f"Untranslated {i}", f"untranslated-{i}")
            factories.make_article(
                article_index,
                f"Flagged {i}",
                f"flagged-{i}",
                publish=False,
                lead_en="A miracle, guaranteed results.",
            )
            factories.make_therapy(therapy_index, f"Therapy {i}", f"therapy-{i}")

    add(0, 2)
    few = dashboard_queries(client)
    add(2, 8)
    many = dashboard_queries(client)
    assert (few, many) == (QUERIES, QUERIES)


# The admin home for a superuser: session, user, profile, Wagtail's panels, and per editorial
# panel a count and its rows (the translations panel also reads the live rows).
QUERIES = 25
