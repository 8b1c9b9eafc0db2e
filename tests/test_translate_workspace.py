"""The Translate view: an editor translates a page segment by segment, English on the left,
Vietnamese on the right, and saves a draft that leaves English untouched."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.users.models import UserProfile

from workspace.models import SegmentTranslation
from workspace.segments import page_segments

from .api_fixtures import make_rich_article

pytestmark = pytest.mark.django_db


def url(page, query=""):
    return reverse("translate:page", args=[page.pk, "vi"]) + query


def html(response):
    return response.content.decode()


def textarea(response, segment_id):
    """The text of the target textarea of ``segment_id`` as the editor sees it."""
    match = re.search(
        r'<textarea[^>]*name="t:' + re.escape(segment_id) + r'"[^>]*>(.*?)</textarea>',
        html(response),
        re.S,
    )
    assert match, f"no textarea for {segment_id}"
    return match.group(1)


def english_ids(page):
    return {item["type"]: item["id"] for item in page.body_en.get_prep_value()}


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


def edit_english(page, change):
    """An editor changes the English body in the ordinary edit form (a new draft revision)."""
    page = latest(page)
    body = [dict(item) for item in page.body_en.get_prep_value()]
    change(body)
    page.body_en = body
    with translation.override("en"):
        page.save_revision()


def messages_of(response):
    return [str(message.message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def vi_admin_client(admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    return admin_client


# -- reading ---------------------------------------------------------------------------------


def test_workspace_shows_english_source_and_vietnamese_targets_side_by_side(
    admin_client, rich_article
):
    response = admin_client.get(url(rich_article))
    assert response.status_code == 200
    page = html(response)
    ids = english_ids(rich_article)

    # English on the left, read-only and formatted; Vietnamese on the right, editable.
    assert re.search(r'<td class="translate-source" lang="en">\s*<div[^>]*>What the evidence', page)
    # (Glossary terms are marked inside it: tests/test_translate_glossary.py.)
    assert (
        'Read about <span class="translate-link">PRP</span> '
        '<span class="translate-link">exosome</span>.' in re.sub(r"</?mark[^>]*>", "", page)
    )
    assert page.count('lang="vi" rows=') == len(page_segments(rich_article))
    # The Vietnamese body was written separately: paired by position, its texts shown.
    assert "paired with their English counterparts by position and type" in page
    assert textarea(response, f"body/{ids['heading']}/text") == "Bằng chứng nói gì 0"
    assert textarea(response, f"body/{ids['paragraph']}/0") == ("Đọc về {1}PRP{/1} {2}exosome{/2}.")
    assert textarea(response, "title") == "Bài viết đầy đủ rich"
    # Every label names its textarea.
    for number in re.findall(r'<textarea id="segment-(\d+)"', page):
        assert f'<label class="w-sr-only" for="segment-{number}">' in page


def test_progress_counts_translated_segments_and_missing_filter(admin_client, rich_article):
    ids = english_ids(rich_article)
    edit_english(
        rich_article,
        lambda body: body.insert(
            0, {"type": "heading", "id": "new-h", "value": {"text": "Added", "level": "h2"}}
        ),
    )
    total = len(page_segments(latest(rich_article)))
    response = admin_client.get(url(rich_article))
    assert f"{total - 1} of {total} segments translated" in html(response)

    missing = admin_client.get(url(rich_article, "?filter=missing"))
    rows = re.findall(r'data-segment="([^"]+)" data-status="(\w+)"', html(missing))
    assert rows == [("body/new-h/text", "missing")]
    assert f"body/{ids['heading']}/text" not in html(missing)


def test_vietnamese_admin_sees_the_workspace_in_vietnamese(vi_admin_client, rich_article):
    response = vi_admin_client.get(url(rich_article))
    page = html(response)
    assert response.status_code == 200
    assert '<html lang="vi"' in page
    assert "phân đoạn đã dịch" in page
    assert "Tiếng Anh" in page and "Tiếng Việt" in page
    assert "Lưu bản nháp" in page
    assert "Bản dịch tiếng Việt của" in page  # the textarea labels


def test_query_count_does_not_grow_with_segments(
    admin_client, article_index, prp, exosomes, doctors, pictures, clinic
):
    small = make_rich_article(article_index, prp, exosomes, doctors, pictures, "small", repeat=1)
    large = make_rich_article(article_index, prp, exosomes, doctors, pictures, "large", repeat=6)
    admin_client.get(url(small))  # warm per-process caches (content types, site root)
    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url(page)).status_code == 200
        counts.append(len(queries))
    assert len(page_segments(large)) > 5 * len(page_segments(small)) - 20
    assert counts[0] == counts[1] == 10, counts  # 10th: the glossary, once per request


def test_an_editor_without_edit_permission_is_refused(client, django_user_model, rich_article):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for response in (client.get(url(rich_article)), client.post(url(rich_article), {})):
        # Wagtail's admin answers a refusal by sending the user to the dashboard, with a message.
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
        assert any("permission" in m for m in messages_of(response))
    assert not SegmentTranslation.objects.exists()


def test_unknown_or_default_language_is_not_found(admin_client, rich_article):
    assert (
        admin_client.get(reverse("translate:page", args=[rich_article.pk, "en"])).status_code == 404
    )
    assert (
        admin_client.get(reverse("translate:page", args=[rich_article.pk, "fr"])).status_code == 404
    )


# -- saving ----------------------------------------------------------------------------------


def form_for(page, **targets):
    return {"revision": str(Page.objects.get(pk=page.pk).latest_revision_id or "")} | {
        f"t:{segment_id}": text for segment_id, text in targets.items()
    }


UNTRANSLATED_COLUMNS = ("title", "draft_title", "slug", "seo_title", "search_description")


def english_content(revision):
    """Every English value of a revision, and the untranslated columns Wagtail fills from it.

    Texts compare as stored; a body compares as its JSON data, since PostgreSQL's jsonb keeps
    object keys in its own order (the live copy the workspace starts from, like the edit form).
    """
    return {
        key: json.loads(value) if key.startswith("body_") else value
        for key, value in revision.content.items()
        if key.endswith("_en") or key in UNTRANSLATED_COLUMNS
    }


def test_save_writes_a_draft_with_english_byte_identical_and_english_block_ids(
    admin_client, rich_article, prp, exosomes
):
    ids = english_ids(rich_article)
    before = Page.objects.get(pk=rich_article.pk)
    live_revision = before.live_revision_id
    previous = before.latest_revision

    response = admin_client.post(
        url(rich_article),
        form_for(
            rich_article,
            **{
                "title": "Bài viết mới",
                f"body/{ids['heading']}/text": "Bằng chứng khoa học nói gì",
                f"body/{ids['paragraph']}/0": "Hãy đọc về {2}exosome{/2} và {1}PRP{/1}.",
            },
        ),
    )
    assert response.status_code == 302
    assert "nothing was published" in messages_of(response)[0]

    after = Page.objects.get(pk=rich_article.pk)
    assert after.latest_revision_id != previous.pk
    assert after.live_revision_id == live_revision and after.has_unpublished_changes
    assert after.specific.title_vi == "Bài viết đầy đủ rich"  # the live page is unchanged
    assert english_content(after.latest_revision) == english_content(previous)

    draft = after.latest_revision.as_object()
    assert draft.title_vi == "Bài viết mới"
    body_vi = list(draft.body_vi.get_prep_value())
    assert [item["id"] for item in body_vi] == [
        item["id"] for item in draft.body_en.get_prep_value()
    ]
    by_type = {item["type"]: item for item in body_vi}
    assert by_type["heading"]["value"]["text"] == "Bằng chứng khoa học nói gì"
    assert by_type["paragraph"]["value"] == (
        f'<p>Hãy đọc về <a linktype="page" id="{exosomes.pk}">exosome</a> và '
        f'<a linktype="page" id="{prp.pk}">PRP</a>.</p>'
    )
    # Texts nobody retyped keep the Vietnamese they had.
    assert by_type["doctor_quote"]["value"]["quote"] == "Hãy kỳ vọng thực tế."
    records = {r.segment_id: r.target for r in SegmentTranslation.objects.filter(page=rich_article)}
    assert records == {
        "title": "Bài viết mới",
        f"body/{ids['heading']}/text": "Bằng chứng khoa học nói gì",
        f"body/{ids['paragraph']}/0": "Hãy đọc về {2}exosome{/2} và {1}PRP{/1}.",
    }


def test_a_block_added_in_english_enters_vietnamese_once_translated(admin_client, rich_article):
    edit_english(
        rich_article,
        lambda body: body.append(
            {
                "type": "claims_warning",
                "id": "new-claims",
                "value": {
                    "title": "",
                    "intro": "",
                    "claims": [{"claim": "no downtime", "why": "Bruising is common."}],
                },
            }
        ),
    )
    # Half translated: the block waits in the records, the draft still validates.
    response = admin_client.post(
        url(rich_article),
        form_for(rich_article, **{"body/new-claims/claims/0/claim": "không cần nghỉ dưỡng"}),
    )
    assert response.status_code == 302
    draft = latest(rich_article)
    assert "new-claims" not in [item["id"] for item in draft.body_vi.get_prep_value()]

    admin_client.post(
        url(rich_article),
        form_for(rich_article, **{"body/new-claims/claims/0/why": "Bầm tím là chuyện thường gặp."}),
    )
    draft = latest(rich_article)
    [block] = [item for item in draft.body_vi.get_prep_value() if item["id"] == "new-claims"]
    assert block["value"]["claims"] == [
        {"claim": "không cần nghỉ dưỡng", "why": "Bầm tím là chuyện thường gặp."}
    ]


def test_mismatched_codes_are_refused_and_the_typed_text_is_kept(admin_client, rich_article):
    ids = english_ids(rich_article)
    revisions = Page.objects.get(pk=rich_article.pk).revisions.count()
    typed = "Đọc về PRP và exosome, không có liên kết."
    response = admin_client.post(
        url(rich_article),
        form_for(
            rich_article,
            **{"title": "Tiêu đề mới", f"body/{ids['paragraph']}/0": typed},
        ),
    )
    assert response.status_code == 200
    assert any("Nothing was saved" in m for m in messages_of(response))
    assert "lacks these codes from the English text: {1}, {/1}, {2}, {/2}" in html(response)
    assert textarea(response, f"body/{ids['paragraph']}/0") == typed
    assert textarea(response, "title") == "Tiêu đề mới"
    assert 'aria-invalid="true"' in html(response)
    assert Page.objects.get(pk=rich_article.pk).revisions.count() == revisions
    assert not SegmentTranslation.objects.exists()


def test_a_page_level_validation_error_refuses_the_save_and_keeps_the_typed_text(
    admin_client, rich_article, article
):
    revisions = Page.objects.get(pk=rich_article.pk).revisions.count()
    response = admin_client.post(
        url(rich_article),
        form_for(rich_article, slug="exosome-va-prp", title="Bài viết trùng địa chỉ"),
    )
    assert response.status_code == 200
    assert any("exosome-va-prp" in m for m in messages_of(response))
    assert textarea(response, "slug") == "exosome-va-prp"
    assert textarea(response, "title") == "Bài viết trùng địa chỉ"
    assert Page.objects.get(pk=rich_article.pk).revisions.count() == revisions
    assert not SegmentTranslation.objects.exists()


def test_english_change_makes_the_segment_stale_with_old_and_new_english(
    admin_client, rich_article
):
    ids = english_ids(rich_article)
    segment = f"body/{ids['doctor_quote']}/quote"
    admin_client.post(url(rich_article), form_for(rich_article, **{segment: "Hãy thực tế."}))

    def change(body):
        quote = next(item for item in body if item["type"] == "doctor_quote")
        quote["value"] = dict(quote["value"], quote="Be realistic about results.")

    edit_english(rich_article, change)
    response = admin_client.get(url(rich_article, "?filter=stale"))
    page = html(response)
    assert re.findall(r'data-segment="([^"]+)" data-status="(\w+)"', page) == [(segment, "stale")]
    assert ", 1 stale" in page
    assert "<del>realistic.</del> <ins>realistic about results.</ins>" in page
    assert textarea(response, segment) == "Hãy thực tế."

    # The translator confirms the translation still holds: no longer stale.
    admin_client.post(
        url(rich_article),
        form_for(rich_article, **{segment: "Hãy thực tế."}) | {f"confirm:{segment}": "on"},
    )
    response = admin_client.get(url(rich_article, "?filter=stale"))
    assert "data-status" not in html(response)


# -- ways in ---------------------------------------------------------------------------------


def test_reachable_from_the_edit_header_and_the_missing_translations_report(
    admin_client, rich_article
):
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[rich_article.pk]))
    assert url(rich_article) in html(edit)
    assert "Translate into Vietnamese" in html(edit)

    edit_english(
        rich_article,
        lambda body: body.append(
            {"type": "heading", "id": "new-h", "value": {"text": "Added", "level": "h2"}}
        ),
    )
    page = latest(rich_article)
    page.search_description_en = "Now with a description the Vietnamese lacks."
    with translation.override("en"):
        page.save_revision()
    report = admin_client.get(reverse("editorial:missing_translations"))
    assert url(rich_article) in html(report)


def test_a_page_locked_by_someone_else_is_not_saved(admin_client, rich_article, django_user_model):
    other = django_user_model.objects.create_user("colleague", password="pw-for-tests-only")
    Page.objects.filter(pk=rich_article.pk).update(locked=True, locked_by=other)
    response = admin_client.post(url(rich_article), form_for(rich_article, title="Tiêu đề khác"))
    assert response.status_code == 200
    assert any("locked" in m for m in messages_of(response))
    assert textarea(response, "title") == "Tiêu đề khác"
    assert not SegmentTranslation.objects.exists()


def test_an_emptied_box_keeps_the_previous_translation_and_says_so(admin_client, rich_article):
    admin_client.post(url(rich_article), form_for(rich_article, title="Tiêu đề đã dịch"))
    response = admin_client.post(url(rich_article), form_for(rich_article, title=""))
    assert response.status_code == 302
    assert any("its previous translation stays" in m for m in messages_of(response))
    assert latest(rich_article).title_vi == "Tiêu đề đã dịch"
    assert textarea(admin_client.get(url(rich_article)), "title") == "Tiêu đề đã dịch"


def posted_form(response):
    """The form as a browser posts it: the revision and every textarea as shown."""
    page = html(response)
    form = {"revision": re.search(r'name="revision" value="(\d*)"', page).group(1)}
    for name, text in re.findall(
        r'<textarea[^>]*name="(t:[^"]+)"[^>]*>(.*?)</textarea>', page, re.S
    ):
        form[unescape(name)] = unescape(text)
    return form


def test_a_save_where_nothing_changed_makes_no_revision(vi_admin_client, rich_article):
    # The first save makes the position pairing permanent: a change, so a revision.
    first = vi_admin_client.post(
        url(rich_article), posted_form(vi_admin_client.get(url(rich_article)))
    )
    assert first.status_code == 302
    revisions = Page.objects.get(pk=rich_article.pk).revisions.count()

    response = vi_admin_client.post(
        url(rich_article), posted_form(vi_admin_client.get(url(rich_article)))
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Không có gì để lưu: không có bản dịch nào thay đổi."]
    assert Page.objects.get(pk=rich_article.pk).revisions.count() == revisions

    # One changed box is a change again.
    form = posted_form(vi_admin_client.get(url(rich_article))) | {"t:title": "Tiêu đề khác"}
    response = vi_admin_client.post(url(rich_article), form)
    assert "Bản dịch đã được lưu nháp" in messages_of(response)[0]
    assert Page.objects.get(pk=rich_article.pk).revisions.count() == revisions + 1


def test_the_keyboard_and_the_next_link_are_offered_in_vietnamese(vi_admin_client, rich_article):
    edit_english(
        rich_article,
        lambda body: body.append(
            {"type": "heading", "id": "new-h", "value": {"text": "Added", "level": "h2"}}
        ),
    )
    page = html(vi_admin_client.get(url(rich_article)))
    # The link leads to the first row left to do (without JavaScript too); keyboard.js moves on.
    target = re.search(r'href="#(segment-\d+)" data-translate-next', page).group(1)
    assert re.search(rf'<textarea id="{target}" name="t:body/new-h/text"', page)
    assert "Phân đoạn chưa dịch hoặc đã cũ tiếp theo" in page
    assert (
        "Bàn phím: <kbd>Alt</kbd>+<kbd>↓</kbd> đến phân đoạn chưa dịch hoặc đã cũ tiếp theo, "
        "<kbd>Alt</kbd>+<kbd>↑</kbd> về phân đoạn trước, <kbd>Ctrl</kbd>+<kbd>S</kbd> "
        "(<kbd>⌘</kbd>+<kbd>S</kbd> trên máy Mac) lưu bản nháp." in page
    )
    assert re.search(r'<script src="[^"]*workspace/keyboard\.js"', page)
    assert 'data-translate-save aria-keyshortcuts="Control+S Meta+S">Lưu bản nháp' in page

    # Nothing left to do: no link, the announcement is ready for the keyboard.
    form = posted_form(vi_admin_client.get(url(rich_article)))
    form["t:body/new-h/text"] = "Đã thêm"
    assert vi_admin_client.post(url(rich_article), form).status_code == 302
    page = html(vi_admin_client.get(url(rich_article)))
    assert "data-translate-next" not in page
    assert 'data-none="Không còn phân đoạn nào ở đây chưa dịch hoặc đã cũ."' in page


# -- quality bars ----------------------------------------------------------------------------


@pytest.mark.parametrize("repeat", [2, 20])
def test_30_or_300_segments_render_with_the_same_number_of_queries(
    admin_client,
    article_index,
    prp,
    exosomes,
    doctors,
    pictures,
    clinic,
    django_assert_num_queries,
    documents_follow_content,
    repeat,
):
    warm = make_rich_article(article_index, prp, exosomes, doctors, pictures, "warm", repeat=1)
    admin_client.get(url(warm))  # per-process caches (content types, site root)
    page = make_rich_article(article_index, prp, exosomes, doctors, pictures, "n", repeat=repeat)
    segments = len(page_segments(page))
    assert segments == {2: 33, 20: 303}[repeat]
    documents_follow_content["drain"]()  # the read model catches up first, as after a commit
    # Session, user, profile, page, its type, the records, the glossary, and Wagtail's
    # site-root lookup (locales, roots, root): none of them grows with the segments.
    with django_assert_num_queries(10):
        response = admin_client.get(url(page))
    assert html(response).count('lang="vi" rows=') == segments


def test_a_failure_midway_through_a_save_leaves_nothing_written(admin_client, rich_article):
    """Records are written before the revision; a database failure then takes them back too."""
    from django.db import DatabaseError
    from django.db.models.signals import pre_save
    from wagtail.models import Revision

    from workspace.workspace import Workspace

    real_page = Page.objects.get(pk=rich_article.pk).specific
    before = (real_page.latest_revision_id, real_page.revisions.count())
    written = []

    def fail(sender, **kwargs):
        written.append(SegmentTranslation.objects.filter(page=rich_article).count())
        raise DatabaseError("the disk is full")

    pre_save.connect(fail, sender=Revision)
    try:
        with pytest.raises(DatabaseError):
            Workspace(real_page, "vi").save(
                {
                    "title": "Tiêu đề mới",
                    f"body/{english_ids(rich_article)['heading']}/text": "Mới",
                },
                set(),
                real_page.owner,
                real_page.latest_revision_id,
            )
    finally:
        pre_save.disconnect(fail, sender=Revision)
    assert written == [2]  # the records were written when the revision failed …
    assert not SegmentTranslation.objects.exists()  # … and are gone with it
    after = Page.objects.get(pk=rich_article.pk)
    assert (after.latest_revision_id, after.revisions.count()) == before
    assert after.specific.title_vi == "Bài viết đầy đủ rich"
