"""An external site's developer reads pages through /api/v1/ in English and Vietnamese."""

import pytest
from wagtail.models import PageViewRestriction

from editorial.review import record_review

from . import factories

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(
        url, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    )
    return response, (response.json() if response.content else None)


def test_list_of_therapies_in_vietnamese(client, prp, exosomes):
    response, data = get(client, "/api/v1/pages/?type=therapy&lang=vi")
    assert response.status_code == 200
    assert data["count"] == 2
    titles = [item["title"] for item in data["items"]]
    assert titles == ["PRP (huyết tương giàu tiểu cầu)", "Exosome"]
    first = data["items"][0]
    assert first["type"] == "therapy" and first["lang"] == "vi"
    assert first["url"] == "http://testserver/vi/lieu-phap/prp/"
    assert first["summary"] == "Huyết tương giàu tiểu cầu được tách từ máu của chính bạn."
    assert first["translations"]["en"]["url"] == "http://testserver/en/therapies/prp/"
    assert first["translations"]["en"]["title"] == "PRP"


def test_list_filters_order_and_paging(client, prp, exosomes, article):
    _, data = get(client, "/api/v1/pages/?type=therapy&order=-title&lang=en")
    assert [i["title"] for i in data["items"]] == ["PRP", "Exosomes"]
    _, data = get(client, "/api/v1/pages/?type=therapy&order=title&limit=1&offset=1")
    assert data["count"] == 2 and data["limit"] == 1 and data["offset"] == 1
    assert [i["title"] for i in data["items"]] == ["PRP"]
    _, data = get(client, f"/api/v1/pages/?child_of={article.get_parent().pk}")
    assert [i["id"] for i in data["items"]] == [article.pk]
    _, data = get(client, "/api/v1/pages/?type=home")
    assert [i["type"] for i in data["items"]] == ["home"]


def test_ordering_by_title_uses_the_requested_language(client, prp, exosomes):
    _, data = get(client, "/api/v1/pages/?type=therapy&order=title&lang=vi")
    assert [i["title"] for i in data["items"]] == ["Exosome", "PRP (huyết tương giàu tiểu cầu)"]


def test_language_from_accept_language_with_q_values(client, prp):
    url = f"/api/v1/pages/{prp.pk}/"
    response, data = get(client, url, accept_language="fr;q=1.0, vi-VN;q=0.9, en;q=0.5")
    assert data["lang"] == "vi" and data["title"] == "PRP (huyết tương giàu tiểu cầu)"
    assert response["Content-Language"] == "vi"
    # ?lang= wins over the header; nothing at all means English.
    _, data = get(client, url + "?lang=en", accept_language="vi")
    assert data["lang"] == "en" and data["title"] == "PRP"
    _, data = get(client, url)
    assert data["lang"] == "en"


@pytest.mark.parametrize(
    "header, lang",
    [
        ("vi;q=0", "en"),  # q=0: "not Vietnamese"
        ("vi-VN;q=0, vi;q=0, en;q=0.1", "en"),
        ("en;q=0, *", "vi"),  # any language but English
        ("*;q=0.5, en;q=0", "vi"),
        ("*", "en"),
        ("fr, vi;q=0.2", "vi"),
    ],
)
def test_a_language_with_q_0_is_never_chosen(client, prp, header, lang):
    response, data = get(client, f"/api/v1/pages/{prp.pk}/", accept_language=header)
    assert data["lang"] == lang and response["Content-Language"] == lang
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=header)  # the site's front door too
    assert page.status_code == 302 and page["Location"] == f"/{lang}/"


def test_unknown_language_is_a_400_naming_the_supported_ones(client, prp):
    response, data = get(client, f"/api/v1/pages/{prp.pk}/?lang=fr")
    assert response.status_code == 400
    assert "en, vi" in data["detail"]


def test_therapy_detail_has_type_specific_fields_and_json_ld(client, prp):
    response, data = get(client, f"/api/v1/pages/{prp.pk}/?lang=vi")
    assert response.status_code == 200
    assert data["source"] == "autologous" and data["evidence_level"] == "established"
    assert data["slug"] == "prp"
    assert data["seo"]["title"] == "PRP (huyết tương giàu tiểu cầu)"
    # The page is the MedicalWebPage (language, review); the therapy is what it is about.
    assert data["json_ld"]["@type"] == "MedicalWebPage"
    assert data["json_ld"]["inLanguage"] == "vi"
    assert data["json_ld"]["url"] == "http://testserver/vi/lieu-phap/prp/"
    therapy = data["json_ld"]["mainEntity"]
    assert therapy["@type"] == "MedicalTherapy"
    assert therapy["name"] == "PRP (huyết tương giàu tiểu cầu)"
    assert "inLanguage" not in therapy and "reviewedBy" not in therapy
    assert data["json_ld"]["about"] == {"@id": therapy["@id"]}
    assert data["first_published_at"] is not None


