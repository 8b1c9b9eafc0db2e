"""Files for translators from the admin: download a page, a section or the report's selected
rows as XLIFF or PO (streamed), upload a translated file back, with the command's checks."""

import json
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, PageLogEntry, Revision

from cms import clock
from workspace.files import IMPORT_ACTION
from workspace.models import SegmentTranslation

from . import factories
from .api_fixtures import link_to
from .editorial_fixtures import *  # noqa: F403 - fixtures
from .test_translate_files import TOOL

pytestmark = pytest.mark.django_db

EXPORT = "/admin/translate/files/export/"
IMPORT = "/admin/translate/files/import/"


def toolkit(*args):
    result = subprocess.run(
        [sys.executable, "-I", str(TOOL), *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout) if result.stdout.strip() else None


def body(response):
    assert isinstance(response, StreamingHttpResponse), type(response)
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def english_article(article_index, prp):
    blocks = [
        {"type": "heading", "id": "h1", "value": {"text": "How PRP works", "level": "h2"}},
        {
            "type": "paragraph",
            "id": "p1",
            "value": f"<p>Read about {link_to(prp, 'PRP')} and <b>platelet-rich plasma</b>.</p>",
        },
    ]
    return factories.make_article(article_index, "Healing with plasma", "plasma", body_en=blocks)


def revisions(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def section_editor(django_user_model, section, username="section-editor"):
    """A user who may edit ``section`` and its descendants, nothing else."""
    group = Group.objects.create(name=f"Editors of {section.pk}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=section, permission=Permission.objects.get(codename="change_page")
    )
    user = django_user_model.objects.create_user(username, password="pw-for-tests-only")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return user, client


# -- downloads ----------------------------------------------------------------------------------


def test_page_xliff_download_streams_with_a_meaningful_name(admin_client, english_article):
    with clock.frozen_at(clock.now().replace(year=2031, month=3, day=4)):
        response = admin_client.get(
            EXPORT, {"page": english_article.pk, "format": "xliff", "lang": "vi"}
        )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xliff+xml")
    assert response["Content-Disposition"] == 'attachment; filename="plasma-vi-2031-03-04.xlf"'
    text = body(response)
    assert text.count("<file ") == 1 and 'name="body/p1/0"' in text


def test_section_po_download_holds_the_section_only(admin_client, article_index, english_article):
    other = factories.make_article(article_index, "Another article", "another")
    response = admin_client.get(
        EXPORT, {"page": article_index.pk, "scope": "section", "format": "po", "lang": "vi"}
    )
    assert response["Content-Disposition"].endswith("-section-vi-" + _today() + '.po"')
    text = body(response)
    for page in (article_index, english_article, other):
        assert f"#: page/{page.pk} revision/{page.latest_revision_id}\n" in text
    assert "Language: vi" in text


def _today():
    return clock.now().date().isoformat()


def test_files_page_links_from_the_header_and_the_workspace(admin_client, english_article):
    files_url = reverse("translate:files", args=[english_article.pk])
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[english_article.pk]))
    assert files_url in edit.content.decode()
    workspace = admin_client.get(reverse("translate:page", args=[english_article.pk, "vi"]))
    assert files_url in workspace.content.decode()
    page = admin_client.get(files_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'action="{EXPORT}"' in html and f'action="{IMPORT}"' in html
    assert 'value="section"' in html


def admin_user_of(django_user_model):
    return django_user_model.objects.get(username="editor")  # the admin_client's user


def refused(response):
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_files_page_in_vietnamese(admin_client, django_user_model, english_article):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user_of(django_user_model))
    profile.preferred_language = "vi"
    profile.save()
    html = admin_client.get(reverse("translate:files", args=[english_article.pk])).content.decode()
    assert "Tải về cho công cụ dịch" in html
    assert "Nhập tệp đã dịch" in html


def test_selected_report_rows_download_as_one_file(admin_client, article_index, english_article):
    second = factories.make_article(article_index, "Second article", "second")
    third = factories.make_article(article_index, "Third article", "third")
    report = admin_client.get(reverse("editorial:missing_translations"))
    html = report.content.decode()
    assert f'value="{english_article.pk}:vi" form="translation-files-export"' in html
    assert 'id="translation-files-export"' in html

    response = admin_client.get(
        EXPORT, {"rows": [f"{english_article.pk}:vi", f"{third.pk}:vi"], "format": "xliff"}
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="missing-translations-2-pages-vi-{_today()}.xlf"'
    )
    text = body(response)
    assert f'id="page-{english_article.pk}"' in text and f'id="page-{third.pk}"' in text
    assert f'id="page-{second.pk}"' not in text


def test_no_row_selected_says_so(admin_client, english_article):
    response = admin_client.get(EXPORT, {"format": "xliff"}, follow=True)
    assert "Select the rows to export first." in response.content.decode()


