"""Structure in the Translate view: a block removed from English leaves Vietnamese only when
the editor confirms it, blocks written only in Vietnamese stay, and wagtail-modeltranslation's
"Copy content from" asks before overwriting a field."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.users.models import UserProfile

from workspace.workspace import Workspace

from .test_translate_workspace import (
    edit_english,
    english_ids,
    form_for,
    html,
    latest,
    messages_of,
    url,
)

pytestmark = pytest.mark.django_db


def body_vi_ids(page):
    return [item["id"] for item in page.body_vi.get_prep_value()]


@pytest.fixture
def paired_article(admin_client, rich_article):
    """The rich article after one workspace save: its Vietnamese blocks carry English ids."""
    assert admin_client.post(url(rich_article), form_for(rich_article)).status_code == 302
    assert english_ids(rich_article)["heading"] in body_vi_ids(latest(rich_article))
    return rich_article


def drop_english_heading(page):
    heading = english_ids(page)["heading"]
    edit_english(page, lambda body: body.remove(next(b for b in body if b["id"] == heading)))
    return heading


def removed_list(response):
    return re.findall(r'data-removed-block="([^"]+)"', html(response))


def test_a_block_removed_in_english_is_listed_and_kept_until_confirmed(
    admin_client, paired_article
):
    heading = drop_english_heading(paired_article)
    response = admin_client.get(url(paired_article))
    page = html(response)
    assert removed_list(response) == [f"body/{heading}"]
    assert "Removed from English" in page
    assert "Bằng chứng nói gì 0" in page  # the Vietnamese text the editor is about to drop
    assert f'name="remove:body/{heading}"' in page

    # Saving without ticking it keeps the block.
    response = admin_client.post(url(paired_article), form_for(paired_article, title="Tiêu đề"))
    assert response.status_code == 302
    assert heading in body_vi_ids(latest(paired_article))
    assert removed_list(admin_client.get(url(paired_article))) == [f"body/{heading}"]


def test_a_confirmed_removal_leaves_vietnamese_and_stays_in_revision_history(
    admin_client, paired_article
):
    heading = drop_english_heading(paired_article)
    previous = Page.objects.get(pk=paired_article.pk).latest_revision
    response = admin_client.post(
        url(paired_article), form_for(paired_article) | {f"remove:body/{heading}": "on"}
    )
    assert response.status_code == 302
    assert any("1 block removed from English was removed" in m for m in messages_of(response))

    after = Page.objects.get(pk=paired_article.pk)
    assert after.latest_revision_id != previous.pk
    draft = after.latest_revision.as_object()
    assert heading not in body_vi_ids(draft)
    assert body_vi_ids(draft) == [item["id"] for item in draft.body_en.get_prep_value()]
    # The previous revision still holds the block and its Vietnamese text.
    [old] = [b for b in previous.as_object().body_vi.get_prep_value() if b["id"] == heading]
    assert old["value"]["text"] == "Bằng chứng nói gì 0"
    assert removed_list(admin_client.get(url(paired_article))) == []


def test_a_vietnamese_only_block_is_shown_and_never_removed(admin_client, paired_article):
    page = latest(paired_article)
    body = list(page.body_vi.get_prep_value())
    body.append(
        {
            "type": "heading",
            "id": "vi-only",
            "value": {"text": "Chỉ có ở bản tiếng Việt", "level": "h2"},
        }
    )
    page.body_vi = body
    with translation.override("en"):
        page.save_revision()

    response = admin_client.get(url(paired_article))
    text = html(response)
    assert "Blocks only in Vietnamese" in text
    assert 'data-target-only-block="body/vi-only"' in text
    assert "Chỉ có ở bản tiếng Việt" in text
    assert removed_list(response) == []
    assert 'name="remove:body/vi-only"' not in text

    # Even a forged removal leaves it in place.
    response = admin_client.post(
        url(paired_article), form_for(paired_article) | {"remove:body/vi-only": "on"}
    )
    assert response.status_code == 302
    assert "vi-only" in body_vi_ids(latest(paired_article))


def test_the_vietnamese_admin_sees_removed_blocks_in_vietnamese(
    admin_client, paired_article, django_user_model
):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    drop_english_heading(paired_article)
    page = html(admin_client.get(url(paired_article)))
    assert "Đã bị xóa khỏi bản tiếng Anh" in page
    assert "Xóa khỏi bản tiếng Việt" in page


# -- wagtail-modeltranslation's "Copy content from" ---------------------------------------


def copy_confirmation(response):
    """The confirmation messages the edit page gives its "Copy content from" buttons."""
    match = re.search(
        r'<script id="copy-content-confirm" type="application/json">(.*?)</script>',
        html(response),
        re.S,
    )
    assert match, "no confirmation data on the edit page"
    return json.loads(match.group(1))["messages"]


def test_copy_content_asks_before_overwriting_in_the_editors_language(
    admin_client, rich_article, django_user_model
):
    edit_url = reverse("wagtailadmin_pages:edit", args=[rich_article.pk])
    response = admin_client.get(edit_url)
    page = html(response)
    # The library's one-click copy buttons are on the page, and so is the script that asks.
    assert "wagtail_modeltranslation/js/copy_stream_fields.js" in page
    assert "workspace/copy_confirm.js" in page
    assert copy_confirmation(response)["en>vi"] == (
        "Replace the Vietnamese content with the English? "
        "The current Vietnamese text will be overwritten."
    )

    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    messages = copy_confirmation(admin_client.get(edit_url))
    assert messages["en>vi"] == (
        "Thay nội dung tiếng Việt bằng nội dung tiếng Anh? "
        "Văn bản tiếng Việt hiện tại sẽ bị ghi đè."
    )
    assert messages["vi>en"] == (
        "Thay nội dung tiếng Anh bằng nội dung tiếng Việt? Văn bản tiếng Anh hiện tại sẽ bị ghi đè."
    )


def test_reading_many_workspaces_asks_nothing_of_revision_history(admin_client, paired_article):
    """The report reads a workspace per page from preloaded data: no query per page."""

    drop_english_heading(paired_article)
    real_page = Page.objects.get(pk=paired_article.pk).specific
    draft = real_page.get_latest_revision_as_object()
    with CaptureQueriesContext(connection) as queries:
        workspace = Workspace(real_page, "vi", draft, [])
        workspace.progress()
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert [b.removed for b in workspace.target_only] == [True]
    assert len(queries) == 1  # the history, only when the workspace view asks


# -- "Copy structure from English" -------------------------------------------------------------


@pytest.fixture
def untranslated(article_index, prp, exosomes, doctors, pictures, clinic):
    """A new article whose Vietnamese body is still empty."""
    from .api_fixtures import rich_body
    from .factories import make_article

    return make_article(
        article_index,
        "New article",
        "new-article",
        body_en=rich_body(prp, exosomes, doctors, pictures),
        body_vi=[],
    )


def test_copy_structure_asks_then_lays_out_every_segment_as_missing(
    admin_client, untranslated, django_user_model
):
    from workspace.models import SegmentTranslation
    from workspace.segments import page_segments

    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    segments = page_segments(latest(untranslated))
    page = html(admin_client.get(url(untranslated)))
    assert 'name="copy_structure"' in page
    assert "Sao chép cấu trúc từ bản tiếng Anh" in page

    # The first click only asks.
    asked = html(
        admin_client.post(url(untranslated), form_for(untranslated) | {"copy_structure": "1"})
    )
    assert f"Dựng {len(segments)} phân đoạn tiếng Anh thành phân đoạn còn thiếu" in asked
    assert 'name="copy_structure_confirm"' in asked
    assert not SegmentTranslation.objects.exists()

    revisions = Page.objects.get(pk=untranslated.pk).revisions.count()
    response = admin_client.post(
        url(untranslated), form_for(untranslated) | {"copy_structure_confirm": "1"}
    )
    assert response.status_code == 302
    assert (
        f"Đã dựng cấu trúc theo bản tiếng Anh: {len(segments)} phân đoạn"
        in (messages_of(response)[0])
    )
    records = SegmentTranslation.objects.filter(page=untranslated, lang="vi")
    assert sorted(r.segment_id for r in records) == sorted(s.id for s in segments)
    assert {r.target for r in records} == {""}
    # Every segment shows as missing; the body holds no unfinished block; no revision needed.
    page = html(admin_client.get(url(untranslated, "?filter=missing")))
    assert page.count('data-status="missing"') == len(segments)
    assert f"0 trên {len(segments)} phân đoạn đã dịch" in page
    assert 'name="copy_structure"' not in page
    assert list(latest(untranslated).body_vi.get_prep_value()) == []
    assert Page.objects.get(pk=untranslated.pk).revisions.count() == revisions

    # A translated heading enters the body with the English block id.
    heading = english_ids(untranslated)["heading"]
    admin_client.post(
        url(untranslated), form_for(untranslated, **{f"body/{heading}/text": "Bằng chứng"})
    )
    assert body_vi_ids(latest(untranslated)) == [heading]


def test_copy_structure_keeps_a_separately_written_body_and_adopts_english_ids(
    admin_client, rich_article
):
    before = latest(rich_article)
    texts = json.dumps([b["value"] for b in before.body_vi.get_prep_value()], ensure_ascii=False)
    assert 'name="copy_structure"' in html(admin_client.get(url(rich_article)))
    response = admin_client.post(
        url(rich_article), form_for(rich_article) | {"copy_structure_confirm": "1"}
    )
    assert response.status_code == 302
    after = latest(rich_article)
    assert body_vi_ids(after) == [item["id"] for item in after.body_en.get_prep_value()]
    assert (
        json.dumps([b["value"] for b in after.body_vi.get_prep_value()], ensure_ascii=False)
        == texts
    )
    assert 'name="copy_structure"' not in html(admin_client.get(url(rich_article)))
