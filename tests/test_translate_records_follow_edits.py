"""The workspace follows Vietnamese changed outside it: an editor who changes a translation in
Wagtail's edit form sees that text in the Translate view, and no later workspace save puts
the older translation back.

The workspace keeps its own record of every segment it translated (or a machine suggested);
these tests change the page through the ordinary edit form (and its autosave), then read the
workspace as the translator does and the revision it saves.
"""

import json
import re
import unicodedata
from html import unescape

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision

from therapies.models import ArticlePage
from workspace.models import SegmentTranslation
from workspace.workspace import Workspace, follow_saved_revision, unreviewed_machine_counts

from . import factories
from .admin_forms import article_edit_data, article_page_data, edit_post, nested_form_data
from .api_fixtures import make_rich_article
from .test_translate_machine import DeepLServer

pytestmark = pytest.mark.django_db

SUGGESTED = "Hai liệu pháp khác biệt (bản dịch máy)"


@pytest.fixture
def deepl(settings):
    server = DeepLServer()
    server.answer = lambda text: SUGGESTED
    settings.MACHINE_TRANSLATION = {"BACKEND": "deepl", "URL": server.url, "API_KEY": "key:fx"}
    yield server
    server.stop()


def url(page, query=""):
    return reverse("translate:page", args=[page.pk, "vi"]) + query


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def latest_revision(page):
    return Page.objects.get(pk=page.pk).get_latest_revision()


def latest(page):
    return latest_revision(page).as_object()