def test_only_pages_the_user_may_edit_are_exported(
    django_user_model, home, article_index, therapy_index, english_article, prp
):
    _user, client = section_editor(django_user_model, article_index)
    # A page outside their section: refused.
    assert refused(client.get(EXPORT, {"page": prp.pk, "lang": "vi"}))
    assert refused(client.get(reverse("translate:files", args=[prp.pk])))
    assert refused(client.get(EXPORT, {"rows": [f"{prp.pk}:vi"], "format": "po"}))
    # The home page's section: only their pages inside it.
    _user, home_client = section_editor(django_user_model, home, "home-editor")
    text = body(client.get(EXPORT, {"page": article_index.pk, "scope": "section", "lang": "vi"}))
    assert f'id="page-{english_article.pk}"' in text and f'id="page-{prp.pk}"' not in text
    text = body(home_client.get(EXPORT, {"page": home.pk, "scope": "section", "lang": "vi"}))
    assert f'id="page-{prp.pk}"' in text


# -- glossary notes -----------------------------------------------------------------------------


def test_units_carry_glossary_terms_as_notes_read_by_translate_toolkit(
    admin_client, english_article, tmp_path
):
    for file_format, name in (("xliff", "page.xlf"), ("po", "page.po")):
        path = tmp_path / name
        path.write_text(
            body(admin_client.get(EXPORT, {"page": english_article.pk, "format": file_format}))
        )
        units = toolkit("read", str(path))["units"]
        key = "body:p1:0" if file_format == "xliff" else f"{english_article.pk}:body/p1/0"
        notes = units[key]["notes"]
        assert "platelet-rich plasma = huyết tương giàu tiểu cầu" in notes
        assert "PRP = PRP (keep as is)" in notes
        title = "title" if file_format == "xliff" else f"{english_article.pk}:title"
        assert "platelet" not in units[title]["notes"] and "= PRP" not in units[title]["notes"]
    xliff = (tmp_path / "page.xlf").read_text()
    assert (
        '<note category="terminology" appliesTo="source">platelet-rich plasma = '
        "huyết tương giàu tiểu cầu" in xliff
    )


# -- uploads ------------------------------------------------------------------------------------


def _translated_po(client, page, tmp_path):
    path = tmp_path / "plasma-vi.po"
    path.write_text(body(client.get(EXPORT, {"page": page.pk, "format": "po"})))
    spec = {f"{page.pk}:title": {"texts": {"Healing with plasma": "Chữa lành bằng huyết tương"}}}
    toolkit("translate", str(path), json.dumps(spec))
    return path


def upload(client, path, dry_run=False, name=None):
    data = {"file": SimpleUploadedFile(name or path.name, path.read_bytes())}
    if dry_run:
        data["dry_run"] = "1"
    return client.post(IMPORT, data)


def test_upload_dry_run_then_import_saves_one_draft_logged_with_file_and_user(
    admin_client, django_user_model, english_article, tmp_path
):
    admin_user = admin_user_of(django_user_model)
    path = _translated_po(admin_client, english_article, tmp_path)
    before = revisions(english_article)

    dry = upload(admin_client, path, dry_run=True)
    html = dry.content.decode()
    assert dry.status_code == 200
    assert "1 segments in 1 pages would change" in html
    assert revisions(english_article) == before and not SegmentTranslation.objects.exists()

    done = upload(admin_client, path)
    html = done.content.decode()
    assert done.status_code == 200
    assert "1 segments in 1 pages saved as draft revisions (vi)" in html
    assert reverse("translate:page", args=[english_article.pk, "vi"]) in html
    assert revisions(english_article) == before + 1
    page = Page.objects.get(pk=english_article.pk).specific
    assert page.get_latest_revision_as_object().title_vi == "Chữa lành bằng huyết tương"
    assert page.title_vi != "Chữa lành bằng huyết tương"  # a draft: nothing published
    entry = PageLogEntry.objects.get(page=english_article, action=IMPORT_ACTION)
    assert entry.user == admin_user
    assert entry.data["file"] == "plasma-vi.po" and entry.data["user"] == admin_user.username


def test_upload_with_an_error_writes_nothing_and_shows_it(admin_client, english_article, tmp_path):
    path = _translated_po(admin_client, english_article, tmp_path)
    text = path.read_text().replace(
        f'msgctxt "{english_article.pk}:body/h1/text"', f'msgctxt "{english_article.pk}:body/x/y"'
    )
    path.write_text(text)
    response = upload(admin_client, path)
    html = response.content.decode()
    assert response.status_code == 400
    assert "has no segment “body/x/y”" in html and "Nothing was written." in html
    assert not SegmentTranslation.objects.exists()
    assert not PageLogEntry.objects.filter(action=IMPORT_ACTION).exists()


