"""A bilingual editor creates, edits and publishes pages through the real Wagtail admin views."""

import re
import unicodedata

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.users.models import UserProfile

from home.models import HomePage
from therapies.models import ArticleIndexPage, ArticlePage, TherapyIndexPage, TherapyPage

from .admin_forms import article_form, comparison, nested_form_data, paragraph, stream_form_data

pytestmark = pytest.mark.django_db


def add_url(parent, model="articlepage"):
    return reverse("wagtailadmin_pages:add", args=("therapies", model, parent.pk))


def test_editor_creates_and_publishes_article_in_both_languages(
    admin_client, article_index, prp, exosomes
):
    form = article_form(
        "How PRP and exosomes differ",
        "prp-vs-exosomes",
        "PRP và exosome khác nhau ra sao",
        "prp-va-exosome",
        body_en=[
            paragraph("<p>PRP comes from your own blood.</p>"),
            comparison(
                [prp, exosomes], [("Evidence", ("Many trials", "Early studies"))], title="Compared"
            ),
        ],
        body_vi=[
            paragraph("<p>PRP được lấy từ máu của chính bạn.</p>"),
            comparison(
                [prp, exosomes], [("Bằng chứng", ("Nhiều thử nghiệm", "Nghiên cứu ban đầu"))]
            ),
        ],
    )
    response = admin_client.post(add_url(article_index), form)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = ArticlePage.objects.get(slug_en="prp-vs-exosomes")
    assert page.live
    assert page.title_vi == "PRP và exosome khác nhau ra sao"
    assert page.slug_vi == "prp-va-exosome"
    assert page.body_vi[1].value["rows"][0]["values"][1] == "Nghiên cứu ban đầu"

    reader = admin_client.get("/vi/bai-viet/prp-va-exosome/")
    assert reader.status_code == 200
    assert "Nghiên cứu ban đầu" in reader.content.decode()
    assert admin_client.get("/en/articles/prp-vs-exosomes/").status_code == 200


def test_editing_only_vietnamese_keeps_english_and_revisions_keep_both(admin_client, article):
    english_title = article.title_en
    english_body = _without_block_keys(article.body_en)
    edit = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    # The form as the editor's screen posts it, with only the Vietnamese title changed.
    data = article_form(
        article.title_en,
        article.slug_en,
        "Exosome và PRP: khác biệt thực sự",
        article.slug_vi,
        lead_en=article.lead_en,
        lead_vi=article.lead_vi,
        reviewed_by=str(article.reviewed_by_id),
    )
    data.update(
        nested_form_data(
            {
                "body_en": stream_form_data(article.body_en),
                "body_vi": stream_form_data(article.body_vi),
            }
        )
    )
    response = admin_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    article.refresh_from_db()
    assert article.title_vi == "Exosome và PRP: khác biệt thực sự"
    assert article.title_en == english_title
    # Draftail adds block keys to rich text on a round trip; the content itself is unchanged.
    assert _without_block_keys(article.body_en) == english_body

    revisions = article.revisions.order_by("created_at")
    first, latest = revisions.first().content, revisions.last().content
    assert first["title_vi"] == "Exosome và PRP khác nhau thế nào"
    assert latest["title_vi"] == "Exosome và PRP: khác biệt thực sự"
    assert latest["title_en"] == english_title == first["title_en"]


def test_comparison_row_with_wrong_number_of_values_is_a_form_error_that_keeps_text(
    admin_client, article_index, prp, exosomes
):
    form = article_form(
        "Broken comparison",
        "broken-comparison",
        "So sánh lỗi",
        "so-sanh-loi",
        body_en=[comparison([prp, exosomes], [("Nature", ("Only one value",))])],
    )
    response = admin_client.post(add_url(article_index), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "exactly one value per therapy" in html
    assert "Only one value" in html  # the editor's text is still in the form
    assert "So sánh lỗi" in html
    assert not ArticlePage.objects.filter(slug_en="broken-comparison").exists()


def test_comparison_with_fewer_than_two_therapies_is_a_form_error(admin_client, article_index, prp):
    form = article_form(
        "Lonely comparison",
        "lonely",
        "So sánh một mình",
        "mot-minh",
        body_en=[comparison([prp], [("Nature", ("Own blood",))])],
    )
    response = admin_client.post(add_url(article_index), form)
    assert response.status_code == 200
    assert "Compare at least two therapies" in response.content.decode()
    assert not ArticlePage.objects.filter(slug_en="lonely").exists()


def test_decomposed_vietnamese_title_is_stored_composed(admin_client, article_index):
    decomposed = unicodedata.normalize("NFD", "Liệu pháp tái tạo đẹp da")
    assert decomposed != "Liệu pháp tái tạo đẹp da"
    form = article_form(
        "Skin regeneration",
        "skin",
        decomposed,
        "da",
        body_vi=[paragraph(unicodedata.normalize("NFD", "<p>Bước đầu tiên</p>"))],
    )
    response = admin_client.post(add_url(article_index), form)
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug_en="skin")
    assert page.title_vi == "Liệu pháp tái tạo đẹp da"
    assert "Bước đầu tiên" in page.body_vi[0].value.source
    assert page.get_latest_revision().content["title_vi"] == "Liệu pháp tái tạo đẹp da"