def textarea(response, segment_id):
    """The target text of ``segment_id`` as the translator sees it in the workspace."""
    match = re.search(
        r'<textarea[^>]*name="t:' + re.escape(segment_id) + r'"[^>]*>(.*?)</textarea>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no textarea for {segment_id}"
    return unescape(match.group(1))


def status(response, segment_id):
    match = re.search(
        r'data-segment="' + re.escape(segment_id) + r'" data-status="(\w+)"',
        response.content.decode(),
    )
    assert match, f"no row for {segment_id}"
    return match.group(1)


def heading_segment(page):
    heading = next(item for item in page.body_en.get_prep_value() if item["type"] == "heading")
    return f"body/{heading['id']}/text"


def heading_vi(page):
    return next(child for child in page.body_vi if child.block_type == "heading").value["text"]


def block_key(data, field, block_type):
    return next(
        key
        for key, value in data[field].items()
        if isinstance(value, dict) and value.get("type") == block_type
    )


def edit_form_saves(client, page, change, headers=None):
    """An editor opens the page in Wagtail's edit form, changes it and saves a draft."""
    revision = latest_revision(page)
    data = article_edit_data(revision)
    change(data)
    response = client.post(edit_url(page), edit_post(data, revision), **(headers or {}))
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert not (response.status_code == 200 and "text/html" in response["Content-Type"])
    return response


def set_heading(text):
    def change(data):
        data["body_vi"][block_key(data, "body_vi", "heading")]["value"]["text"] = text

    return change


def workspace_saves(client, page, **targets):
    form = {"revision": str(Page.objects.get(pk=page.pk).latest_revision_id or "")}
    form |= {f"t:{segment_id}": text for segment_id, text in targets.items()}
    response = client.post(url(page), form)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_edit_form_change_is_shown_and_kept_by_the_next_workspace_save(admin_client, article):
    heading = heading_segment(article)
    workspace_saves(
        admin_client,
        article,
        title="Exosome và PRP khác nhau ra sao",
        **{heading: "Hai liệu pháp rất khác nhau"},
    )

    # In the edit form, the editor rewrites both; the title typed in decomposed Unicode, as
    # some Vietnamese keyboards send it.
    typed_title = "Exosome hay PRP: điều bạn cần biết"

    def change(data):
        data["title_vi"] = unicodedata.normalize("NFD", typed_title)
        set_heading("Hai nguồn gốc, hai cách tác động")(data)

    edit_form_saves(admin_client, article, change)

    response = admin_client.get(url(article))
    assert textarea(response, "title") == typed_title
    assert textarea(response, heading) == "Hai nguồn gốc, hai cách tác động"
    assert status(response, "title") == status(response, heading) == "translated"
    assert "Hai liệu pháp rất khác nhau" not in response.content.decode()

    # The translator then saves another segment: the edit form's text stays in the page.
    workspace_saves(admin_client, article, lead="Hiểu đúng về hai liệu pháp tái tạo.")
    page = latest(article)
    assert page.lead_vi == "Hiểu đúng về hai liệu pháp tái tạo."
    assert unicodedata.normalize("NFC", page.title_vi) == typed_title
    assert heading_vi(page) == "Hai nguồn gốc, hai cách tác động"


def test_a_machine_suggestion_replaced_in_the_edit_form_is_no_longer_unreviewed(
    admin_client, article, deepl
):
    heading = heading_segment(article)
    response = admin_client.post(url(article), {"suggest": heading})
    assert textarea(response, heading) == SUGGESTED
    assert status(response, heading) == "machine"
    assert unreviewed_machine_counts(Page.objects.get(pk=article.pk)) == {"vi": 1}

    edit_form_saves(admin_client, article, set_heading("Hai liệu pháp, hai nguồn gốc"))

    response = admin_client.get(url(article))
    assert textarea(response, heading) == "Hai liệu pháp, hai nguồn gốc"
    assert status(response, heading) == "translated"
    assert SUGGESTED not in response.content.decode()
    assert "data-status" not in admin_client.get(url(article, "?filter=machine")).content.decode()
    assert unreviewed_machine_counts(Page.objects.get(pk=article.pk)) == {}
    record = SegmentTranslation.objects.get(page=article, segment_id=heading)
    assert record.updated_by.username == "editor"  # the revision's author reviewed it


def test_an_untouched_machine_suggestion_survives_an_unrelated_edit_form_save(
    admin_client, article, deepl
):
    heading = heading_segment(article)
    admin_client.post(url(article), {"suggest": heading})

    edit_form_saves(
        admin_client, article, lambda data: data.update(title_vi="Exosome và PRP: so sánh")
    )

    response = admin_client.get(url(article))
    assert textarea(response, "title") == "Exosome và PRP: so sánh"
    assert textarea(response, heading) == SUGGESTED
    assert status(response, heading) == "machine"
    # The suggestion is still not in the page: it waits for review.
    assert heading_vi(latest(article)) == "Hai liệu pháp khác nhau"
    assert unreviewed_machine_counts(Page.objects.get(pk=article.pk)) == {"vi": 1}


def test_a_field_emptied_in_the_edit_form_shows_as_missing(admin_client, article):
    heading = heading_segment(article)
    workspace_saves(
        admin_client,
        article,
        lead="Lời dẫn do người dịch viết.",
        **{heading: "Hai liệu pháp rất khác nhau"},
    )

    def change(data):
        data["lead_vi"] = ""
        data["body_vi"][block_key(data, "body_vi", "heading")]["deleted"] = "1"

    edit_form_saves(admin_client, article, change)

    response = admin_client.get(url(article))
    assert textarea(response, "lead") == "" and status(response, "lead") == "missing"
    assert textarea(response, heading) == "" and status(response, heading) == "missing"
    assert "Lời dẫn do người dịch viết." not in response.content.decode()

    # Saving another segment does not bring the old texts back.
    workspace_saves(admin_client, article, title="Exosome và PRP khác nhau thế nào?")
    page = latest(article)
    assert page.title_vi == "Exosome và PRP khác nhau thế nào?"
    assert page.lead_vi == ""
    assert [child.block_type for child in page.body_vi].count("heading") == 0


def test_an_autosave_that_puts_the_old_text_back_is_followed(admin_client, article):
    """Wagtail's autosave overwrites the editor's own revision in place: the records follow
    the text it replaces, not the revision before it."""
    heading = heading_segment(article)
    workspace_saves(admin_client, article, **{heading: "Bản dịch trong không gian dịch"})
    json_request = {"HTTP_ACCEPT": "application/json"}

    first = edit_form_saves(admin_client, article, set_heading("Bản nháp tự lưu"), json_request)
    autosaved = json.loads(first.content)["revision_id"]
    assert textarea(admin_client.get(url(article)), heading) == "Bản nháp tự lưu"

    # The editor types the workspace's text back; the autosave overwrites its revision.
    revision = Revision.objects.get(pk=autosaved)
    data = article_edit_data(revision)
    set_heading("Bản dịch trong không gian dịch")(data)
    post = edit_post(data, revision) | {"overwrite_revision_id": str(autosaved)}
    response = admin_client.post(edit_url(article), post, **json_request)
    assert response.status_code == 200 and json.loads(response.content)["success"]
    assert latest_revision(article).pk == autosaved

    assert textarea(admin_client.get(url(article)), heading) == "Bản dịch trong không gian dịch"


def test_the_first_revision_of_a_page_saved_without_one_is_followed_too(
    admin_client, article_index, deepl
):
    """A page added by code has no revision: its first one is compared with the page itself."""
    page = factories._page(
        ArticlePage,
        "Exosomes in brief",
        "exosomes-in-brief",
        "Exosome tóm tắt",
        "exosome-tom-tat",
        lead_en="What exosomes are.",
        lead_vi="",
    )
    article_index.add_child(instance=page)
    assert Page.objects.get(pk=page.pk).latest_revision_id is None
    admin_client.post(url(page), {"suggest": "lead"})
    assert status(admin_client.get(url(page)), "lead") == "machine"

    data = article_page_data(Page.objects.get(pk=page.pk).specific) | {"lead_vi": "Exosome là gì."}
    response = admin_client.post(edit_url(page), nested_form_data(data))
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).latest_revision_id is not None

    response = admin_client.get(url(page))
    assert (textarea(response, "lead"), status(response, "lead")) == (
        "Exosome là gì.",
        "translated",
    )


