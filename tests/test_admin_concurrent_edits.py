"""Two editors save one page from the same revision: nothing either typed is lost.

Editor A works on English, editor B on Vietnamese; both opened the article at the same
revision. A saves first; B's save is based on an older revision than the latest.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from revisions.models import HeldEdit

from . import factories
from .admin_forms import article_edit_data, edit_post, inline_formset, rich_text
from .editorial_fixtures import _client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(django_user_model):
    return django_user_model.objects.create_superuser(
        "anna", "anna@example.com", "pw-for-tests-only", first_name="Anna", last_name="Smith"
    )


@pytest.fixture
def binh(django_user_model):
    return django_user_model.objects.create_superuser(
        "binh", "binh@example.com", "pw-for-tests-only", first_name="Bình", last_name="Trần"
    )


@pytest.fixture
def loaded(article):
    """The revision both editors opened."""
    article.save_revision()
    return latest_revision(article)


def latest_revision(page):
    page.refresh_from_db()
    return page.get_latest_revision()


def latest(page):
    """The page as its latest revision holds it (what the next editor opens)."""
    return latest_revision(page).as_object()


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _block(data, field, block_type):
    return next(
        key
        for key, value in data[field].items()
        if isinstance(value, dict) and value.get("type") == block_type
    )


def test_english_and_vietnamese_edits_from_one_revision_are_merged(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    english = article_edit_data(loaded)
    english["title_en"] = "Exosomes and PRP, compared"
    english["body_en"][_block(english, "body_en", "paragraph")]["value"] = rich_text(
        "<p>PRP is made from your own blood.</p>"
    )
    vietnamese = article_edit_data(loaded)
    vietnamese["title_vi"] = "So sánh exosome và PRP"
    vietnamese["body_vi"][_block(vietnamese, "body_vi", "paragraph")]["value"] = rich_text(
        "<p>PRP được điều chế từ chính máu của bạn.</p>"
    )

    assert a.post(edit_url(article), edit_post(english, loaded)).status_code == 302
    response = b.post(edit_url(article), edit_post(vietnamese, loaded))
    assert response.status_code == 302
    assert response["Location"] == edit_url(article)

    page = latest(article)
    assert page.title_en == "Exosomes and PRP, compared"
    assert page.title_vi == "So sánh exosome và PRP"
    assert "PRP is made from your own blood." in str(page.body_en)
    assert "PRP được điều chế từ chính máu của bạn." in str(page.body_vi)
    told = " ".join(_messages(response))
    assert "Anna Smith saved this page" in told
    assert "Title [en]" in told and "Body [en] › Paragraph" in told
    assert not HeldEdit.objects.exists()


def test_changes_to_different_items_of_one_list_block_are_merged(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    first = article_edit_data(loaded)
    warning = _block(first, "body_vi", "claims_warning")
    first["body_vi"][warning]["value"]["claims"]["0"]["value"]["why"] = "Da vẫn tiếp tục lão hóa."
    second = article_edit_data(loaded)
    claims = second["body_vi"][warning]["value"]["claims"]
    claims["1"] = {
        "value": {"claim": "thay thế phẫu thuật", "why": "Không có bằng chứng."},
        "deleted": "",
        "order": "1",
        "id": "",
    }
    claims["count"] = "2"
    second["body_vi"][warning]["value"]["title"] = "Những lời quảng cáo cần dè chừng"

    assert a.post(edit_url(article), edit_post(first, loaded)).status_code == 302
    assert b.post(edit_url(article), edit_post(second, loaded)).status_code == 302

    block = next(b for b in latest(article).body_vi if b.block_type == "claims_warning")
    assert block.value["title"] == "Những lời quảng cáo cần dè chừng"
    assert [(c["claim"], c["why"]) for c in block.value["claims"]] == [
        ("trẻ hóa vĩnh viễn", "Da vẫn tiếp tục lão hóa."),
        ("thay thế phẫu thuật", "Không có bằng chứng."),
    ]


def test_publishing_a_stale_form_publishes_both_languages(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    english = article_edit_data(loaded)
    english["lead_en"] = "What the evidence says about both."
    vietnamese = article_edit_data(loaded)
    vietnamese["lead_vi"] = "Bằng chứng nói gì về cả hai liệu pháp."

    assert a.post(edit_url(article), edit_post(english, loaded)).status_code == 302
    response = b.post(edit_url(article), edit_post(vietnamese, loaded, "action-publish"))
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.live_revision_id == article.latest_revision_id
    assert article.lead_en == "What the evidence says about both."
    assert article.lead_vi == "Bằng chứng nói gì về cả hai liệu pháp."


def test_same_field_changed_by_both_shows_the_conflict_view_and_keeps_the_typed_text(
    article, loaded, anna, binh
):
    a, b = _client_for(anna), _client_for(binh)
    first = article_edit_data(loaded)
    first["title_vi"] = "Exosome hay PRP: nên chọn gì?"
    second = article_edit_data(loaded)
    second["title_vi"] = "PRP và exosome: điều cần biết"
    second["lead_en"] = "A careful comparison."

    assert a.post(edit_url(article), edit_post(first, loaded)).status_code == 302
    theirs = latest_revision(article)
    response = b.post(edit_url(article), edit_post(second, loaded, "action-publish"))

    held = HeldEdit.objects.get()
    assert response.status_code == 302 and response["Location"] == held.url
    assert latest_revision(article).pk == theirs.pk  # nothing of B's was saved yet
    assert held.content["title_vi"] == "PRP và exosome: điều cần biết"

    view = b.get(held.url)
    html = view.content.decode()
    assert view.status_code == 200
    assert "Exosome hay PRP: nên chọn gì?" in html  # theirs
    assert "PRP và exosome: điều cần biết" in html  # mine, as typed
    assert "Anna Smith" in html and "Bình Trần" in html
    assert "Title [vi]" in html
    assert "Lead [en]" not in html.split("Merged without conflict")[0]

    choice = {f"choice:{c}": "mine" for c in ["title_vi"]}
    saved = b.post(held.url, choice)
    assert saved.status_code == 302 and saved["Location"] == edit_url(article)
    page = latest(article)
    assert page.title_vi == "PRP và exosome: điều cần biết"
    assert page.lead_en == "A careful comparison."
    held.refresh_from_db()
    assert held.resolved_revision_id == latest_revision(article).pk
    # Theirs stays a revision; the publish B asked for waits for B.
    assert article.revisions.filter(pk=theirs.pk).exists()
    article.refresh_from_db()
    assert article.live_revision_id != article.latest_revision_id
    assert "Nothing was published" in " ".join(_messages(saved))


def test_choosing_their_version_for_one_block_and_mine_for_another(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    paragraph = _block(first, "body_vi", "paragraph")
    heading = _block(first, "body_vi", "heading")
    first["body_vi"][paragraph]["value"] = rich_text("<p>Bản của Anna.</p>")
    first["body_vi"][heading]["value"]["text"] = "Tiêu đề của Anna"
    second["body_vi"][paragraph]["value"] = rich_text("<p>Bản của Bình, có dấu đầy đủ.</p>")
    second["body_vi"][heading]["value"]["text"] = "Tiêu đề của Bình"

    a.post(edit_url(article), edit_post(first, loaded))
    b.post(edit_url(article), edit_post(second, loaded))
    held = HeldEdit.objects.get()
    page = latest(article)
    ids = {child.block_type: child.id for child in page.body_vi}
    html = b.get(held.url).content.decode()
    assert "Bản của Anna." in html and "Bản của Bình, có dấu đầy đủ." in html
    assert "Body [vi] › Paragraph" in html and "Body [vi] › Heading › Text" in html

    b.post(
        held.url,
        {
            f"choice:body_vi/{ids['paragraph']}": "theirs",
            f"choice:body_vi/{ids['heading']}/text": "mine",
        },
    )
    body = str(latest(article).body_vi)
    assert "Bản của Anna." in body and "Tiêu đề của Bình" in body
    assert "Bản của Bình" not in body
    assert HeldEdit.objects.get().resolved_at is not None


def test_the_conflict_view_shows_rich_text_as_the_reader_reads_it(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    paragraph = _block(first, "body_vi", "paragraph")
    first["body_vi"][paragraph]["value"] = rich_text("<p>PRP & exosome của Anna.</p>")
    second["body_vi"][paragraph]["value"] = rich_text("<p>PRP & HA của Bình.</p>")
    a.post(edit_url(article), edit_post(first, loaded))
    b.post(edit_url(article), edit_post(second, loaded))
    view = b.get(HeldEdit.objects.get().url)
    shown = BeautifulSoup(view.content, "html.parser").get_text()
    assert "PRP & exosome của Anna." in shown and "PRP & HA của Bình." in shown
    assert "&amp;" not in shown


def test_an_unresolved_conflict_is_offered_again_on_the_edit_screen(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    first["title_vi"], second["title_vi"] = "Một", "Hai"
    a.post(edit_url(article), edit_post(first, loaded))
    b.post(edit_url(article), edit_post(second, loaded))
    held = HeldEdit.objects.get()
    html = b.get(edit_url(article)).content.decode()
    assert held.url in html
    assert held.url not in a.get(edit_url(article)).content.decode()  # only B's text waits
    assert a.get(held.url).status_code == 404


def test_an_invalid_stale_form_keeps_the_revision_it_was_loaded_from(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    first["title_en"] = "Anna's title"
    second["title_vi"] = "Tiêu đề mới"
    second["slug_en"] = "not a slug!"
    a.post(edit_url(article), edit_post(first, loaded))
    response = b.post(edit_url(article), edit_post(second, loaded, "action-publish"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiêu đề mới" in html
    assert f'name="loaded_revision_id" value="{loaded.pk}"' in html


def test_the_check_and_the_save_happen_under_one_row_lock(article, loaded, anna, binh):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    first["title_en"], second["title_vi"] = "Anna's title", "Tiêu đề của Bình"
    a.post(edit_url(article), edit_post(first, loaded))
    with CaptureQueriesContext(connection) as queries:
        assert b.post(edit_url(article), edit_post(second, loaded)).status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    # The lock reads only the latest revision's id (loading the page reads every column).
    lock = next(
        i
        for i, q in enumerate(sql)
        if q.startswith('SELECT "wagtailcore_page"."latest_revision_id"')
        and ("FOR UPDATE" in q) == connection.features.has_select_for_update
    )
    insert = next(
        i for i, q in enumerate(sql) if q.startswith('INSERT INTO "wagtailcore_revision"')
    )
    savepoint = max(i for i, q in enumerate(sql[:lock]) if q.startswith("SAVEPOINT"))
    name = sql[savepoint].split()[-1]
    release = next(i for i, q in enumerate(sql) if q == f"RELEASE SAVEPOINT {name}")
    assert savepoint < lock < insert < release


@pytest.fixture
def other_articles(article_index):
    return [
        factories.make_article(
            article_index, "Hair loss and PRP", "hair-prp", "Rụng tóc", "rung-toc"
        ),
        factories.make_article(
            article_index, "Skin boosters", "boosters", "Tiêm dưỡng", "tiem-duong"
        ),
    ]


def _links(*pages):
    return inline_formset([{"page": str(p.pk)} for p in pages])


def _linked(page):
    return [link.page_id for link in latest(page).related_links.all()]


def test_related_articles_only_the_other_editor_changed_are_merged(
    article, loaded, anna, binh, other_articles
):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    first["related_links"] = _links(other_articles[0])
    second["title_vi"] = "Exosome và PRP khác nhau thế nào"

    assert a.post(edit_url(article), edit_post(first, loaded)).status_code == 302
    response = b.post(edit_url(article), edit_post(second, loaded))

    assert response.status_code == 302 and response["Location"] == edit_url(article)
    assert not HeldEdit.objects.exists()
    assert _linked(article) == [other_articles[0].pk]
    assert latest(article).title_vi == "Exosome và PRP khác nhau thế nào"
    assert "Related articles" in " ".join(_messages(response))


def test_related_articles_only_this_editor_changed_are_kept(
    article, loaded, anna, binh, other_articles
):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    first["title_en"] = "Exosomes and PRP, compared"
    second["related_links"] = _links(other_articles[1])

    assert a.post(edit_url(article), edit_post(first, loaded)).status_code == 302
    assert b.post(edit_url(article), edit_post(second, loaded)).status_code == 302
    assert not HeldEdit.objects.exists()
    assert _linked(article) == [other_articles[1].pk]
    assert latest(article).title_en == "Exosomes and PRP, compared"


def test_related_articles_both_changed_differently_go_to_the_conflict_view(
    article, loaded, anna, binh, other_articles
):
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    first["related_links"] = _links(other_articles[0])
    second["related_links"] = _links(other_articles[1])

    assert a.post(edit_url(article), edit_post(first, loaded)).status_code == 302
    response = b.post(edit_url(article), edit_post(second, loaded))
    held = HeldEdit.objects.get()
    assert response["Location"] == held.url
    assert _linked(article) == [other_articles[0].pk]

    html = b.get(held.url).content.decode()
    assert 'name="choice:related_links"' in html and "Related articles" in html
    assert "Hair loss and PRP" in html and "Skin boosters" in html  # what each side links to
    b.post(held.url, {"choice:related_links": "mine"})
    assert _linked(article) == [other_articles[1].pk]


def test_the_conflict_view_reads_in_vietnamese_for_a_vietnamese_editor(
    article, loaded, anna, binh, other_articles
):
    UserProfile.get_for_user(binh).__class__.objects.filter(user=binh).update(
        preferred_language="vi"
    )
    a, b = _client_for(anna), _client_for(binh)
    first, second = article_edit_data(loaded), article_edit_data(loaded)
    first["title_vi"], second["title_vi"] = "Exosome hay PRP?", "PRP hay exosome: nên chọn gì?"
    first["related_links"] = _links(other_articles[0])
    second["related_links"] = _links(other_articles[1])
    a.post(edit_url(article), edit_post(first, loaded))
    b.post(edit_url(article), edit_post(second, loaded))
    held = HeldEdit.objects.get()

    view = b.get(held.url)
    html = view.content.decode()
    assert view.status_code == 200 and '<html lang="vi"' in html
    # The heading: the latest draft's title in the editor's language, English as the hint.
    assert "Thay đổi xung đột: Exosome hay PRP? · Exosomes vs PRP" in html
    assert "2 chỗ đã được sửa bởi cả bạn và Anna Smith." in html
    assert "Phiên bản của họ — Anna Smith" in html and "Phiên bản của bạn — Bình Trần" in html
    assert html.count("Giữ phiên bản của họ") == 2 and html.count("Giữ phiên bản của bạn") == 2
    assert "Lưu các phiên bản đã chọn thành bản nháp" in html
    assert "Keep their version" not in html and "Save the chosen" not in html
    assert "Exosome hay PRP?" in html and "PRP hay exosome: nên chọn gì?" in html
    legends = re.findall(r"<legend><h2>(.*?)</h2></legend>", html)
    assert sorted(legends) == ["Bài viết liên quan", "Tiêu đề [vi]"]  # the places, in Vietnamese

    saved = b.post(held.url, {"choice:title_vi": "theirs", "choice:related_links": "mine"})
    assert "bản nháp" in " ".join(_messages(saved))
    assert latest(article).title_vi == "Exosome hay PRP?"
    assert _linked(article) == [other_articles[1].pk]


# -- Wagtail's "someone saved a new version" dialog -------------------------------------------

COMBINED = {
    "en": (
        "Proceeding will combine your changes with those made by Anna Smith. Where you both"
        " changed the same text, you will see both versions side by side and choose which to keep."
    ),
    "vi": (
        "Nếu tiếp tục, thay đổi của bạn sẽ được gộp với thay đổi của Anna Smith. Nếu cả hai"
        " người cùng sửa một đoạn văn bản, bạn sẽ thấy hai phiên bản cạnh nhau và chọn phiên"
        " bản cần giữ."
    ),
}
COMBINED_OWN = {
    "en": (
        "Proceeding will combine these changes with the ones you saved in that window. Where"
        " both changed the same text, you will see both versions side by side and choose which"
        " to keep."
    ),
    "vi": (
        "Nếu tiếp tục, các thay đổi này sẽ được gộp với thay đổi bạn đã lưu ở cửa sổ đó. Nếu"
        " cả hai cùng sửa một đoạn văn bản, bạn sẽ thấy hai phiên bản cạnh nhau và chọn phiên"
        " bản cần giữ."
    ),
}


def _opened_editor(client, page):
    """What the edit screen's session form pings with: its URL and the revision it loaded."""
    form = BeautifulSoup(client.get(edit_url(page)).content, "html.parser").select_one(
        "form.w-editing-sessions"
    )
    fields = {
        name: form.select_one(f'input[name="{name}"]')["value"]
        for name in ("revision_id", "revision_created_at")
    }
    return form["data-w-swap-src-value"], {**fields, "is_editing": "1"}


