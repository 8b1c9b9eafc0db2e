"""Flags describe what is live: readers and API clients are told about the published text.

A saved draft changes what the editor's panels say about the draft (labelled as the
draft's), never ``translations[lang]`` in the API or the notices readers see, until
it is published.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from cms.api.preview import make_token
from editorial.models import PageLanguageStatus
from editorial.status import record_live_status
from therapies.models import ArticlePage

from . import factories
from .admin_forms import article_form, paragraph
from .editorial_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db

BODY_EN = "<p>PRP comes from your own blood.</p>"
BODY_VI = "<p>PRP được lấy từ chính máu của bạn.</p>"
LEAD_EN = "How PRP is made."
LEAD_VI = "PRP được tạo ra như thế nào."
SEO_EN = "PRP explained."
SEO_VI = "Giải thích về PRP."
FALLBACK_NOTICE = "notice--fallback"


@pytest.fixture(autouse=True)
def _english_admin(admin_client, publisher, django_user_model):
    """The admin and the publisher work in the English admin.

    Without a preference the admin keeps the language the thread last served a public
    page in (cms.middleware leaves /admin/ alone), and a save in the Vietnamese admin
    refills emptied Vietnamese fields from English: both are other issues.
    """
    for user in (django_user_model.objects.get(username="editor"), publisher):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()


@pytest.fixture
def complete_article(article_index):
    """A published article written in full in both languages."""
    return factories.make_article(
        article_index,
        "What PRP is",
        "what-prp-is",
        "PRP là gì",
        "prp-la-gi",
        lead_en=LEAD_EN,
        lead_vi=LEAD_VI,
        search_description_en=SEO_EN,
        search_description_vi=SEO_VI,
        body_en=[{"type": "paragraph", "value": BODY_EN}],
        body_vi=[{"type": "paragraph", "value": BODY_VI}],
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def post_edit(client, page, action=None, **fields):
    """Post the edit form: the complete article's text, with ``fields`` changed."""
    fields.setdefault("title_vi", "PRP là gì")
    fields.setdefault("lead_en", LEAD_EN)
    fields.setdefault("lead_vi", LEAD_VI)
    fields.setdefault("search_description_en", SEO_EN)
    fields.setdefault("search_description_vi", SEO_VI)
    body_en = fields.pop("body_en", [paragraph(BODY_EN)])
    body_vi = fields.pop("body_vi", [paragraph(BODY_VI)])
    title_vi = fields.pop("title_vi")
    data = article_form(
        "What PRP is",
        "what-prp-is",
        title_vi,
        "prp-la-gi",
        body_en=body_en,
        body_vi=body_vi,
        action=action,
        **fields,
    )
    response = client.post(edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def vietnamese(page):
    """The article as an API client reads it in Vietnamese (a fresh client, through the cache)."""
    response = Client().get(f"/api/v1/pages/{page.pk}/?lang=vi")
    assert response.status_code == 200, response.content
    return response.json()


def listed(page):
    data = Client().get("/api/v1/pages/?lang=vi&type=article").json()
    return next(item for item in data["items"] if item["id"] == page.pk)


def vietnamese_page_html():
    response = Client().get("/vi/bai-viet/prp-la-gi/")
    assert response.status_code == 200
    return response.content.decode()


def panel_cell(html, lang, scope):
    """The edit screen's translation status cell for ``lang`` and ``scope`` (live or draft)."""
    panel = html[html.index("data-editorial-translation-status") :]
    row = panel[panel.index(f'data-lang="{lang}"') :]
    row = row[: row.index("</tr>")]
    cell = row[row.index(f'data-scope="{scope}"') :]
    return " ".join(cell[: cell.index("</td>")].split())


def rows(page, scope):
    return {
        row.lang: row for row in PageLanguageStatus.objects.filter(page_id=page.pk, scope=scope)
    }


# --- completeness ----------------------------------------------------------------------------


def test_a_draft_emptying_the_vietnamese_text_changes_nothing_readers_see_until_published(
    admin_client, publisher_client, complete_article
):
    page = complete_article
    before = vietnamese(page)
    assert before["translations"]["vi"]["complete"] is True
    assert before["translations"]["vi"]["missing"] == []
    assert before["fallbacks"] == []
    assert FALLBACK_NOTICE not in vietnamese_page_html()

    post_edit(publisher_client, page, title_vi="", lead_vi="", body_vi=[])  # a draft

    for data in (vietnamese(page), listed(page)):
        assert data["title"] == "PRP là gì"
        assert data["translations"]["vi"]["complete"] is True
        assert data["translations"]["vi"]["missing"] == []
        assert data["translations"]["vi"]["stale"] is False
        assert data["fallbacks"] == []
    html = vietnamese_page_html()
    assert FALLBACK_NOTICE not in html and "PRP được lấy từ chính máu của bạn." in html

    # The editor sees both, labelled: the live text is complete, the draft is not.
    html = admin_client.get(edit_url(page)).content.decode()
    live, draft = panel_cell(html, "vi", "live"), panel_cell(html, "vi", "draft")
    assert "Live: Complete" in live and "Missing" not in live
    assert "Draft: Incomplete" in draft
    for label in ("Title", "Lead", "Body"):
        assert label in draft
    assert "Live: Complete" in panel_cell(html, "en", "live")

    report = admin_client.get(reverse("editorial:missing_translations"), {"lang": "vi"})
    html = report.content.decode()
    assert edit_url(page) in html
    row = html[html.index(edit_url(page)) :]
    row = row[: row.index("</tr>")]
    assert "Complete" in row and "Missing: Title, Lead, Body" in row

    explorer = admin_client.get(reverse("wagtailadmin_explore", args=(page.get_parent().pk,)))
    html = explorer.content.decode()
    assert "VI: complete" in html and "VI draft: incomplete" in html

    # Published: the emptied Vietnamese is not approved (incomplete), so readers keep the
    # Vietnamese released before (releases), and the flags describe that text.
    post_edit(publisher_client, page, "action-publish", title_vi="", lead_vi="", body_vi=[])
    after = vietnamese(page)
    assert after["title"] == "PRP là gì"
    assert after["translations"]["vi"]["state"] == "pending"
    assert after["translations"]["vi"]["complete"] is True
    assert after["fallbacks"] == []
    html = vietnamese_page_html()
    assert FALLBACK_NOTICE not in html and "PRP được lấy từ chính máu của bạn." in html
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Live: Complete" in panel_cell(html, "vi", "live")
    assert "Draft: Incomplete" in panel_cell(html, "vi", "draft")


def test_a_draft_completing_the_vietnamese_text_is_not_reported_complete_before_it_is_published(
    admin_client, publisher_client, article_index
):
    page = factories.make_article(
        article_index,
        "What PRP is",
        "what-prp-is",
        "PRP là gì",
        "prp-la-gi",
        lead_en=LEAD_EN,
        lead_vi="",
        search_description_en=SEO_EN,
        body_en=[{"type": "paragraph", "value": BODY_EN}],
    )
    # Not approved (incomplete): Vietnamese never went live, its readers get English.
    assert vietnamese(page)["translations"]["vi"]["complete"] is False
    assert vietnamese(page)["translations"]["vi"]["state"] == "missing"

    post_edit(publisher_client, page)  # the full Vietnamese text, as a draft
    data = vietnamese(page)
    assert data["translations"]["vi"]["complete"] is False
    assert set(data["translations"]["vi"]["missing"]) == {
        "title",
        "lead",
        "body",
        "search_description",
    }
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Live: Incomplete" in panel_cell(html, "vi", "live")
    assert "Draft: Complete" in panel_cell(html, "vi", "draft")

    post_edit(publisher_client, page, "action-publish")
    assert vietnamese(page)["translations"]["vi"]["complete"] is True


# --- freshness -------------------------------------------------------------------------------


def test_a_draft_english_change_does_not_make_the_live_vietnamese_stale_publishing_it_does(
    admin_client, publisher_client, complete_article
):
    page = complete_article
    post_edit(publisher_client, page, lead_en="A new English lead.")  # a draft

    for data in (vietnamese(page), listed(page)):
        assert data["translations"]["vi"]["stale"] is False
        assert data["translations"]["vi"]["stale_fields"] == []
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Out of date" not in panel_cell(html, "vi", "live")
    assert "Out of date" in panel_cell(html, "vi", "draft")
    assert "Lead changed in English" in panel_cell(html, "vi", "draft")
    stale_report = admin_client.get(
        reverse("editorial:missing_translations"), {"lang": "vi", "problem": "stale"}
    ).content.decode()
    assert edit_url(page) in stale_report and "Out of date: Lead" in stale_report

    post_edit(publisher_client, page, "action-publish", lead_en="A new English lead.")
    for data in (vietnamese(page), listed(page)):
        assert data["translations"]["vi"]["stale"] is True
        assert data["translations"]["vi"]["stale_fields"] == ["lead"]
        assert data["translations"]["en"]["stale"] is False
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Out of date" in panel_cell(html, "vi", "live")


def test_a_draft_fixing_the_vietnamese_text_leaves_the_live_one_stale_until_published(
    admin_client, publisher_client, complete_article
):
    page = complete_article
    post_edit(publisher_client, page, "action-publish", lead_en="A new English lead.")
    assert vietnamese(page)["translations"]["vi"]["stale_fields"] == ["lead"]

    post_edit(
        publisher_client, page, lead_en="A new English lead.", lead_vi="Một lời dẫn mới."
    )  # the translation is brought up to date in a draft
    assert vietnamese(page)["translations"]["vi"]["stale_fields"] == ["lead"]
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Out of date" in panel_cell(html, "vi", "live")
    assert "Out of date" not in panel_cell(html, "vi", "draft")

    post_edit(
        publisher_client,
        page,
        "action-publish",
        lead_en="A new English lead.",
        lead_vi="Một lời dẫn mới.",
    )
    data = vietnamese(page)
    assert data["translations"]["vi"]["stale"] is False and data["lead"] == "Một lời dẫn mới."


def test_publishing_keeps_the_time_each_text_was_written_in_its_draft(
    publisher_client, complete_article
):
    page = complete_article
    post_edit(publisher_client, page, lead_vi="Một lời dẫn mới.")  # Vietnamese first, a draft
    # English later: the Vietnamese text is older than the English change it should follow.
    post_edit(
        publisher_client,
        page,
        "action-publish",
        lead_en="A new English lead.",
        lead_vi="Một lời dẫn mới.",
    )
    assert vietnamese(page)["translations"]["vi"]["stale_fields"] == ["lead"]


def test_a_confirmation_given_on_the_draft_applies_when_it_is_published(
    admin_client, publisher_client, complete_article
):
    page = complete_article
    post_edit(publisher_client, page, lead_en="A clearer English lead.")  # a draft
    confirm = reverse("editorial:confirm_translation", args=(page.pk, "vi"))
    html = admin_client.get(confirm).content.decode()
    assert "A clearer English lead." in html and LEAD_VI in html
    assert admin_client.post(confirm).status_code == 302

    post_edit(publisher_client, page, "action-publish", lead_en="A clearer English lead.")
    assert vietnamese(page)["translations"]["vi"]["stale"] is False


def test_preview_shows_the_flags_of_the_draft_it_shows(client, publisher_client, complete_article):
    page = complete_article
    post_edit(publisher_client, page, lead_en="A new English lead.", body_vi=[])  # a draft
    preview = client.get(f"/api/v1/preview/?token={make_token(page)}&lang=vi").json()
    assert preview["translations"]["vi"]["stale_fields"] == ["lead"]
    assert preview["translations"]["vi"]["complete"] is False
    live = vietnamese(page)
    assert live["translations"]["vi"]["stale"] is False
    assert live["translations"]["vi"]["complete"] is True


def test_publishing_an_earlier_revision_again_does_not_flag_its_vietnamese_text(
    admin_client, publisher_client, complete_article
):
    """Text neither scope remembers is as old as its revision in both languages.

    The draft and the live text moved on from the first revision's Vietnamese body;
    its English body is still the draft's. Publishing the first revision again (as
    Wagtail's scheduler publishes a revision) gives the two bodies one time.
    """
    page = complete_article
    first = page.live_revision
    post_edit(publisher_client, page, "action-publish", body_vi=[], lead_en="A newer lead.")
    # Not approved (incomplete): readers keep the first revision's Vietnamese.
    assert "body" not in vietnamese(page)["translations"]["vi"]["missing"]
    assert vietnamese(page)["translations"]["vi"]["state"] == "pending"

    with translation.override("en"):
        first.publish()

    data = vietnamese(page)
    assert data["translations"]["vi"]["complete"] is True
    assert data["translations"]["vi"]["stale"] is False
    assert data["translations"]["vi"]["stale_fields"] == []
    html = vietnamese_page_html()
    assert "PRP được lấy từ chính máu của bạn." in html and FALLBACK_NOTICE not in html
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Out of date" not in panel_cell(html, "vi", "live")


# --- unpublish, republish, scheduled ---------------------------------------------------------


def test_unpublishing_drops_the_live_status_and_republishing_records_the_published_text(
    admin_client, publisher_client, complete_article
):
    page = complete_article
    post_edit(publisher_client, page, "action-publish", lead_en="A new English lead.")
    assert vietnamese(page)["translations"]["vi"]["stale"] is True

    ArticlePage.objects.get(pk=page.pk).unpublish()
    assert Client().get(f"/api/v1/pages/{page.pk}/?lang=vi").status_code == 404
    assert rows(page, "live") == {}
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Live: Not published" in panel_cell(html, "vi", "live")
    assert "Out of date" in panel_cell(html, "vi", "draft")
    explorer = admin_client.get(reverse("wagtailadmin_explore", args=(page.get_parent().pk,)))
    assert "VI draft: out of date" in explorer.content.decode()

    # While unpublished, the translation is fixed in a draft.
    post_edit(publisher_client, page, lead_en="A new English lead.", lead_vi="Một lời dẫn mới.")
    assert rows(page, "live") == {}

    post_edit(
        publisher_client,
        page,
        "action-publish",
        lead_en="A new English lead.",
        lead_vi="Một lời dẫn mới.",
    )
    data = vietnamese(page)
    assert data["lead"] == "Một lời dẫn mới." and data["translations"]["vi"]["state"] == "live"
    assert data["translations"]["vi"]["stale"] is False
    assert data["translations"]["vi"]["complete"] is True
    live = rows(page, "live")["vi"]
    assert live.missing == [] and live.stale_fields == []


def test_a_page_scheduled_to_go_live_later_has_no_live_status(publisher_client, article_index):
    page = factories.make_article(
        article_index, "Later", "later", "Sau này", "sau-nay", publish=False
    )
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    page.save_revision().publish()
    assert not ArticlePage.objects.get(pk=page.pk).live
    assert rows(page, "live") == {}
    assert set(rows(page, "draft")) == {"en", "vi"}


# --- existing data, cost ---------------------------------------------------------------------


def _forget_live_rows_as_before_this_change():
    PageLanguageStatus.objects.filter(scope="live").delete()


def test_refresh_command_records_the_live_status_from_the_live_text(
    publisher_client, complete_article
):
    page = complete_article
    post_edit(publisher_client, page, lead_en="A new English lead.", body_vi=[])  # a draft
    _forget_live_rows_as_before_this_change()

    call_command("refresh_editorial_status", stdout=open("/dev/null", "w"))

    live, draft = rows(page, "live")["vi"], rows(page, "draft")["vi"]
    assert live.is_complete and live.stale_fields == []
    assert draft.missing == ["body"] and draft.stale_fields == ["lead"]
    data = vietnamese(page)
    assert data["translations"]["vi"]["complete"] is True
    assert data["translations"]["vi"]["stale"] is False


def test_data_migration_gives_existing_live_pages_a_live_status(
    publisher_client, complete_article, article_index
):
    unchanged = factories.make_article(
        article_index, "Unchanged", "unchanged", "Không đổi", "khong-doi", lead_vi=""
    )
    in_flight = complete_article
    post_edit(publisher_client, in_flight, lead_en="A new English lead.", body_vi=[])
    never_live = factories.make_article(
        article_index, "Draft only", "draft-only", "Nháp", "nhap", publish=False
    )
    _forget_live_rows_as_before_this_change()

    migration = importlib.import_module("editorial.migrations.0005_live_status")
    migration.forwards(apps, None)

    assert "lead" in rows(unchanged, "live")["vi"].missing
    live = rows(in_flight, "live")["vi"]
    assert live.is_complete and live.stale_fields == []  # the live text, not the draft
    assert rows(never_live, "live") == {}
    assert vietnamese(in_flight)["translations"]["vi"]["complete"] is True


def test_recording_the_live_status_costs_a_fixed_number_of_queries(complete_article):
    page = ArticlePage.objects.select_related("live_revision").get(pk=complete_article.pk)
    for blocks in (3, 60):
        page.body_vi = [{"type": "paragraph", "value": f"<p>Đoạn {i}.</p>"} for i in range(blocks)]
        with CaptureQueriesContext(connection) as queries:
            record_live_status(page, revision=page.live_revision)
        statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
        # statuses read, reviews read, the workspace's segment records (the live segment
        # counts the API shows), statuses written (one UPDATE per language: cms.rows)
        assert len(statements) == 3 + 2, "\n".join(sql[:150] for sql in statements)
