"""The translation workspace and file imports merge with saves made since they were loaded."""

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from revisions.models import HeldEdit

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(django_user_model):
    return django_user_model.objects.create_user(
        "anna", "anna@example.com", "pw-for-tests-only", first_name="Anna", last_name="Smith"
    )


def url(page):
    return reverse("translate:page", args=[page.pk, "vi"])


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


def block(body, block_id):
    return next(child for child in body if child.id == block_id)


def heading_of(body):
    """A body's heading (the Vietnamese body, written separately, has ids of its own)."""
    return next(child for child in body if child.block_type == "heading")


def heading_id(page):
    return next(item["id"] for item in page.body_en.get_prep_value() if item["type"] == "heading")


def someone_saves(page, user, **values):
    """Another editor saves the page from the edit form meanwhile (a newer revision)."""
    page = latest(page)
    for name, value in values.items():
        setattr(page, name, value)
    with translation.override("en"):
        page.save_revision(user=user)


def with_heading(page, field, text):
    body = [dict(item) for item in getattr(latest(page), field).get_prep_value()]
    for item in body:
        if item["type"] == "heading":
            item["value"] = {**item["value"], "text": text}
    return body


def messages_of(response):
    return [str(m.message) for m in get_messages(response.wsgi_request)]


# -- the workspace ----------------------------------------------------------------------------


def test_workspace_save_merges_with_a_concurrent_english_edit(admin_client, rich_article, anna):
    heading = heading_id(rich_article)
    form = {
        "revision": str(Page.objects.get(pk=rich_article.pk).latest_revision_id),
        f"t:body/{heading}/text": "Bằng chứng mới nhất",
    }
    someone_saves(rich_article, anna, body_en=with_heading(rich_article, "body_en", "Latest proof"))

    response = admin_client.post(url(rich_article), form)
    assert response.status_code == 302 and response.url == url(rich_article)
    page = latest(rich_article)
    assert block(page.body_en, heading).value["text"] == "Latest proof"
    assert heading_of(page.body_vi).value["text"] == "Bằng chứng mới nhất"
    told = " ".join(messages_of(response))
    assert "Anna Smith saved this page" in told and "Body [en] › Heading › Text" in told
    assert not HeldEdit.objects.exists()


def test_workspace_save_of_the_same_text_goes_to_the_conflict_view(
    admin_client, rich_article, anna
):
    heading = heading_id(rich_article)
    form = {
        "revision": str(Page.objects.get(pk=rich_article.pk).latest_revision_id),
        f"t:body/{heading}/text": "Bằng chứng của người dịch",
        "t:title": "Bài viết đã dịch lại",
    }
    someone_saves(
        rich_article, anna, body_vi=with_heading(rich_article, "body_vi", "Tiêu đề của Anna")
    )
    before = Page.objects.get(pk=rich_article.pk).latest_revision_id

    response = admin_client.post(url(rich_article), form)
    held = HeldEdit.objects.get()
    assert response.status_code == 302 and response.url == held.url
    assert held.origin == HeldEdit.Origin.WORKSPACE
    assert Page.objects.get(pk=rich_article.pk).latest_revision_id == before

    html = admin_client.get(held.url).content.decode()
    assert "Tiêu đề của Anna" in html and "Bằng chứng của người dịch" in html
    assert "Title [vi]" not in html.split("Merged without conflict")[0]

    own_id = heading_of(latest(rich_article).body_vi).id
    assert f"choice:body_vi/{own_id}/text" in html
    admin_client.post(held.url, {f"choice:body_vi/{own_id}/text": "mine"})
    page = latest(rich_article)
    assert heading_of(page.body_vi).value["text"] == "Bằng chứng của người dịch"
    assert page.title_vi == "Bài viết đã dịch lại"


@pytest.mark.parametrize(
    ("choice", "kept"), [("mine", "Bằng chứng của người dịch"), ("theirs", "Tiêu đề của Anna")]
)
def test_after_the_conflict_the_workspace_shows_the_version_kept(
    admin_client, rich_article, anna, choice, kept
):
    heading = heading_id(rich_article)
    field = f"t:body/{heading}/text"
    revision = Page.objects.get(pk=rich_article.pk).latest_revision_id
    admin_client.post(url(rich_article), {"revision": str(revision), field: "Bản dịch cũ"})
    opened = str(Page.objects.get(pk=rich_article.pk).latest_revision_id)
    someone_saves(
        rich_article, anna, body_vi=with_heading(rich_article, "body_vi", "Tiêu đề của Anna")
    )
    admin_client.post(url(rich_article), {"revision": opened, field: "Bằng chứng của người dịch"})
    held = HeldEdit.objects.get()
    own_id = heading_of(latest(rich_article).body_vi).id
    admin_client.post(held.url, {f"choice:body_vi/{own_id}/text": choice})
    assert heading_of(latest(rich_article).body_vi).value["text"] == kept

    html = admin_client.get(url(rich_article)).content.decode()
    assert kept in html and "Bản dịch cũ" not in html
    # A save from the workspace now keeps the chosen text, not the older translation.
    revision = str(Page.objects.get(pk=rich_article.pk).latest_revision_id)
    admin_client.post(url(rich_article), {"revision": revision, "t:lead": "Lời dẫn mới."})
    page = latest(rich_article)
    assert page.lead_vi == "Lời dẫn mới."
    assert heading_of(page.body_vi).value["text"] == kept