def _save_dialog_subtitle(client, ping):
    """The save dialog's subtitle as the editor's next ping swaps it in."""
    url, data = ping
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.json()["html"]
    subtitle = BeautifulSoup(html, "html.parser").select_one(
        'template[data-w-teleport-target-value="#subtitle-w-save-confirmation-dialog"]'
    )
    return html, " ".join(subtitle.get_text(" ").split())


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("who", ["another editor", "the same editor in another window"])
def test_the_save_dialog_says_a_newer_version_is_combined_not_overwritten(
    article, loaded, anna, binh, language, who
):
    profile = UserProfile.get_for_user(binh)
    profile.preferred_language = language
    profile.save()
    b = _client_for(binh)
    ping = _opened_editor(b, article)
    saver = _client_for(anna) if who == "another editor" else _client_for(binh)
    saved = article_edit_data(loaded)
    saved["title_en"] = "Exosomes and PRP, compared"
    assert saver.post(edit_url(article), edit_post(saved, loaded)).status_code == 302

    html, subtitle = _save_dialog_subtitle(b, ping)
    expected = (COMBINED if who == "another editor" else COMBINED_OWN)[language]
    assert subtitle.startswith(expected)
    assert "overwrite" not in html.lower() and "ghi đè" not in html
    if language == "vi":
        assert "Proceeding" not in html and "Alternatively" not in html
