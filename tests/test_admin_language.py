"""The admin speaks the editor's language, whatever page the same worker served before.

Django's active translation is per thread and outlives the request that set it; the
test client runs every request in this one thread, as a worker does.
"""

import html
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page
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


# -- Forms built once per worker keep no language ---------------------------------------------

VIETNAMESE_LETTERS = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĩũ"
VIETNAMESE_WORD = re.compile(rf"\S*[{VIETNAMESE_LETTERS}{VIETNAMESE_LETTERS.upper()}]\S*")


def readable(response):
    """The page as shown: block definitions (JSON ``\\uXXXX``) and HTML entities decoded."""
    content = re.sub(
        r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), response.content.decode()
    )
    return html.unescape(content)


def admin_forms(home, article_index, therapy_index, article):
    """Every form an editor opens: each page type's add form, an article's edit form, each
    snippet's add form and the site settings."""
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.models import get_page_models
    from wagtail.snippets.models import get_snippet_models

    parents = [home, article_index, therapy_index]
    urls = [f"/admin/pages/{article.pk}/edit/"]
    for model in get_page_models():
        if not model.is_creatable:
            continue
        parent = next((p for p in parents if model.can_create_at(p)), None)
        if parent is not None:
            urls.append(
                f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
            )
    for model in get_snippet_models():
        urls.append(reverse(model.snippet_viewset.get_url_name("add")))
    for model in settings_registry:
        urls.append(
            reverse("wagtailsettings:edit", args=[model._meta.app_label, model._meta.model_name])
        )
    return urls


def test_forms_opened_in_vietnamese_first_stay_english_for_an_english_editor(
    home, article_index, therapy_index, article, django_user_model
):
    """Wagtail builds a chooser block's widget once per process, with its labels ("Choose a page
    (Therapy page)") in whatever language was active: a Vietnamese editor opening a form first
    fixed them in Vietnamese for every editor of that worker."""
    urls = admin_forms(home, article_index, therapy_index, article)
    assert len(urls) >= 6
    vietnamese = editor(django_user_model, "lan", "vi")
    opened = []
    for url in urls:
        response = vietnamese.get(url)
        if response.status_code == 200:  # read-only snippets (webhook deliveries) have no add form
            assert html_lang(response) == "vi", url
            opened.append(url)
    assert (
        f"/admin/pages/{article.pk}/edit/" in opened
        and "/admin/snippets/therapies/doctor/add/" in opened
    )
    english = editor(django_user_model, "anna", "en")
    # Vietnamese an English admin shows on purpose: the language's name, the example of the
    # red-flag phrase help text, and the pages' Vietnamese titles (as hints after the English).
    content = {"Tiếng Việt", "“vĩnh viễn”"} | {
        title for page in Page.objects.all() for title in [getattr(page.specific, "title_vi", "")]
    }
    for url in opened:
        shown = readable(english.get(url))
        if url.endswith("/edit/"):  # the article's Vietnamese text is in its form: the labels only
            assert "Choose a page (Therapy page)" in shown and "Chọn" not in shown
            continue
        for text in content:
            shown = shown.replace(text, "") if text else shown
        assert VIETNAMESE_WORD.findall(shown) == [], url


def test_forms_opened_in_english_first_stay_vietnamese_for_a_vietnamese_editor(
    home, article_index, therapy_index, article, django_user_model
):
    urls = admin_forms(home, article_index, therapy_index, article)
    english = editor(django_user_model, "anna", "en")
    opened = [url for url in urls if english.get(url).status_code == 200]
    vietnamese = editor(django_user_model, "lan", "vi")
    for url in opened:
        shown = readable(vietnamese.get(url))
        assert re.findall(r"Choose [^<\"]*|What's new[^<\"]*", shown) == [], url
    shown = readable(vietnamese.get(f"/admin/pages/{article.pk}/edit/"))
    assert "Chọn một trang (Trang liệu pháp)" in shown and "Có gì mới trong Wagtail" in shown
