"""The edit screen opens with the editor's own language shown, then with what each editor chose.

wagtail-modeltranslation's "View / edit fields for" toggles read the languages to show
from the ``w-edit-languages`` JSON the edit form carries (the script itself runs in the
browser test, tests/test_browser_admin_vietnamese.py).
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from editorial.models import EditLanguages

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


def shown(response):
    """The languages the edit screen opens with, as the toggles' script reads them."""
    assert response.status_code == 200
    found = re.search(
        r'<script id="w-edit-languages" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert found, "the edit screen carries no language choice"
    return json.loads(found.group(1))["shown"]


@pytest.fixture
def vi_editor(django_user_model):
    return editor(django_user_model, "lan", "vi")


@pytest.fixture
def en_editor(django_user_model):
    return editor(django_user_model, "anna", "en")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_vietnamese_editor_opens_the_edit_screen_on_the_vietnamese_fields(vi_editor, prp):
    response = vi_editor.get(edit_url(prp))
    assert shown(response) == ["vi"]
    assert "Xem / sửa các trường của" in response.content.decode()  # the toggles' heading


def test_english_editor_opens_the_edit_screen_on_the_english_fields(en_editor, prp):
    assert shown(en_editor.get(edit_url(prp))) == ["en"]


def test_snippet_and_create_screens_open_on_the_editors_language(vi_editor, therapy_index, doctor):
    add = reverse("wagtailadmin_pages:add", args=["therapies", "therapypage", therapy_index.pk])
    assert shown(vi_editor.get(add)) == ["vi"]
    doctor_edit = reverse(
        f"wagtailsnippets_{doctor._meta.app_label}_{doctor._meta.model_name}:edit",
        args=[doctor.pk],
    )
    assert shown(vi_editor.get(doctor_edit)) == ["vi"]


def test_a_choice_is_remembered_for_that_editor_only(vi_editor, en_editor, prp):
    response = vi_editor.post(reverse("editorial:edit_languages"), {"languages": ["vi", "en"]})
    assert response.status_code == 200
    assert response.json() == {"languages": ["en", "vi"]}

    assert shown(vi_editor.get(edit_url(prp))) == ["en", "vi"]
    assert shown(en_editor.get(edit_url(prp))) == ["en"]

    vi_editor.post(reverse("editorial:edit_languages"), {"languages": ["en"]})
    assert shown(vi_editor.get(edit_url(prp))) == ["en"]
    assert EditLanguages.objects.get(user__username="lan").languages == ["en"]


def test_hiding_every_language_opens_the_next_screen_on_the_editors_language(vi_editor, prp):
    response = vi_editor.post(reverse("editorial:edit_languages"), {})
    assert response.json() == {"languages": []}
    assert shown(vi_editor.get(edit_url(prp))) == ["vi"]


def test_an_unknown_language_is_refused_and_the_choice_kept(vi_editor, prp):
    vi_editor.post(reverse("editorial:edit_languages"), {"languages": ["en"]})
    response = vi_editor.post(reverse("editorial:edit_languages"), {"languages": ["fr", "vi"]})
    assert response.status_code == 400
    assert response.json()["error"] == "Ngôn ngữ không xác định: fr. Các ngôn ngữ có: en, vi."
    assert shown(vi_editor.get(edit_url(prp))) == ["en"]


def test_only_signed_in_editors_can_store_a_choice(db):
    response = Client().post(reverse("editorial:edit_languages"), {"languages": ["vi"]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not EditLanguages.objects.exists()


def test_reading_a_choice_is_not_a_change(vi_editor):
    assert vi_editor.get(reverse("editorial:edit_languages")).status_code == 405
