"""Where Wagtail's own Vietnamese is wrong, the project's override is what editors see.

The overrides sit at the end of locale/wagtail/vi/LC_MESSAGES/*.po; docs/ADMIN_TRANSLATION.md
lists them and holds the glossary ("Terms") they must follow.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from home.management.commands.admin_translation_coverage import parse_po

from .admin_glossary import glossary

SUPPLEMENT = Path(settings.BASE_DIR) / "locale" / "wagtail" / "vi" / "LC_MESSAGES"
OVERRIDES_START = "# Overrides of Wagtail's own vi"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfi]|\{\w*\}")

# English msgid -> what a Vietnamese editor must read (Wagtail's own wording in the .po comments).
SERVER_STRINGS = {
    "Submit to %(workflow_name)s": "Gửi tới %(workflow_name)s",
    "Resubmit to %(task_name)s": "Gửi lại tới %(task_name)s",
    "%(label)s and Publish": "%(label)s và xuất bản",
    "Approve": "Phê duyệt",
    "Approve with comment": "Phê duyệt kèm bình luận",
    "Site": "Trang web",
    "Sites": "Trang web",
    "Settings": "Cài đặt",
    "New parent page": "Trang cha mới",
    "This copy will be a child of this given parent page.": (
        "Bản sao này sẽ là trang con của trang cha đã chọn."
    ),
    "All collections": "Tất cả bộ sưu tập",
    "Parent": "Trang cha",
    "Locale": "Ngôn ngữ",
}
JAVASCRIPT_STRINGS = {
    "Delete error": "Lỗi khi xóa",
    "Save error": "Lỗi khi lưu",
    "Settings": "Cài đặt",
}


@pytest.mark.parametrize("english", SERVER_STRINGS)
def test_wagtail_strings_read_as_the_override(english):
    with translation.override("vi"):
        assert translation.gettext(english) == SERVER_STRINGS[english]


def overrides(name):
    """The entries written after the overrides banner of a supplement file."""
    text = (SUPPLEMENT / name).read_text(encoding="utf-8")
    assert OVERRIDES_START in text
    # Continued string lines joined, so a msgid reads as it does in one line.
    section = re.sub(r'"\n"', "", text[text.index(OVERRIDES_START) :])
    return [
        entry
        for entry in parse_po(SUPPLEMENT / name)
        if f"msgid {json.dumps(entry.msgid, ensure_ascii=False)}" in section
    ]


@pytest.mark.parametrize("name", ["django.po", "djangojs.po"])
def test_every_override_follows_the_glossary(name):
    terms = glossary()
    assert terms["site"] == "trang web" and terms["settings"] == "cài đặt"
    assert terms["approve"] == "phê duyệt" and terms["collection"] == "bộ sưu tập"
    checked = 0
    for entry in overrides(name):
        english = PLACEHOLDER.sub("", entry.msgid).lower()
        vietnamese = entry.msgstr[0].lower()
        for term, translated in terms.items():
            if re.search(rf"\b{re.escape(term)}s?\b", english):
                assert translated in vietnamese, (entry.msgid, term, translated)
                checked += 1
    assert checked >= (15 if name == "django.po" else 1)


def test_overrides_are_served():
    # Each override beats Wagtail's own catalogue (LOCALE_PATHS order); the JavaScript ones
    # are checked through the admin's catalogue view below.
    with translation.override("vi"):
        for entry in overrides("django.po"):
            assert translation.gettext(entry.msgid) == entry.msgstr[0], entry.msgid


@pytest.fixture
def vietnamese_editor(admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    return admin_client


@pytest.mark.django_db
def test_copy_page_form_in_vietnamese(vietnamese_editor, article):
    html = vietnamese_editor.get(reverse("wagtailadmin_pages:copy", args=(article.pk,)))
    html = html.content.decode()
    assert "Trang cha mới" in html
    assert "Bản sao này sẽ là trang con của trang cha đã chọn." in html
    assert "Thêm một trang cha" not in html and "Nhân bản này sẽ có cùng vị trí." not in html


@pytest.mark.django_db
def test_workflow_button_in_vietnamese(vietnamese_editor, article):
    html = vietnamese_editor.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    html = html.content.decode()
    assert "Gửi tới Medical review" in html
    assert "Thực hiện Medical review" not in html


@pytest.mark.django_db
def test_javascript_strings_in_vietnamese(vietnamese_editor):
    js = vietnamese_editor.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for english, vietnamese in JAVASCRIPT_STRINGS.items():
        assert f"{json.dumps(english)}: {json.dumps(vietnamese)}" in js, english
