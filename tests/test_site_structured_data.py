"""Search engines read schema.org JSON-LD in every public page, valid against schema.org itself."""

import json

import pytest
from django.utils import timezone

from editorial.review import record_review

from . import factories
from .api_fixtures import make_image
from .schemaorg_vocabulary import CONTEXT, json_ld_scripts, vocabulary

pytestmark = pytest.mark.django_db


def embedded_json_ld(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    scripts = json_ld_scripts(response.content.decode())
    assert len(scripts) == 1, (url, scripts)
    return json.loads(scripts[0])


def image_block(image, alt):
    return {"type": "image", "value": {"image": image.pk, "alt_text": alt, "caption": ""}}


@pytest.fixture
def pictured_therapy(therapy_index, doctor, clinic):
    """A reviewed therapy whose body shows a picture, in both languages."""
    picture = make_image("Platelets", size=(1600, 1000))
    therapy = factories.make_therapy(
        therapy_index,
        "Microneedling",
        "microneedling",
        "Lăn kim",
        "lan-kim",
        body_en=[image_block(picture, "A microneedling pen")],
        body_vi=[image_block(picture, "Bút lăn kim")],
    )
    record_review(therapy, doctor, reviewed_on=timezone.localdate())
    return therapy


@pytest.fixture
def public_pages(home, therapy_index, article_index, prp, article, pictured_therapy, clinic):
    """Every page type, reviewed where it can be: (English URL, Vietnamese URL, page)."""
    record_review(article, article.reviewed_by, reviewed_on=timezone.localdate())
    return [
        ("/en/", "/vi/", home),
        ("/en/therapies/", "/vi/lieu-phap/", therapy_index),
        ("/en/articles/", "/vi/bai-viet/", article_index),
        ("/en/therapies/prp/", "/vi/lieu-phap/prp/", prp),
        ("/en/therapies/microneedling/", "/vi/lieu-phap/lan-kim/", pictured_therapy),
        ("/en/articles/exosomes-vs-prp/", "/vi/bai-viet/exosome-va-prp/", article),
    ]


def test_every_page_type_embeds_json_ld_that_schema_org_defines_in_both_languages(
    client, public_pages
):
    schema = vocabulary()
    for en_url, vi_url, page in public_pages:
        for lang, url in (("en", en_url), ("vi", vi_url)):
            ld = embedded_json_ld(client, url)
            assert ld["@context"] == CONTEXT
            assert schema.errors(ld) == [], url
            assert ld["inLanguage"] == lang and ld["url"] == f"http://testserver{url}"
            # One builder: the page says what the API's json_ld says.
            api = client.get(f"/api/v1/pages/{page.pk}/?lang={lang}").json()
            assert api["json_ld"] == ld, url


def test_vietnamese_therapy_page_is_a_medical_web_page_about_the_therapy(client, pictured_therapy):
    ld = embedded_json_ld(client, "/vi/lieu-phap/lan-kim/")
    assert ld["@type"] == "MedicalWebPage"
    therapy = ld["mainEntity"]
    assert therapy["@type"] == "MedicalTherapy" and therapy["name"] == "Lăn kim"
    assert ld["about"] == {"@id": therapy["@id"]}
    # Review and language belong to the page: schema.org defines neither on MedicalTherapy.
    assert ld["reviewedBy"] == {
        "@type": "Person",
        "name": "Võ Thanh Sang",
        "jobTitle": "Bác sĩ Chuyên khoa I",
    }
    assert ld["lastReviewed"] == timezone.localdate().isoformat()
    assert not {"reviewedBy", "lastReviewed", "inLanguage"} & set(therapy)
    assert ld["publisher"] == {
        "@type": "MedicalClinic",
        "name": "Phòng khám Thử nghiệm",
        "url": "http://testserver/",
        "telephone": "079 7479 222",
    }
    assert ld["image"].startswith("http://testserver/") and ld["image"].endswith(".jpg")


def test_home_page_is_part_of_the_clinics_web_site(client, home, clinic):
    ld = embedded_json_ld(client, "/vi/")
    assert ld["@type"] == "WebPage"
    assert ld["isPartOf"]["@type"] == "WebSite"
    assert ld["isPartOf"]["name"] == "Phòng khám Thử nghiệm"
    assert ld["isPartOf"]["publisher"]["@type"] == "MedicalClinic"
    assert vocabulary().errors(ld) == []


def test_embedded_json_ld_escapes_markup_in_editors_text(client, therapy_index):
    title = "PRP </script><script>alert('x')</script> & <!-- ghi chú"
    factories.make_therapy(therapy_index, "Escaped", "escaped", title, "thoat")
    html = client.get("/vi/lieu-phap/thoat/").content.decode()
    script = html[html.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>")]
    assert "<" not in script[1:] and ">" not in script[script.index(">") + 1 :]
    assert "&" not in script
    assert "\\u003C/script\\u003E" in script and "\\u0026" in script
    assert "<script>alert" not in html
    ld = embedded_json_ld(client, "/vi/lieu-phap/thoat/")
    assert ld["name"] == title and ld["mainEntity"]["name"] == title


def test_checker_rejects_what_schema_org_does_not_define():
    """The vocabulary check is schema.org's, so the old therapy shape fails it."""
    schema = vocabulary()
    old_shape = {
        "@context": CONTEXT,
        "@type": "MedicalTherapy",
        "name": "PRP",
        "inLanguage": "vi",
        "reviewedBy": {"@type": "Person", "name": "Võ Thanh Sang"},
        "lastReviewed": "2026-03-05",
    }
    errors = schema.errors(old_shape)
    assert len(errors) == 3 and all("does not define" in e for e in errors), errors
    assert schema.errors({"@type": "TherapyWebPage"}) == [
        "$: 'TherapyWebPage' is not a schema.org type"
    ]
    assert schema.errors({"@type": "WebPage", "reviewer": "x"}) == [
        "$.reviewer: 'reviewer' is not a schema.org property"
    ]
    wrong_values = {
        "@type": "MedicalWebPage",
        "lastReviewed": "last week",
        "publisher": "The clinic",
        "reviewedBy": {"@type": "MedicalTherapy", "name": "PRP"},
        "mainEntity": {"@type": "MedicalTherapy", "jobTitle": "Specialist"},
    }
    assert len(schema.errors(wrong_values)) == 4
