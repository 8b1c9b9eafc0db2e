"""Segment progress of the latest draft ("42 of 57 segments, 3 stale") in the page
explorer's translations column and in the Missing translations report, linked to the
Translate workspace."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from . import factories
from .api_fixtures import make_rich_article

pytestmark = pytest.mark.django_db


def workspace_url(page):
    return reverse("translate:page", args=[page.pk, "vi"])


def explorer(client, parent):
    return client.get(reverse("wagtailadmin_explore", args=[parent.pk])).content.decode()


def cell_progress(html, page):
    """The explorer row of ``page``: its segment progress line, as the editor reads it."""
    row = next(r for r in html.split("<tr") if page.title_en in r)
    match = re.search(r'data-segment-progress="vi">(.*?)</div>', row, re.S)
    assert match, row
    return match.group(1)


def workspace_counts(client, page):
    """``(done, total)`` as the workspace itself shows them."""
    text = client.get(workspace_url(page)).content.decode()
    match = re.search(r"(\d+) (?:of|trên) (\d+) ", text)
    return match.group(1), match.group(2)


def translate_and_make_stale(client, page):
    """Translate the doctor quote in the workspace, then change its English: one stale."""
    body = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object().body_en
    quote_id = next(item["id"] for item in body.get_prep_value() if item["type"] == "doctor_quote")
    segment = f"body/{quote_id}/quote"
    revision = Page.objects.get(pk=page.pk).latest_revision_id
    client.post(workspace_url(page), {"revision": revision, f"t:{segment}": "Hãy thực tế."})
    latest = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    data = [dict(item) for item in latest.body_en.get_prep_value()]
    quote = next(item for item in data if item["type"] == "doctor_quote")
    quote["value"] = dict(quote["value"], quote="Be realistic about results.")
    latest.body_en = data
    with translation.override("en"):
        latest.save_revision()


@pytest.fixture
def vi_admin_client(admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    return admin_client


def test_explorer_shows_draft_segment_progress_linked_to_the_workspace(admin_client, rich_article):
    translate_and_make_stale(admin_client, rich_article)
    done, total = workspace_counts(admin_client, rich_article)
    cell = cell_progress(explorer(admin_client, rich_article.get_parent()), rich_article)
    assert f'VI draft: <a href="{workspace_url(rich_article)}"' in cell
    assert f">{done} of {total} segments, 1 stale</a>" in cell


def test_explorer_in_vietnamese_shows_the_progress_in_vietnamese(vi_admin_client, rich_article):
    translate_and_make_stale(vi_admin_client, rich_article)
    done, total = workspace_counts(vi_admin_client, rich_article)
    cell = cell_progress(explorer(vi_admin_client, rich_article.get_parent()), rich_article)
    assert f'Bản nháp VI: <a href="{workspace_url(rich_article)}"' in cell
    assert f">{done}/{total} phân đoạn, 1 đã cũ</a>" in cell
    assert 'title="Mở không gian dịch"' in cell


def test_a_page_with_nothing_stale_shows_no_stale_count(admin_client, article):
    done, total = workspace_counts(admin_client, article)
    cell = cell_progress(explorer(admin_client, article.get_parent()), article)
    assert f">{done} of {total} segments</a>" in cell and "stale" not in cell


def test_without_edit_permission_the_counts_show_without_the_link(client, rich_article):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("viewer", password="pw-for-tests-only")
    group = Group.objects.create(name="Viewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=rich_article.get_parent(), permission_type="add"
    )
    user.groups.add(group)
    client.force_login(user)
    # "add" lets an editor edit only the pages they own: not this one.
    cell = cell_progress(explorer(client, rich_article.get_parent()), rich_article)
    assert "segments" in cell and "<a " not in cell


def test_explorer_query_count_does_not_grow_with_the_pages_listed(
    admin_client, home, prp, exosomes, doctors, pictures, clinic
):
    counts = []
    for size in (3, 10):
        index = factories.publish_child(
            home,
            factories._page(
                factories.ArticleIndexPage,
                f"Index {size}",
                f"index-{size}",
                f"Mục {size}",
                f"muc-{size}",
            ),
        )
        pages = [
            make_rich_article(index, prp, exosomes, doctors, pictures, f"p{size}-{n}")
            for n in range(size)
        ]
        translate_and_make_stale(admin_client, pages[0])
        explorer(admin_client, index)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            html = explorer(admin_client, index)
        assert html.count("data-segment-progress=") == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_missing_translations_report_shows_draft_segment_progress(vi_admin_client, rich_article):
    translate_and_make_stale(vi_admin_client, rich_article)
    done, total = workspace_counts(vi_admin_client, rich_article)
    text = vi_admin_client.get(reverse("editorial:missing_translations")).content.decode()
    assert "Bản nháp: phân đoạn" in text
    row = next(r for r in text.split("<tr") if workspace_url(rich_article) in r)
    assert f"{done}/{total} phân đoạn, 1 đã cũ" in row


def test_missing_translations_report_query_count_does_not_grow(
    admin_client, article_index, prp, exosomes, doctors, pictures, clinic
):
    url = reverse("editorial:missing_translations")
    pages = []
    counts = []
    for size in (3, 10):
        while len(pages) < size:
            page = make_rich_article(
                article_index, prp, exosomes, doctors, pictures, f"r{len(pages)}"
            )
            translate_and_make_stale(admin_client, page)
            pages.append(page)
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            text = admin_client.get(url).content.decode()
        assert text.count(" segments, 1 stale") == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_missing_translations_csv_export_carries_the_progress(admin_client, rich_article):
    translate_and_make_stale(admin_client, rich_article)
    done, total = workspace_counts(admin_client, rich_article)
    response = admin_client.get(reverse("editorial:missing_translations"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Draft segments" in text.splitlines()[0]
    assert f"{done} of {total} segments, 1 stale" in text