def test_article_body_is_typed_blocks_in_vietnamese(client, article, doctor, prp, exosomes):
    # The reviewer comes from a recorded review of this language (editorial.review), not from
    # the page's reviewed_by column alone.
    record_review(article, doctor)
    _, data = get(client, f"/api/v1/pages/{article.pk}/?lang=vi")
    assert data["type"] == "article"
    assert [b["type"] for b in data["body"]] == [
        "heading",
        "paragraph",
        "comparison",
        "doctor_quote",
        "claims_warning",
        "call_to_action",
    ]
    assert all(b["id"] for b in data["body"])
    comparison = data["body"][2]["value"]
    assert comparison["therapies"] == [
        {
            "id": prp.pk,
            "title": "PRP (huyết tương giàu tiểu cầu)",
            "url": "http://testserver/vi/lieu-phap/prp/",
        },
        {"id": exosomes.pk, "title": "Exosome", "url": "http://testserver/vi/lieu-phap/exosome/"},
    ]
    assert comparison["rows"] == [
        {"dimension": "Bản chất", "values": ["Máu tự thân", "Túi ngoại bào từ người hiến"]}
    ]
    quote = data["body"][3]["value"]
    assert quote["doctor"]["name"] == "Võ Thanh Sang"
    assert quote["doctor"]["credentials"] == "Bác sĩ Chuyên khoa I"
    assert quote["quote"] == "Hãy kỳ vọng thực tế."
    cta = data["body"][5]["value"]
    assert {"kind": "hotline", "url": "tel:0797479222", "text": "079 7479 222"} in cta["buttons"]
    assert data["reviewed_by"]["name"] == "Võ Thanh Sang"
    assert data["json_ld"]["@type"] == "MedicalWebPage"
    assert data["json_ld"]["inLanguage"] == "vi"
    assert data["json_ld"]["reviewedBy"]["name"] == "Võ Thanh Sang"


def test_images_and_portraits_come_as_webp_renditions(client, rich_article, doctors):
    _, data = get(client, f"/api/v1/pages/{rich_article.pk}/?lang=vi")
    image_block = next(b for b in data["body"] if b["type"] == "image")["value"]
    assert image_block["alt_text"] == "Một bức ảnh 0"
    image = image_block["image"]
    assert image["alt"] == "Một bức ảnh 0"
    webp = image["renditions"][0]
    assert webp["format"] == "webp" and webp["url"].startswith("http://testserver/media/")
    assert webp["url"].endswith(".webp")
    assert (webp["width"], webp["height"]) == (800, 480)  # 1000x600 fitted into 800x800
    quote = next(b for b in data["body"] if b["type"] == "doctor_quote")["value"]
    portrait = quote["doctor"]["photo"]["renditions"][0]
    assert (portrait["width"], portrait["height"]) == (240, 240)
    assert portrait["url"].endswith(".webp")
    assert quote["doctor"]["photo"]["alt"] == "Võ Thanh Sang"


def test_rich_text_links_are_absolute_urls_in_the_requested_language(client, rich_article):
    _, vi = get(client, f"/api/v1/pages/{rich_article.pk}/?lang=vi")
    paragraph = next(b for b in vi["body"] if b["type"] == "paragraph")["value"]
    assert '<a href="http://testserver/vi/lieu-phap/prp/">PRP</a>' in paragraph
    assert "linktype" not in paragraph
    _, en = get(client, f"/api/v1/pages/{rich_article.pk}/?lang=en")
    paragraph = next(b for b in en["body"] if b["type"] == "paragraph")["value"]
    assert '<a href="http://testserver/en/therapies/prp/">PRP</a>' in paragraph


def test_link_to_an_unpublished_page_has_no_href(client, rich_article, exosomes):
    exosomes.unpublish()
    _, data = get(client, f"/api/v1/pages/{rich_article.pk}/?lang=en")
    paragraph = next(b for b in data["body"] if b["type"] == "paragraph")["value"]
    assert "<a>exosome</a>" in paragraph
    assert "Exosome" not in paragraph and "exosomes/" not in paragraph
    # The hidden therapy loses its column and that column's cells (cms.references).
    comparison = next(b for b in data["body"] if b["type"] == "comparison")["value"]
    assert [t["title"] for t in comparison["therapies"]] == ["PRP"]
    assert all(len(row["values"]) == 1 for row in comparison["rows"])


