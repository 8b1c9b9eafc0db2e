"""The API's ``translations[lang].segments``: segment counts of the published text, recorded
at publish time and read with the status rows the API already prefetches."""

import pytest
from django.utils import translation
from wagtail.models import Page

from editorial.migration import count_missing_segments
from editorial.models import PageLanguageStatus
from readmodel import outbox
from workspace.workspace import Workspace

from . import factories

pytestmark = pytest.mark.django_db

BODY = [
    {"type": "heading", "id": "h1", "value": {"text": "How PRP works", "level": "h2"}},
    {"type": "paragraph", "id": "p1", "value": "<p>First.</p><p>Second <b>part</b>.</p>"},
]


# The Vietnamese body translates the paragraph, not the heading yet: complete enough to go
# live (docs/RELEASES.md: every field English has is filled), one segment short.
BODY_VI = [
    {"type": "paragraph", "id": "p1", "value": "<p>Thứ nhất.</p><p>Phần <b>thứ hai</b>.</p>"}
]


@pytest.fixture
def article(article_index):
    # Segments: title, slug, lead, heading text, two paragraphs = 6.
    return factories.make_article(
        article_index,
        "Healing with plasma",
        "plasma",
        "Chữa lành",
        "chua-lanh",
        body_en=BODY,
        body_vi=BODY_VI,
    )


def segments(client, page, lang="vi"):
    response = client.get(f"/api/v1/pages/{page.pk}/?lang={lang}")
    assert response.status_code == 200, response.content
    return response.json()["translations"]


def publish_latest(page):
    page = Page.objects.get(pk=page.pk).specific
    with translation.override("en"):
        page.get_latest_revision().publish()


def test_counts_describe_the_published_text(client, article):
    found = segments(client, article)
    # Title, slug, lead and the paragraph are written in Vietnamese; the heading is not.
    assert found["vi"]["segments"] == {"total": 6, "translated": 5, "missing": 1, "stale": 0}
    assert found["en"]["segments"] == {"total": 6, "translated": 6, "missing": 0, "stale": 0}


def test_a_draft_changes_nothing_until_published(client, article):
    workspace = Workspace(Page.objects.get(pk=article.pk).specific, "vi")
    workspace.save({"body/h1/text": "PRP hoạt động thế nào"}, set(), None, workspace.revision_id)
    assert segments(client, article)["vi"]["segments"]["missing"] == 1
    publish_latest(article)
    counts = segments(client, article)["vi"]["segments"]
    assert counts == {"total": 6, "translated": 6, "missing": 0, "stale": 0}


def test_an_english_change_published_makes_the_translation_stale(client, article):
    workspace = Workspace(Page.objects.get(pk=article.pk).specific, "vi")
    workspace.save({"body/h1/text": "PRP hoạt động thế nào"}, set(), None, workspace.revision_id)
    publish_latest(article)
    page = Page.objects.get(pk=article.pk).specific.get_latest_revision_as_object()
    body = page.body_en.get_prep_value()
    body[0]["value"]["text"] = "How PRP really works"
    page.body_en = body
    with translation.override("en"):
        page.save_revision().publish()
    found = segments(client, article, "en")["vi"]
    assert found["segments"] == {"total": 6, "translated": 5, "missing": 0, "stale": 1}
    assert found["stale"] is True and found["state"] == "live"  # its text, now out of date


def test_a_page_without_recorded_counts_says_null(client, article):
    from editorial.models import PageLanguageStatus

    PageLanguageStatus.objects.filter(page=article).update(segments={})
    found = segments(client, article)
    assert found["vi"]["segments"] is None and found["en"]["segments"] is None


def test_pages_published_before_counts_existed_get_them_after_migrate(client, article):
    """An upgrade: live statuses recorded without counts said ``segments: null``."""
    PageLanguageStatus.objects.filter(page_id=article.pk).update(segments={})
    outbox.rebuild_pages([article.pk])
    assert segments(client, article)["vi"]["segments"] is None

    count_missing_segments(verbosity=0)

    assert segments(client, article)["vi"]["segments"] == {
        "total": 6,
        "translated": 5,
        "missing": 1,
        "stale": 0,
    }