def test_a_translation_kept_in_the_conflict_view_is_stale_when_english_changed_meanwhile(
    admin_client, rich_article, anna
):
    """The translator translated the English they opened; Anna changed that English and its
    Vietnamese meanwhile. Keeping the translator's text keeps it marked stale."""
    heading = heading_id(rich_article)
    field = f"t:body/{heading}/text"
    revision = Page.objects.get(pk=rich_article.pk).latest_revision_id
    admin_client.post(url(rich_article), {"revision": str(revision), field: "Bản dịch cũ"})
    opened = str(Page.objects.get(pk=rich_article.pk).latest_revision_id)
    someone_saves(
        rich_article,
        anna,
        body_en=with_heading(rich_article, "body_en", "What the newest studies say"),
        body_vi=with_heading(rich_article, "body_vi", "Các nghiên cứu mới nhất nói gì"),
    )
    admin_client.post(url(rich_article), {"revision": opened, field: "Bằng chứng nói lên điều gì"})
    held = HeldEdit.objects.get()
    own_id = heading_of(latest(rich_article).body_vi).id
    admin_client.post(held.url, {f"choice:body_vi/{own_id}/text": "mine"})

    html = admin_client.get(url(rich_article)).content.decode()
    assert re.search(rf'data-segment="body/{heading}/text" data-status="stale"', html), (
        "the kept translation should be stale"
    )
    assert "Bằng chứng nói lên điều gì" in html
    assert "<del>evidence says 0</del> <ins>newest studies say</ins>" in html


# -- file imports -----------------------------------------------------------------------------


def export_po(page, tmp_path):
    path = tmp_path / "page.po"
    call_command(
        "export_translations", "--lang", "vi", "--format", "po", "--page", str(page.pk),
        "-o", str(path), stderr=io.StringIO(),
    )  # fmt: skip
    return path


def translate(path, page, segment, text):
    """The translator's tool: a new target for one unit, marked done."""
    pattern = re.compile(
        rf'(msgctxt "{page.pk}:{re.escape(segment)}"\nmsgid (?:".*"\n)+?)msgstr (?:".*"\n)+'
    )
    content, count = pattern.subn(lambda m: m.group(1) + f'msgstr "{text}"\n', path.read_text())
    assert count == 1
    path.write_text(content)


def test_an_import_based_on_an_older_export_merges(rich_article, anna, tmp_path):
    path = export_po(rich_article, tmp_path)
    translate(path, rich_article, "lead", "Lời dẫn mới từ tệp dịch.")
    someone_saves(rich_article, anna, title_vi="Tiêu đề Anna sửa sau khi xuất tệp")

    out = io.StringIO()
    call_command("import_translations", str(path), stdout=out)
    page = latest(rich_article)
    assert page.lead_vi == "Lời dẫn mới từ tệp dịch."
    # The file still holds the old Vietnamese title: Anna's newer one stays.
    assert page.title_vi == "Tiêu đề Anna sửa sau khi xuất tệp"


def test_an_import_changing_text_changed_since_export_writes_nothing(rich_article, anna, tmp_path):
    path = export_po(rich_article, tmp_path)
    translate(path, rich_article, "lead", "Lời dẫn mới từ tệp dịch.")
    translate(path, rich_article, "title", "Tiêu đề trong tệp dịch")
    someone_saves(rich_article, anna, title_vi="Tiêu đề Anna sửa sau khi xuất tệp")
    before = Page.objects.get(pk=rich_article.pk).latest_revision_id

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_translations", str(path), stdout=out)
    said = out.getvalue()
    assert "Anna Smith changed the same text" in said and "Title [vi]" in said
    assert "Nothing was written" in said
    assert Page.objects.get(pk=rich_article.pk).latest_revision_id == before
    assert latest(rich_article).title_vi == "Tiêu đề Anna sửa sau khi xuất tệp"