def test_fallbacks_and_completeness_report_untranslated_fields(client, therapy_index):
    page = factories.make_therapy(therapy_index, "Laser", "laser", "Laser", "laser")
    # English gains a body the Vietnamese lacks: the Vietnamese text is incomplete (not
    # approved) but unchanged, so it stays live, and its readers get the English body, reported.
    page.body_en = [{"type": "paragraph", "value": "<p>How laser light reaches the skin.</p>"}]
    page.save_revision().publish()
    _, data = get(client, f"/api/v1/pages/{page.pk}/?lang=vi")
    assert data["summary"] == "Laser là gì và đã được nghiên cứu đến đâu."
    assert data["body"][0]["value"] == "<p>How laser light reaches the skin.</p>"
    assert "body" in data["fallbacks"] and "summary" not in data["fallbacks"]
    assert data["translations"]["vi"]["complete"] is False
    assert "body" in data["translations"]["vi"]["missing"]
    assert data["translations"]["vi"]["state"] == "live"
    _, data = get(client, f"/api/v1/pages/{page.pk}/?lang=en")
    assert data["fallbacks"] == []
    assert data["translations"]["en"]["state"] == "live"


def test_lang_all_returns_every_language(client, article):
    response, data = get(client, f"/api/v1/pages/{article.pk}/?lang=all")
    assert response.status_code == 200
    assert data["lang"] == "all" and data["type"] == "article"
    assert data["languages"]["en"]["title"] == "Exosomes vs PRP"
    assert data["languages"]["vi"]["title"] == "Exosome và PRP khác nhau thế nào"
    assert response["Content-Language"] == "en, vi"


def test_find_by_public_url_answers_in_that_urls_language(client, prp):
    response, data = get(client, "/api/v1/pages/find/?path=/vi/lieu-phap/prp/")
    assert response.status_code == 200
    assert data["id"] == prp.pk and data["lang"] == "vi"
    assert data["title"] == "PRP (huyết tương giàu tiểu cầu)"
    _, data = get(client, "/api/v1/pages/find/?path=http://testserver/en/therapies/prp/")
    assert data["id"] == prp.pk and data["lang"] == "en"
    _, data = get(client, "/api/v1/pages/find/?path=/vi/")
    assert data["type"] == "home" and data["title"] == "Trang chủ"
    response, data = get(client, "/api/v1/pages/find/?path=/vi/lieu-phap/khong-co/")
    assert response.status_code == 404 and "detail" in data


def test_settings_and_doctors_are_localised(client, clinic, doctor):
    _, data = get(client, "/api/v1/settings/?lang=vi")
    assert data["clinic_name"] == "Phòng khám Thử nghiệm"
    assert data["hotline_dial"] == "0797479222"
    _, data = get(client, "/api/v1/settings/", accept_language="en")
    assert data["clinic_name"] == "Test Clinic"
    _, data = get(client, "/api/v1/doctors/?lang=vi")
    assert data["count"] == 1
    assert data["items"][0]["credentials"] == "Bác sĩ Chuyên khoa I"
    response, data = get(client, f"/api/v1/doctors/{doctor.pk}/?lang=en")
    assert response.status_code == 200 and data["credentials"] == "Level I Specialist"
    response, data = get(client, "/api/v1/doctors/999999/")
    assert response.status_code == 404 and data["detail"]


# --- Visibility -------------------------------------------------------------------------


def _visible_ids(client, url="/api/v1/pages/?limit=100"):
    return {item["id"] for item in get(client, url)[1]["items"]}


def test_drafts_are_invisible_everywhere(client, therapy_index, prp):
    draft = factories.make_therapy(
        therapy_index, "Draft", "draft", "Bản nháp", "ban-nhap", publish=False
    )
    assert draft.pk not in _visible_ids(client)
    assert get(client, f"/api/v1/pages/{draft.pk}/")[0].status_code == 404
    assert get(client, "/api/v1/pages/find/?path=/en/therapies/draft/")[0].status_code == 404
    assert get(client, f"/api/v1/pages/{draft.pk}/?lang=all")[0].status_code == 404


def test_unpublished_and_private_pages_are_invisible_everywhere(client, prp, exosomes):
    prp.unpublish()
    PageViewRestriction.objects.create(page=exosomes, restriction_type="password", password="x")
    ids = _visible_ids(client)
    assert prp.pk not in ids and exosomes.pk not in ids
    for page, path in ((prp, "/en/therapies/prp/"), (exosomes, "/vi/lieu-phap/exosome/")):
        assert get(client, f"/api/v1/pages/{page.pk}/")[0].status_code == 404
        assert get(client, f"/api/v1/pages/{page.pk}/?lang=all")[0].status_code == 404
        assert get(client, f"/api/v1/pages/find/?path={path}")[0].status_code == 404
    assert _visible_ids(client, "/api/v1/pages/?search=exosome&lang=vi") == set()