def test_upload_of_a_file_for_another_language_or_not_a_file(
    admin_client, english_article, tmp_path
):
    path = _translated_po(admin_client, english_article, tmp_path)
    path.write_text(path.read_text().replace("Language: vi", "Language: fr"))
    response = upload(admin_client, path)
    assert response.status_code == 400
    assert "The file is for language “fr”" in response.content.decode()

    junk = tmp_path / "notes.xlf"
    junk.write_text("<html>not xliff</html>")
    response = upload(admin_client, junk)
    assert response.status_code == 400
    assert "Not an XLIFF 2 file." in response.content.decode()
    response = admin_client.post(IMPORT, {})
    assert "Choose an XLIFF or PO file to import." in response.content.decode()


def test_upload_touching_a_page_the_user_may_not_edit_writes_nothing(
    django_user_model, admin_client, article_index, therapy_index, english_article, prp, tmp_path
):
    path = tmp_path / "two.po"
    text = body(admin_client.get(EXPORT, {"page": english_article.pk, "format": "po"}))
    text += body(admin_client.get(EXPORT, {"page": prp.pk, "format": "po"})).split("\n\n", 1)[1]
    path.write_text(text)
    spec = {
        f"{english_article.pk}:title": {"texts": {"Healing with plasma": "Chữa lành"}},
        f"{prp.pk}:summary": {"texts": {}},
    }
    toolkit("translate", str(path), json.dumps(spec))
    _user, client = section_editor(django_user_model, article_index)
    response = upload(client, path)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"You may not edit page {prp.pk}" in html
    assert not SegmentTranslation.objects.exists()


def test_import_form_needs_page_edit_rights(django_user_model, english_article):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    assert refused(client.get(IMPORT))
    assert refused(client.get(EXPORT, {"page": english_article.pk, "lang": "vi"}))


# -- a large section streams ----------------------------------------------------------------------


def bulk_articles(parent, count):
    """``count`` live articles under ``parent`` in a few statements (not one save per page).

    The Page rows are bulk-created with their tree paths; the article rows (a multi-table
    child Django's bulk_create refuses) are inserted in batches by the queryset's own
    insert, without the per-page save signals a real save would send.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale

    from therapies.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    start = parent.get_children().count()
    pages = Page.objects.bulk_create(
        [
            Page(
                title=f"Bulk article {n}",
                title_en=f"Bulk article {n}",
                draft_title=f"Bulk article {n}",
                slug=f"bulk-{n}",
                slug_en=f"bulk-{n}",
                path=Page._get_path(parent.path, parent.depth + 1, start + n + 1),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}bulk-{n}/",
                content_type=content_type,
                locale=locale,
                live=True,
            )
            for n in range(count)
        ]
    )
    articles = [
        ArticlePage(
            page_ptr_id=page.pk,
            lead_en=f"Platelet-rich plasma, part {n}.",
            body_en=[
                {"type": "heading", "id": f"h{n}", "value": {"text": f"Part {n}", "level": "h2"}},
                {"type": "paragraph", "id": f"p{n}", "value": f"<p>Read <b>part {n}</b>.</p>"},
            ],
        )
        for n, page in enumerate(pages)
    ]
    fields = ArticlePage._meta.local_concrete_fields
    for offset in range(0, count, 200):
        ArticlePage._base_manager._insert(articles[offset : offset + 200], fields=fields, raw=True)
    Page.objects.filter(pk=parent.pk).update(numchild=start + count)
    return pages


def test_a_thousand_page_section_streams_a_chunk_at_a_time(admin_client, article_index):
    from math import ceil

    from workspace.files import CHUNK

    bulk_articles(article_index, 1000)
    response = admin_client.get(
        EXPORT, {"page": article_index.pk, "scope": "section", "format": "xliff", "lang": "vi"}
    )
    assert isinstance(response, StreamingHttpResponse)
    pieces = iter(response.streaming_content)

    def records_read(queries):
        return sum("workspace_segmenttranslation" in query["sql"] for query in queries)

    # Nothing is read before the body is: the first page needs only the first chunk.
    with CaptureQueriesContext(connection) as first:
        next(pieces)  # the header
        page = next(pieces).decode()
    assert "<file " in page and records_read(first.captured_queries) == 1

    with CaptureQueriesContext(connection) as rest:
        text = page + b"".join(pieces).decode()
    assert text.count("<file ") == 1001 and "Bulk article 999" in text
    assert "Read <pc" in text
    # Queries grow by chunk of pages, never per page: records, revisions and the pages
    # without a revision are each read once per chunk.
    chunks = ceil(1001 / CHUNK)
    assert records_read(rest.captured_queries) == chunks - 1
    assert len(rest.captured_queries) <= 4 * chunks, len(rest.captured_queries)