# -- cost --------------------------------------------------------------------------------------


@pytest.mark.parametrize("repeat", [1, 20])
def test_following_a_save_costs_the_same_queries_whatever_the_page_size(
    article_index, prp, exosomes, doctors, pictures, clinic, django_assert_num_queries, repeat
):
    page = make_rich_article(article_index, prp, exosomes, doctors, pictures, "n", repeat=repeat)
    workspace = Workspace(Page.objects.get(pk=page.pk).specific, "vi")
    workspace.store_suggestions(
        {segment.id: f"Gợi ý số {n}" for n, segment in enumerate(workspace.segments)}, None
    )
    total = len(workspace.segments)
    assert total == {1: 18, 20: 303}[repeat]

    # The editor changes the title, empties the lead and rewrites one heading.
    draft = latest(page)
    draft.title_vi = "Tiêu đề mới do biên tập viên viết"
    draft.lead_vi = ""
    body = [dict(item) for item in draft.body_vi.get_prep_value()]
    first = next(item for item in body if item["type"] == "heading")
    first["value"] = {**first["value"], "text": "Tiêu đề mục đã sửa"}
    draft.body_vi = body
    revision = Revision(
        content_object=draft,
        base_content_type=draft.get_base_content_type(),
        content=draft.serializable_data(),
        object_str=str(draft),
    )
    # The records, the text before, the followed records, the emptied one (Django's delete
    # reads it first).
    with django_assert_num_queries(5):
        follow_saved_revision(Revision, instance=revision)

    after = Workspace(Page.objects.get(pk=page.pk).specific, "vi", page=draft)
    rows = {row.segment.id: row for row in after.rows()}
    heading = heading_segment(draft)
    assert (rows["title"].target, rows["title"].status) == (
        "Tiêu đề mới do biên tập viên viết",
        "translated",
    )
    assert (rows["lead"].target, rows["lead"].status) == ("", "missing")
    assert (rows[heading].target, rows[heading].status) == ("Tiêu đề mục đã sửa", "translated")
    assert after.progress()["machine"] == total - 3