def test_pages_outside_their_publication_window_are_invisible(client, prp, exosomes):
    from datetime import timedelta

    from django.utils import timezone

    type(prp).objects.filter(pk=prp.pk).update(go_live_at=timezone.now() + timedelta(days=1))
    type(exosomes).objects.filter(pk=exosomes.pk).update(
        expire_at=timezone.now() - timedelta(days=1)
    )
    ids = _visible_ids(client)
    assert prp.pk not in ids and exosomes.pk not in ids
    assert get(client, f"/api/v1/pages/{prp.pk}/")[0].status_code == 404


@pytest.mark.parametrize("code", ["VI", "Vi", "vI-vn", "VI_VN"])
def test_language_codes_are_accepted_in_any_case(client, prp, doctor, clinic, code):
    response, data = get(client, f"/api/v1/pages/{prp.pk}/?lang={code}")
    assert response.status_code == 200, data
    assert data["lang"] == "vi" and data["title"] == "PRP (huyết tương giàu tiểu cầu)"
    assert response["Content-Language"] == "vi"
    _, data = get(client, f"/api/v1/pages/?type=therapy&lang={code}")
    assert [i["title"] for i in data["items"]] == ["PRP (huyết tương giàu tiểu cầu)"]
    _, data = get(client, f"/api/v1/pages/find/?path=/en/therapies/prp/&lang={code}")
    assert data["lang"] == "vi" and data["id"] == prp.pk
    _, data = get(client, f"/api/v1/doctors/?lang={code}")
    assert data["items"][0]["credentials"] == "Bác sĩ Chuyên khoa I"
    _, data = get(client, f"/api/v1/settings/?lang={code}")
    assert data["clinic_name"] == "Phòng khám Thử nghiệm"
    # The header too, and English in capitals.
    _, data = get(client, f"/api/v1/pages/{prp.pk}/", accept_language=code.replace("_", "-"))
    assert data["lang"] == "vi"
    _, data = get(client, f"/api/v1/pages/{prp.pk}/?lang=EN", accept_language="vi")
    assert data["lang"] == "en" and data["title"] == "PRP"


@pytest.mark.parametrize("code", ["ALL", "All"])
def test_lang_all_in_any_case(client, article, code):
    response, data = get(client, f"/api/v1/pages/{article.pk}/?lang={code}")
    assert response.status_code == 200, data
    assert data["lang"] == "all"
    assert data["languages"]["vi"]["title"] == "Exosome và PRP khác nhau thế nào"
    response, data = get(client, f"/api/v1/pages/?lang={code}")
    assert response.status_code == 400
    assert data["detail"] == "lang=all is only available for a single page, not for listings."


def test_codes_that_only_look_like_a_language_are_still_refused(client, prp):
    for code in ("VIE", "V I", "fr", "ÀLL"):
        response, data = get(client, f"/api/v1/pages/{prp.pk}/?lang={code}")
        assert response.status_code == 400 and "en, vi" in data["detail"], code


def test_a_section_names_its_first_children_and_lists_all_of_them_by_its_url(
    client, monkeypatch, therapy_index, prp, exosomes
):
    """A section's document stays small however many children it has (a section of 10,000
    articles is not rebuilt as 10,000 references at each publish): its first children, their
    count, and the list of all of them in the same order."""
    from readmodel import outbox

    monkeypatch.setattr("therapies.api.SECTION_CHILDREN", 2)
    factories.make_therapy(therapy_index, "Laser toning", "laser-toning", "Laser", "laser-vi")
    outbox.rebuild_pages([therapy_index.pk])

    section = client.get(f"/api/v1/pages/{therapy_index.pk}/?lang=vi").json()
    assert section["children_count"] == 3 and len(section["children"]) == 2
    url = section["children_url"]
    assert url.startswith("http://testserver/api/v1/pages/?") and "lang=vi" in url
    listed = client.get(url.removeprefix("http://testserver")).json()
    assert listed["count"] == 3
    assert section["children"] == [
        {"id": item["id"], "title": item["title"], "url": item["url"]}
        for item in listed["items"][:2]
    ]

    monkeypatch.undo()  # the documents as the suite's check builds them (20 children)
    outbox.rebuild_pages([therapy_index.pk])
