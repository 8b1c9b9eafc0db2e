"""The admin speaks the editor's language, whatever page the same worker served before.

Django's active translation is per thread and outlives the request that set it; the
test client runs every request in this one thread, as a worker does.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def text(response):
    return response.content.decode()


@pytest.fixture
def reader_saw_vietnamese(home):
    """A reader's request for the Vietnamese home page, served by this worker (thread)."""
    response = Client().get("/vi/")
    assert response.status_code == 200 and html_lang(response) == "vi"


def editor(django_user_model, username, preference=None):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.com", "pw-for-tests-only", is_superuser=True
    )
    if preference is not None:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = preference
        profile.save()
    client = Client()
    client.force_login(user)
    return client


def test_login_page_after_a_vietnamese_page_is_in_the_admin_default(reader_saw_vietnamese):
    response = Client().get("/admin/login/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Sign in to Wagtail" in text(response) and "Đăng nhập" not in text(response)


def test_password_reset_page_after_a_vietnamese_page_is_in_the_admin_default(
    reader_saw_vietnamese,
):
    response = Client().get("/admin/password_reset/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Reset your password" in text(response)
    assert "Đặt lại mật khẩu" not in text(response)


def test_each_editor_gets_their_preference_or_the_admin_default(home, django_user_model):
    without = editor(django_user_model, "lan")
    chose_english = editor(django_user_model, "minh", preference="en")
    chose_vietnamese = editor(django_user_model, "hoa", preference="vi")
    for public_page in ("/vi/", "/en/", "/vi/"):
        assert Client().get(public_page).status_code == 200
        response = without.get("/admin/")
        assert response.status_code == 200
        assert html_lang(response) == "en" and "Dashboard" in text(response), public_page
        assert "Trang tổng quan" not in text(response)
        response = chose_english.get("/admin/")
        assert html_lang(response) == "en" and "Trang tổng quan" not in text(response)
        response = chose_vietnamese.get("/admin/")
        assert html_lang(response) == "vi" and "Trang tổng quan" in text(response)
        # The next anonymous visitor of the login page is not served in her language.
        assert html_lang(Client().get("/admin/login/")) == "en"


@pytest.fixture
def staff_document(db):
    root = Collection.get_first_root_node()
    staff = root.add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=staff,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="staff-2024",
    )
    return get_document_model().objects.create(
        title="Rota", collection=staff, file=ContentFile(b"rota", name="rota.txt")
    )


def test_document_password_form_follows_the_readers_accept_language(
    reader_saw_vietnamese, staff_document
):
    english = Client().get(staff_document.url)
    assert "You need a password to access this document." in text(english)
    vietnamese = Client(HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9").get(staff_document.url)
    assert "Bạn cần mật khẩu để truy cập tài liệu này." in text(vietnamese)
    # The Vietnamese reader does not leave the next (English) reader a Vietnamese form.
    assert "You need a password" in text(Client(HTTP_ACCEPT_LANGUAGE="en").get(staff_document.url))
