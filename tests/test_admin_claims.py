"""An editor publishes through the real admin views and meets the red-flag claims guard."""

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import PageLogEntry

from editorial.models import RedFlagClaim
from therapies.models import ArticlePage

from . import factories
from .admin_forms import article_form, list_block, paragraph
from .editorial_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def claims_warning(claim, why, title="Lời quảng cáo cần dè chừng"):
    return (
        "claims_warning",
        {"title": title, "intro": "", "claims": list_block([{"claim": claim, "why": why}])},
    )


def form_for(article, body_en=None, body_vi=None, action="action-publish", **extra):
    extra.setdefault("search_description_en", "PRP and exosomes compared.")
    extra.setdefault("search_description_vi", "So sánh PRP và exosome.")
    return article_form(
        article.title_en,
        article.slug_en,
        article.title_vi,
        article.slug_vi,
        body_en=body_en or [paragraph("<p>PRP comes from your own blood.</p>")],
        body_vi=body_vi or [paragraph("<p>PRP được lấy từ chính máu của bạn.</p>")],
        action=action,
        **extra,
    )


def message_texts(response):
    return [(m.level_tag, str(m.message)) for m in get_messages(response.wsgi_request)]


def test_seeded_claims_are_listed_in_the_admin(admin_client):
    response = admin_client.get(reverse("wagtailsnippets_editorial_redflagclaim:list"))
    html = response.content.decode()
    assert response.status_code == 200
    for phrase in (
        "permanent rejuvenation",
        "trẻ hóa vĩnh viễn",
        "a replacement for surgery",
        "thay thế phẫu thuật",
        "guaranteed results",
        "không có tác dụng phụ",
    ):
        assert phrase in html
    assert not RedFlagClaim.objects.filter(
        phrase="thần dược"
    ).exists()  # quoted by the demo article


def test_publish_is_refused_for_a_claim_in_the_vietnamese_body(publisher_client, article):
    body_vi = [paragraph("<p>Quảng cáo hứa hẹn <b>trẻ hóa vĩnh viễn</b> chỉ sau một lần tiêm.</p>")]
    response = publisher_client.post(edit_url(article), form_for(article, body_vi=body_vi))

    assert response.status_code == 302
    assert response["Location"] == edit_url(article)  # back to the editor, not the explorer
    [(level, text)] = [m for m in message_texts(response) if m[0] == "error"]
    assert "not published" in text
    assert "Vietnamese: Body › Paragraph 1" in text
    assert "trẻ hóa vĩnh viễn" in text
    assert "Quảng cáo hứa hẹn trẻ hóa vĩnh viễn chỉ sau một lần tiêm." in text  # the snippet

    article.refresh_from_db()
    assert "Quảng cáo hứa hẹn" not in str(article.body_vi.raw_data)  # live text unchanged
    draft = article.get_latest_revision_as_object()
    assert "trẻ hóa vĩnh viễn" in draft.body_vi[0].value.source  # nothing the editor typed is lost
    assert article.has_unpublished_changes


def test_the_same_phrase_inside_a_claims_warning_block_is_published(publisher_client, article):
    body_vi = [
        paragraph("<p>PRP được lấy từ chính máu của bạn.</p>"),
        claims_warning("trẻ hóa vĩnh viễn", "Da vẫn tiếp tục lão hóa."),
    ]
    body_en = [
        paragraph("<p>PRP comes from your own blood.</p>"),
        claims_warning("permanent rejuvenation", "Skin keeps ageing.", title="Claims"),
    ]
    response = publisher_client.post(
        edit_url(article), form_for(article, body_en=body_en, body_vi=body_vi)
    )

    assert response.status_code == 302
    assert response["Location"] != edit_url(article)
    assert not [m for m in message_texts(response) if m[0] == "error"]
    article.refresh_from_db()
    assert article.body_vi[1].block_type == "claims_warning"
    assert article.body_vi[1].value["claims"][0]["claim"] == "trẻ hóa vĩnh viễn"


def test_saving_a_draft_with_a_claim_is_allowed_with_a_warning(publisher_client, article):
    response = publisher_client.post(
        edit_url(article),
        form_for(article, action=None, lead_en="Guaranteed   results for every skin type."),
    )
    assert response.status_code == 302
    warnings = [text for level, text in message_texts(response) if level == "warning"]
    assert any("English: Lead" in w and "guaranteed results" in w for w in warnings)
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().lead_en.startswith("Guaranteed")


def test_publishing_a_new_page_with_a_claim_in_its_title_keeps_it_as_a_draft(
    publisher_client, article_index
):
    form = article_form(
        "PRP explained", "prp-explained", "PRP – phép màu cho làn da", "prp-phep-mau"
    )
    response = publisher_client.post(
        reverse("wagtailadmin_pages:add", args=("therapies", "articlepage", article_index.pk)), form
    )
    page = ArticlePage.objects.get(slug_en="prp-explained")
    assert response.status_code == 302 and response["Location"] == edit_url(page)
    assert not page.live
    errors = [text for level, text in message_texts(response) if level == "error"]
    assert "phép màu" in errors[0] and "Vietnamese: Title" in errors[0]


def test_a_user_with_the_override_permission_publishes_and_the_override_is_logged(
    overrider_client, overrider, article
):
    body_vi = [paragraph("<p>Cam kết: không có tác dụng phụ.</p>")]
    response = overrider_client.post(edit_url(article), form_for(article, body_vi=body_vi))

    assert response.status_code == 302
    article.refresh_from_db()
    assert "không có tác dụng phụ" in article.body_vi[0].value.source  # published
    entry = PageLogEntry.objects.get(page=article, action="editorial.publish_despite_claims")
    assert entry.user == overrider
    assert entry.timestamp is not None
    assert entry.data["hits"][0]["phrase"] == "không có tác dụng phụ"
    assert entry.data["hits"][0]["lang"] == "vi"

    history = overrider_client.get(reverse("wagtailadmin_pages:history", args=(article.pk,)))
    assert "Published despite red-flag claims" in history.content.decode()


def test_a_claim_added_in_the_admin_is_enforced_at_once(admin_client, publisher_client, article):
    response = admin_client.post(
        reverse("wagtailsnippets_editorial_redflagclaim:add"),
        {"phrase": "trẻ mãi không già", "language": "vi", "why": "Không ai trẻ mãi."},
    )
    assert response.status_code == 302
    body_vi = [paragraph("<p>Bí quyết TRE MAI KHONG GIA.</p>")]
    response = publisher_client.post(edit_url(article), form_for(article, body_vi=body_vi))
    assert response["Location"] == edit_url(article)


def test_check_claims_passes_on_clean_live_pages_and_fails_with_a_report(article, article_index):
    call_command("check_claims")  # the fixture article only quotes claims in a claims warning

    factories.make_article(
        article_index,
        "Miracle skin",
        "miracle-skin",
        "Làn da mới",
        "lan-da-moi",
        lead_vi="Hiệu quả tức thì cho mọi người, an toàn 100%.",
    )
    with pytest.raises(CommandError) as error:
        from io import StringIO

        out = StringIO()
        call_command("check_claims", stdout=out)
    report = out.getvalue()
    # title, slug and English lead ("An introduction to Miracle skin.") + two in the Vietnamese lead
    assert "5 red-flag claim(s)" in str(error.value)
    assert "[en] Title: “miracle” in “Miracle skin”" in report
    assert "[vi] Lead: “hiệu quả tức thì cho mọi người”" in report
    assert "“an toàn 100%”" in report
