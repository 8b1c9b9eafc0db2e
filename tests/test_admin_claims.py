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


# --- claims disguised by markup, invisible characters, fullwidth and look-alike letters -------

ZWSP, SOFT_HYPHEN, WORD_JOINER = "\u200b", "\u00ad", "\u2060"
CYRILLIC_A, CYRILLIC_O, CYRILLIC_CAPITAL_I, GREEK_ALPHA = "\u0430", "\u043e", "\u0406", "\u03b1"


def test_publish_is_refused_for_claims_disguised_in_both_languages(publisher_client, article):
    body_en = [paragraph(f"<p>Our PRP is 100% <b>sa</b>fe and a m{CYRILLIC_CAPITAL_I}RACLE.</p>")]
    body_vi = [
        paragraph(
            f"<p>Liệu trình <i>trẻ hóa vĩnh</i> vi{ZWSP}ễn, kh{CYRILLIC_O}ng có tác dụng phụ.</p>"
        )
    ]
    response = publisher_client.post(
        edit_url(article), form_for(article, body_en=body_en, body_vi=body_vi)
    )

    assert response.status_code == 302 and response["Location"] == edit_url(article)
    [error] = [text for level, text in message_texts(response) if level == "error"]
    assert "not published" in error
    for location, phrase in (
        ("English: Body › Paragraph 1", "100% safe"),
        ("English: Body › Paragraph 1", "miracle"),
        ("Vietnamese: Body › Paragraph 1", "trẻ hóa vĩnh viễn"),
        ("Vietnamese: Body › Paragraph 1", "không có tác dụng phụ"),
    ):
        assert f"{location} — “{phrase}”" in error
    assert "Our PRP is 100% safe and a" in error  # the snippet reads as the page does

    article.refresh_from_db()
    assert "Liệu trình" not in str(article.body_vi.raw_data)  # the live text is unchanged
    draft = article.get_latest_revision_as_object()
    # the editor's text is kept exactly as typed, invisible characters and look-alikes included
    assert f"vi{ZWSP}ễn, kh{CYRILLIC_O}ng" in draft.body_vi[0].value.source
    assert "100% <b>sa</b>fe" in draft.body_en[0].value.source


def test_saving_a_draft_with_a_disguised_claim_warns_and_keeps_the_text(publisher_client, article):
    lead_en = f"ＧＵＡＲＡＮＴＥＥＤ results, guar{SOFT_HYPHEN}anteed   res{WORD_JOINER}ults."
    lead_vi = f"Chúng tôi c{CYRILLIC_A}m kết hiệu quả với {CYRILLIC_A}n toàn 100%."
    response = publisher_client.post(
        edit_url(article), form_for(article, action=None, lead_en=lead_en, lead_vi=lead_vi)
    )

    assert response.status_code == 302
    [warning] = [text for level, text in message_texts(response) if level == "warning"]
    assert warning.count("English: Lead — “guaranteed results”") == 2
    assert "Vietnamese: Lead — “cam kết hiệu quả”" in warning
    assert "Vietnamese: Lead — “an toàn 100%”" in warning
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert draft.lead_en == lead_en and draft.lead_vi == lead_vi


def test_check_claims_reports_disguised_claims_in_live_pages(article_index):
    from io import StringIO

    factories.make_article(
        article_index,
        "Skin boosters",
        "skin-boosters",
        "Tiêm dưỡng chất",
        "tiem-duong-chat",
        lead_en=f"Results are gu{GREEK_ALPHA}ranteed: no side{ZWSP} effects.",
        lead_vi="Liệu pháp ｐｈéｐ ｍàｕ cho làn da.",
        body_vi=[{"type": "paragraph", "value": "<p>Cam kết <b>trẻ hóa</b> vĩnh vi<i>ễn</i>.</p>"}],
    )
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("check_claims", stdout=out)
    report = out.getvalue()
    assert "3 red-flag claim(s)" in str(error.value)
    assert "[en] Lead: “no side effects”" in report
    assert "[vi] Lead: “phép màu” in “Liệu pháp ｐｈéｐ ｍàｕ cho làn da.”" in report
    assert "[vi] Body › Paragraph 1: “trẻ hóa vĩnh viễn” in “Cam kết trẻ hóa vĩnh viễn.”" in report


def test_ordinary_text_with_look_alike_latin_letters_is_published(publisher_client, article):
    # "rn" is not "m", "l" is not "i", and Vietnamese near-misses are not claims.
    body_en = [
        paragraph(
            "<p>A rniracle? No: a mlracle is a typo, and results are <b>not</b> guaranteed.</p>"
        )
    ]
    body_vi = [
        paragraph(
            "<p>Không có tác dụng <b>phục</b> hồi tức thì; “an toàn 1000%” là lời hứa suông.</p>"
        )
    ]
    response = publisher_client.post(
        edit_url(article), form_for(article, body_en=body_en, body_vi=body_vi)
    )
    assert response.status_code == 302 and response["Location"] != edit_url(article)
    assert not [m for m in message_texts(response) if m[0] == "error"]


def test_the_override_log_points_at_the_disguised_claim_in_the_stored_text(
    overrider_client, article
):
    body_vi = [paragraph(f"<p>Cam kết: không có tác <b>dụng</b> ph{ZWSP}ụ.</p>")]
    response = overrider_client.post(edit_url(article), form_for(article, body_vi=body_vi))

    assert response.status_code == 302
    article.refresh_from_db()
    source = article.body_vi[0].value.source
    entry = PageLogEntry.objects.get(page=article, action="editorial.publish_despite_claims")
    [hit] = entry.data["hits"]
    assert (hit["lang"], hit["location"]) == ("vi", "Body › Paragraph 1")
    assert hit["snippet"] == f"Cam kết: không có tác dụng ph{ZWSP}ụ."
    # start and end index the stored rich text, markup included, for highlighting
    assert source[hit["start"] : hit["end"]] == f"không có tác <b>dụng</b> ph{ZWSP}ụ"
