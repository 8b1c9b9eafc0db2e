"""Dates and relative times in the admin: the editor's language, the site's time zone."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietnamese_editor(admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    return admin_client


def test_explorer_says_when_a_page_changed_in_vietnamese_in_the_sites_time_zone(
    vietnamese_editor, prp, therapy_index
):
    # Wagtail measures "… ago" against the real clock, so the edit is placed relative to it.
    edited = timezone.now() - timedelta(minutes=4, seconds=30)
    Page.objects.filter(pk=prp.pk).update(latest_revision_created_at=edited)
    html = vietnamese_editor.get(reverse("wagtailadmin_explore", args=[therapy_index.pk]))
    html = html.content.decode()
    assert re.search(r">\s*4\xa0phút trước\s*<", html)
    assert "minutes" not in html
    # The machine-readable time is in Asia/Ho_Chi_Minh (UTC+7), not UTC.
    assert re.search(r'<time[^>]*datetime="[^"]+\+07:00"', html)


def test_older_changes_read_in_days_and_weeks(vietnamese_editor, prp, therapy_index):
    Page.objects.filter(pk=prp.pk).update(
        latest_revision_created_at=timezone.now() - timedelta(days=9)
    )
    html = vietnamese_editor.get(reverse("wagtailadmin_explore", args=[therapy_index.pk]))
    assert re.search(r">\s*1\xa0tuần trước\s*<", html.content.decode())


def test_profile_offers_only_time_zones_a_browser_knows(vietnamese_editor):
    html = vietnamese_editor.get(reverse("wagtailadmin_account")).content.decode()
    select = re.search(r'<select name="locale-current_time_zone".*?</select>', html, re.S)
    options = re.findall(r'<option value="([^"]*)"', select.group(0))
    assert "Asia/Ho_Chi_Minh" in options and "UTC" in options
    for invalid in ("localtime", "Factory", "posixrules"):
        assert invalid not in options
    # Unset means the site's zone, which the form names.
    assert 'data-w-locale-server-time-zone-param="Asia/Ho_Chi_Minh"' in select.group(0)
