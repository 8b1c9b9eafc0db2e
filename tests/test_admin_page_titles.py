"""The admin names pages in the editor's language, with the other language as a hint.

Wagtail shows ``draft_title`` (explorer, choosers, breadcrumbs, the edit screen's
header), which holds whichever language the last save had active.
"""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from . import factories

pytestmark = pytest.mark.django_db


def editor(django_user_model, username, language):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.com", "pw-for-tests-only", is_superuser=True
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def text(response):
    if response["Content-Type"].startswith("application/json"):
        return html.unescape(response.json()["html"])
    return html.unescape(response.content.decode())


@pytest.fixture
def renamed_in_english(exosomes):
    """An English editor renames the live page in a draft, with English active."""
    with translation.override("en"):
        draft = exosomes.get_latest_revision_as_object()
        draft.title_en = "Exosomes (donor-derived)"
        draft.save_revision()
    return exosomes


@pytest.fixture
def vietnamese(django_user_model):
    return editor(django_user_model, "hoa", "vi")


@pytest.fixture
def english(django_user_model):
    return editor(django_user_model, "minh", "en")


def test_explorer_lists_the_latest_draft_title_in_each_editors_language(
    renamed_in_english, prp, therapy_index, vietnamese, english
):
    url = reverse("wagtailadmin_explore", args=[therapy_index.pk])
    seen_in_vietnamese = text(vietnamese.get(url))
    assert "Exosome · Exosomes (donor-derived)" in seen_in_vietnamese
    assert "PRP (huyết tương giàu tiểu cầu) · PRP" in seen_in_vietnamese
    seen_in_english = text(english.get(url))
    assert "Exosomes (donor-derived) · Exosome" in seen_in_english
    assert "PRP · PRP (huyết tương giàu tiểu cầu)" in seen_in_english


def test_a_vietnamese_save_does_not_turn_the_english_admin_vietnamese(
    exosomes, therapy_index, english
):
    with translation.override("vi"):
        draft = exosomes.get_latest_revision_as_object()
        draft.title_vi = "Exosome (túi ngoại bào)"
        draft.save_revision()
    seen = text(english.get(reverse("wagtailadmin_explore", args=[therapy_index.pk])))
    assert "Exosomes · Exosome (túi ngoại bào)" in seen


def test_a_page_without_a_vietnamese_title_shows_its_english_title(therapy_index, vietnamese):
    factories.make_therapy(therapy_index, "Mesotherapy", "mesotherapy")
    seen = text(vietnamese.get(reverse("wagtailadmin_explore", args=[therapy_index.pk])))
    assert "Mesotherapy" in seen
    assert "Mesotherapy · " not in seen


def test_edit_screen_header_and_breadcrumbs_are_vietnamese(renamed_in_english, vietnamese):
    response = vietnamese.get(reverse("wagtailadmin_pages:edit", args=[renamed_in_english.pk]))
    assert response.status_code == 200
    seen = text(response)
    assert re.search(r"<h1[^>]*>\s*[^<]*: Exosome · Exosomes \(donor-derived\)\s*</h1>", seen)
    assert "Liệu pháp · Therapies" in seen  # the breadcrumb to its parent


def test_page_chooser_lists_vietnamese_titles(renamed_in_english, therapy_index, vietnamese):
    response = vietnamese.get(reverse("wagtailadmin_choose_page_child", args=[therapy_index.pk]))
    assert response.status_code == 200
    assert "Exosome · Exosomes (donor-derived)" in text(response)


def test_explorer_costs_the_same_queries_for_more_pages(
    therapy_index, vietnamese, django_assert_num_queries, documents_follow_content
):
    url = reverse("wagtailadmin_explore", args=[therapy_index.pk])
    for n in range(2):
        factories.make_therapy(therapy_index, f"Therapy {n}", f"therapy-{n}", f"Liệu pháp {n}")
    vietnamese.get(url)  # warm the per-process caches (content types, site root paths)
    documents_follow_content["drain"]()  # the read model catches up first, as after a commit
    with CaptureQueriesContext(connection) as two:
        assert "Liệu pháp 1 · Therapy 1" in text(vietnamese.get(url))
    for n in range(2, 6):
        factories.make_therapy(therapy_index, f"Therapy {n}", f"therapy-{n}", f"Liệu pháp {n}")
    documents_follow_content["drain"]()
    with django_assert_num_queries(len(two.captured_queries)):
        assert "Liệu pháp 5 · Therapy 5" in text(vietnamese.get(url))


def test_page_chooser_search_is_a_named_landmark_in_vietnamese(therapy_index, vietnamese):
    """The chooser opens over the admin, whose sidebar has a search landmark of its own: the
    chooser's form is named (axe: landmark-unique), and its screen-reader button reads
    Vietnamese, not Wagtail's hard-coded "Search"."""
    response = vietnamese.get(reverse("wagtailadmin_choose_page_child", args=[therapy_index.pk]))
    assert response.status_code == 200
    form = re.search(r'<form[^>]*role="search"[^>]*>', text(response)).group(0)
    assert 'aria-label="Tìm kiếm trong danh sách này"' in form
    assert re.search(r'<input type="submit" value="Tìm kiếm"', text(response))
    assert 'value="Search"' not in text(response)