def test_admin_page_search_finds_vietnamese_and_english_titles(admin_client, article, prp):
    search = reverse("wagtailadmin_pages:search")
    edit_link = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    for query in ("Exosome và PRP khác nhau", "Exosomes vs PRP", "khác nhau"):
        assert edit_link in admin_client.get(search, {"q": query}).content.decode(), query
    assert edit_link not in admin_client.get(search, {"q": "zzzunrelated"}).content.decode()


def test_vietnamese_is_offered_as_admin_language(admin_client):
    response = admin_client.get(reverse("wagtailadmin_account"))
    assert '<option value="vi">Tiếng Việt</option>' in response.content.decode()


def test_admin_in_vietnamese_shows_project_strings_translated(
    admin_client, django_user_model, article_index
):
    user = django_user_model.objects.get(username="editor")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()
    html = admin_client.get(add_url(article_index)).content.decode()
    assert "Lời dẫn" in html  # "lead" label of the ArticlePage
    assert "Bài viết liên quan" in html  # "Related articles" panel


_BLOCK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _without_block_keys(stream_value):
    """The body as a reader sees it (rendered), without Draftail's block keys or block ids.

    (Block templates label themselves with their block's id, which a form round trip renews.)
    """
    return _BLOCK_ID.sub("", re.sub(r' data-block-key="[^"]*"', "", str(stream_value)))


class TestPageTree(WagtailPageTestCase):
    """Which page types can be created where."""

    def test_home_holds_the_two_sections(self):
        self.assertAllowedSubpageTypes(HomePage, {TherapyIndexPage, ArticleIndexPage})

    def test_sections_hold_their_pages_only(self):
        self.assertAllowedSubpageTypes(TherapyIndexPage, {TherapyPage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertAllowedParentPageTypes(TherapyPage, {TherapyIndexPage})
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})

    def test_articles_cannot_be_created_under_home_or_therapies(self):
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(TherapyIndexPage, ArticlePage)
        self.assertCanNotCreateAt(Page, TherapyPage)
        self.assertCanCreateAt(ArticleIndexPage, ArticlePage)


def test_editor_previews_unsaved_vietnamese_changes(admin_client, article):
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    data = article_form(
        article.title_en,
        article.slug_en,
        "Bản xem trước chưa lưu",
        article.slug_vi,
        lead_vi="Lời dẫn đang soạn dở.",
        action=None,
    )
    data.update(
        nested_form_data(
            {
                "body_en": stream_form_data(article.body_en),
                "body_vi": stream_form_data(article.body_vi),
            }
        )
    )
    assert admin_client.post(preview, data).json()["is_valid"] is True
    vietnamese = admin_client.get(preview, {"mode": "vi"}).content.decode()
    assert '<html lang="vi">' in vietnamese
    assert "Bản xem trước chưa lưu" in vietnamese and "Lời dẫn đang soạn dở." in vietnamese
    english = admin_client.get(preview, {"mode": "en"}).content.decode()
    assert f"<h1>{article.title_en}</h1>" in english and "Lời dẫn" not in english
    article.refresh_from_db()
    assert article.title_vi == "Exosome và PRP khác nhau thế nào"  # nothing saved by previewing
    assert "Bản xem trước" not in admin_client.get("/vi/bai-viet/exosome-va-prp/").content.decode()


def test_admin_shows_avatars_without_asking_a_third_party(client, django_user_model):
    """No editor's e-mail hash goes to gravatar.com, and the avatar shows offline."""
    user = django_user_model.objects.create_superuser(
        "lan", "lan.nguyen@example.com", "pw-for-tests-only"
    )
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    # The sidebar's account menu (JSON for its script) and the dashboard's welcome panel.
    avatars = re.findall(r'"avatarUrl": "([^"]*)"', html) + re.findall(
        r'<span[^>]*class="avatar[^"]*"[^>]*>\s*<img src="([^"]*)"', html
    )
    assert len(avatars) >= 2, "the sidebar and the dashboard show the editor's avatar"
    for src in avatars:
        assert src.startswith("/static/wagtailadmin/images/"), src
    assert "gravatar" not in html
