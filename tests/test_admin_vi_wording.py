"""Words with two meanings keep each meaning in the Vietnamese admin.

The project's catalogues are searched before Wagtail's, so a project msgid equal to one
of Wagtail's ("name", "Groups") replaced Wagtail's wording everywhere; contexts keep them apart.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from cms.language import language_in_sentence

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietnamese(admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    return admin_client


def label_for(html, name):
    match = re.search(rf'<label[^>]*for="id_{name}"[^>]*>(?:<span[^>]*>)?\s*([^<]+?)\s*<', html)
    return match.group(1)


def test_a_doctors_name_is_ho_ten_and_a_groups_name_is_not(vietnamese):
    doctor = vietnamese.get(reverse("wagtailsnippets_therapies_doctor:add")).content.decode()
    assert label_for(doctor, "name") == "Họ tên"
    group = vietnamese.get(reverse("wagtailusers_groups:add")).content.decode()
    assert "Họ tên" not in group
    collection = vietnamese.get(reverse("wagtailadmin_collections:add")).content.decode()
    assert "Họ tên" not in collection


def test_the_users_groups_menu_keeps_wagtails_word(vietnamese):
    with translation.override("vi"):
        assert gettext("Groups") != "Các nhóm"
    html = vietnamese.get(reverse("wagtailusers_groups:index")).content.decode()
    assert "Các nhóm" not in html


def test_red_flag_claims_are_flagged_and_the_override_is_worded_neutrally():
    with translation.override("vi"):
        assert gettext("Red-flag claims") == "Lời quảng cáo bị gắn cờ"
        published = gettext(
            "Published despite red-flag claims; the override is recorded in the page history:"
        )
    assert "bị gắn cờ" in published
    assert "vượt quyền" not in published and "cấm" not in published


def test_language_names_are_lowercase_inside_a_sentence():
    with translation.override("vi"):
        assert str(language_in_sentence("en")) == "tiếng Anh"
        assert str(language_in_sentence("vi")) == "tiếng Việt"
        assert (
            gettext("Translate into %(language)s") % {"language": language_in_sentence("vi")}
            == "Dịch sang tiếng Việt"
        )
    with translation.override("en"):
        assert str(language_in_sentence("vi")) == "Vietnamese"
