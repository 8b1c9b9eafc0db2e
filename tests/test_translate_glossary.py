"""The medical glossary: terms found in the English source, translations that skip the
approved Vietnamese flagged in the workspace, terms edited in the admin and by CSV."""

import re
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.users.models import UserProfile

from workspace.glossary import Glossary, GlossaryTerm
from workspace.models import Term

from .api_fixtures import make_rich_article

pytestmark = pytest.mark.django_db

PLASMA = GlossaryTerm("platelet-rich plasma", "huyết tương giàu tiểu cầu")
PRP = GlossaryTerm("PRP", keep_as_is=True)
REGEN = GlossaryTerm("regenerative", "tái tạo")
EXOSOME = GlossaryTerm("exosome", "exosome (túi ngoại bào)", keep_as_is=True)


def found(glossary, text):
    return [(term.english, text[start:end]) for term, start, end in glossary.find(text)]


@pytest.fixture
def vi_admin_client(admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    return admin_client


def workspace_url(page):
    return reverse("translate:page", args=[page.pk, "vi"])


def row_html(page, segment_id):
    """The workspace row of one segment."""
    rows = page.split('<tr class="translate-row')
    return next(row for row in rows if f'data-segment="{segment_id}"' in row)


# -- matching --------------------------------------------------------------------------------


def test_terms_are_found_ignoring_case_and_diacritics_on_whole_words_only():
    glossary = Glossary([PLASMA, PRP, REGEN, EXOSOME])
    assert found(glossary, "Platelet-Rich  Plasma (prp) and EXOSOMES") == [
        ("platelet-rich plasma", "Platelet-Rich  Plasma"),
        ("PRP", "prp"),
        ("exosome", "EXOSOMES"),
    ]
    assert found(glossary, "Régénérative care") == [("regenerative", "Régénérative")]
    # No hit inside another word.
    assert found(glossary, "PRPX, sPRP, nonregenerativeness, exosomesque") == []


def test_a_translation_uses_the_approved_term_with_or_without_diacritics():
    glossary = Glossary([PLASMA, REGEN])
    assert glossary.uses("Tiêm huyết tương giàu tiểu cầu.", PLASMA)
    assert glossary.uses("Tiem HUYET TUONG giau tieu cau.", PLASMA)
    assert not glossary.uses("Tiêm huyết tương tiểu cầu.", PLASMA)
    # Whole words: "tái tạo" is not found inside "táitạo" or "tái tạom".
    assert not glossary.uses("liệu pháp tái tạom", REGEN)


def test_a_term_kept_as_is_must_appear_itself_in_the_translation():
    glossary = Glossary([PRP, EXOSOME])
    assert glossary.uses("Liệu pháp PRP tự thân", PRP)
    assert not glossary.uses("Liệu pháp huyết tương giàu tiểu cầu", PRP)
    # The kept term is what counts, not the Vietnamese explanation next to it.
    assert glossary.uses("Các exosome từ tế bào", EXOSOME)
    assert not glossary.uses("Các túi ngoại bào", EXOSOME)


# -- the workspace ---------------------------------------------------------------------------


def test_vietnamese_admin_sees_terms_marked_and_a_flag_for_a_skipped_term(
    vi_admin_client, rich_article
):
    Term.objects.create(english="Rich article", vietnamese="bài viết chuyên sâu")
    page = vi_admin_client.get(workspace_url(rich_article)).content.decode()

    # The title "Rich article rich" is translated "Bài viết đầy đủ rich": the term is skipped.
    title = row_html(page, "title")
    assert (
        '<mark class="translate-term" title="Đã phê duyệt: bài viết chuyên sâu">Rich article'
        in title
    )
    assert (
        'data-glossary-flag="Rich article">'
        "Không dùng thuật ngữ đã phê duyệt cho “Rich article”: “bài viết chuyên sâu”" in title
    )
    assert "bài viết chuyên sâu" in title.split('class="translate-glossary"')[1]  # beside it
    # The progress line counts every flag of the page.
    flags = page.count("data-glossary-flag=")
    assert flags >= 1 and f", {flags} cờ thuật ngữ</p>" in page
    # PRP and exosome are kept as is in the Vietnamese paragraph: marked, not flagged.
    assert '<mark class="translate-term" title="Giữ nguyên: PRP">PRP</mark>' in page
    assert "Giữ nguyên" in page and 'data-glossary-flag="PRP"' not in page
    assert 'data-glossary-flag="exosome"' not in page


def test_fixing_the_translation_clears_the_flag(admin_client, rich_article):
    Term.objects.create(english="Rich article", vietnamese="bài viết chuyên sâu")
    form = {
        "revision": str(Page.objects.get(pk=rich_article.pk).latest_revision_id or ""),
        "t:title": "Bài viết chuyên sâu về PRP",
    }
    before = admin_client.get(workspace_url(rich_article)).content.decode()
    assert 'data-glossary-flag="Rich article"' in row_html(before, "title")
    assert admin_client.post(workspace_url(rich_article), form).status_code == 302
    page = admin_client.get(workspace_url(rich_article)).content.decode()
    assert "data-glossary-flag" not in row_html(page, "title")
    assert page.count("data-glossary-flag=") == before.count("data-glossary-flag=") - 1


def test_workspace_queries_do_not_grow_with_the_glossary(
    admin_client, article_index, prp, exosomes, doctors, pictures, clinic
):
    page = make_rich_article(article_index, prp, exosomes, doctors, pictures, "q", repeat=3)
    admin_client.get(workspace_url(page))  # warm per-process caches
    counts = []
    for extra in (0, 300):
        Term.objects.bulk_create(
            Term(english=f"term {n}", vietnamese=f"thuật ngữ {n}", key=f"term {n}")
            for n in range(extra)
        )
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(workspace_url(page)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# -- the snippet -----------------------------------------------------------------------------


def test_a_duplicate_term_is_a_form_error_that_keeps_the_input(vi_admin_client):
    before = Term.objects.count()
    response = vi_admin_client.post(
        reverse("wagtailsnippets_workspace_term:add"),
        {"english": "Platelet-Rich Pláşma", "vietnamese": "huyết tương mới", "note": "ghi chú"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "đã có trong bảng thuật ngữ" in page
    assert "huyết tương mới" in page and "ghi chú" in page
    assert Term.objects.count() == before


def test_a_term_without_vietnamese_must_be_kept_as_is(vi_admin_client):
    response = vi_admin_client.post(
        reverse("wagtailsnippets_workspace_term:add"), {"english": "fibroblast"}
    )
    assert response.status_code == 200
    assert "Nhập thuật ngữ tiếng Việt đã phê duyệt" in response.content.decode()
    assert not Term.objects.filter(english="fibroblast").exists()


def test_the_glossary_is_in_the_vietnamese_admin_menu_with_an_export_link(vi_admin_client):
    response = vi_admin_client.get(reverse("wagtailsnippets_workspace_term:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "B\\u1ea3ng thu\\u1eadt ng\\u1eef y khoa" in page  # the menu (sidebar JSON)
    assert "huyết tương giàu tiểu cầu" in page  # a seeded term
    assert reverse("translate:glossary_export") in page and "Xuất CSV" in page

    export = vi_admin_client.get(reverse("translate:glossary_export"))
    assert export["Content-Type"].startswith("text/csv")
    body = export.content
    assert body.startswith(b"\xef\xbb\xbfenglish,vietnamese,note,keep_as_is\r\n")
    assert "platelet-rich plasma,huyết tương giàu tiểu cầu," in body.decode("utf-8-sig")


# -- CSV -------------------------------------------------------------------------------------


def test_csv_round_trip_for_translators(tmp_path):
    path = tmp_path / "glossary.csv"
    call_command("glossary_csv", "export", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert 'PRP,,"Viết tắt quốc tế; giữ nguyên' in text and ",yes\r\n" in text
    count = Term.objects.count()

    # Importing the untouched file changes nothing.
    call_command("glossary_csv", "import", str(path))
    assert Term.objects.count() == count

    # A translator changes one term and adds one (decomposed Vietnamese, as some tools save).
    text = text.replace("autologous,tự thân,", "Autologous,tự thân (tự lấy),")
    text += unicodedata.normalize("NFD", "fibroblast,nguyên bào sợi,,no\r\n")
    path.write_text(text, encoding="utf-8-sig")
    call_command("glossary_csv", "import", str(path))
    assert Term.objects.count() == count + 1
    assert Term.objects.get(key="autologous").vietnamese == "tự thân (tự lấy)"
    assert Term.objects.get(english="fibroblast").vietnamese == "nguyên bào sợi"  # NFC


def test_an_invalid_csv_writes_nothing_and_names_each_bad_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "english,vietnamese,note,keep_as_is\r\n"
        "fibroblast,nguyên bào sợi,,no\r\n"  # fine on its own
        "keratinocyte,,,no\r\n"  # no Vietnamese
        "Fibroblast,tế bào sợi,,no\r\n"  # twice in the file
        "collagen,,,maybe\r\n",  # not yes or no
        encoding="utf-8-sig",
    )
    before = list(Term.objects.values_list("english", "vietnamese"))
    with pytest.raises(CommandError) as error:
        call_command("glossary_csv", "import", str(path))
    message = str(error.value)
    assert "Row 3" in message and "Row 4" in message and "Row 5" in message
    assert "Row 2" not in message
    assert list(Term.objects.values_list("english", "vietnamese")) == before


def test_the_missing_translations_report_counts_glossary_flags(
    vi_admin_client, rich_article, documents_follow_content
):
    Term.objects.create(english="Rich article", vietnamese="bài viết chuyên sâu")
    workspace = vi_admin_client.get(workspace_url(rich_article)).content.decode()
    flags = workspace.count("data-glossary-flag=")
    # An English change the Vietnamese lacks puts the page in the report.
    page = Page.objects.get(pk=rich_article.pk).specific.get_latest_revision_as_object()
    page.search_description_en = "Now with a description the Vietnamese lacks."
    with translation.override("en"):
        page.save_revision()
    documents_follow_content["drain"]()  # the documents the revision changed, not the report's

    with CaptureQueriesContext(connection) as queries:
        report = vi_admin_client.get(reverse("editorial:missing_translations"))
    text = report.content.decode()
    assert "Cờ thuật ngữ" in text
    row = next(r for r in text.split("<tr") if workspace_url(rich_article) in r)
    assert re.search(rf"<td[^>]*>\s*{flags}\s*</td>", row), row
    assert len(queries) < 60
