"""The editorial safeguards as the API shows them: out-of-date translations, the medical review
of each language (and its JSON-LD), and the advertising confirmation number."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.review import record_review
from editorial.status import add_months, confirm_translation
from therapies.models import ArticlePage, TherapyPage

from . import factories
from .editorial_fixtures import *  # noqa: F403 - fixtures
from .test_api_queries import DETAIL_QUERIES, LIST_QUERIES, count_queries
from .test_editorial_review import edit_url, form_for

pytestmark = pytest.mark.django_db


def api(path):
    """Read the API as an anonymous external site does (through the response cache)."""
    response = Client().get(path)
    assert response.status_code == 200, response.content
    return response.json()


def detail(page, lang):
    return api(f"/api/v1/pages/{page.pk}/?lang={lang}")


def listed(page, lang):
    data = api(f"/api/v1/pages/?lang={lang}&limit=100")
    return next(item for item in data["items"] if item["id"] == page.pk)


# --- translations[lang].stale ---------------------------------------------------------------


def test_english_change_after_vietnamese_marks_vi_stale_until_confirmed(admin_client, article):
    for data in (detail(article, "vi"), listed(article, "vi")):
        assert data["translations"]["vi"]["stale"] is False
        assert data["translations"]["vi"]["stale_fields"] == []

    # The English lead changes in a draft: readers still see the old lead, so nothing is stale.
    response = admin_client.post(
        edit_url(article), form_for(article, lead_en="A new English lead.")
    )
    assert response.status_code == 302
    for data in (detail(article, "vi"), listed(article, "vi")):
        assert data["translations"]["vi"]["stale"] is False
        assert data["translations"]["vi"]["stale_fields"] == []

    # Published: the live Vietnamese lead is older than the live English one.
    response = admin_client.post(
        edit_url(article),
        form_for(article, action="action-publish", lead_en="A new English lead."),
    )
    assert response.status_code == 302

    for data in (detail(article, "vi"), listed(article, "vi"), detail(article, "en")):
        assert data["translations"]["vi"]["stale"] is True
        assert data["translations"]["vi"]["stale_fields"] == ["lead"]
        assert data["translations"]["en"]["stale"] is False
        assert data["translations"]["en"]["stale_fields"] == []
    everything = api(f"/api/v1/pages/{article.pk}/?lang=all")
    assert everything["languages"]["vi"]["translations"]["vi"]["stale"] is True

    # The editor confirms the Vietnamese text still matches: the flag clears at once, though
    # nothing was published (the cached responses above must not be replayed).
    confirm = reverse("editorial:confirm_translation", args=(article.pk, "vi"))
    assert admin_client.post(confirm).status_code == 302
    for data in (detail(article, "vi"), listed(article, "vi")):
        assert data["translations"]["vi"]["stale"] is False
        assert data["translations"]["vi"]["stale_fields"] == []


def test_a_vietnamese_change_alone_is_not_stale(admin_client, article):
    admin_client.post(edit_url(article), form_for(article, lead_vi="Một lời dẫn mới."))
    assert detail(article, "vi")["translations"]["vi"]["stale"] is False


# --- review ---------------------------------------------------------------------------------


def test_review_in_vietnamese_with_vietnamese_credentials_and_json_ld(article, doctor):
    reviewed_on = timezone.localdate() - datetime.timedelta(days=10)
    record_review(article, doctor, reviewed_on=reviewed_on)

    data = detail(article, "vi")
    review = data["review"]
    assert review["reviewed_by"]["name"] == "Võ Thanh Sang"
    assert review["reviewed_by"]["credentials"] == "Bác sĩ Chuyên khoa I"
    assert review["reviewed_on"] == reviewed_on.isoformat()
    assert review["due_on"] == add_months(reviewed_on, 12).isoformat()
    assert review["current"] is True
    # The older fields say the same thing, in the same language.
    assert data["reviewed_by"] == review["reviewed_by"]
    assert data["last_reviewed"] == reviewed_on.isoformat()
    assert data["json_ld"]["@type"] == "MedicalWebPage"
    assert data["json_ld"]["reviewedBy"] == {
        "@type": "Person",
        "name": "Võ Thanh Sang",
        "jobTitle": "Bác sĩ Chuyên khoa I",
    }
    assert data["json_ld"]["lastReviewed"] == reviewed_on.isoformat()

    english = detail(article, "en")
    assert english["review"]["reviewed_by"]["credentials"] == "Level I Specialist"
    assert english["json_ld"]["reviewedBy"]["jobTitle"] == "Level I Specialist"

    everything = api(f"/api/v1/pages/{article.pk}/?lang=all")["languages"]
    assert everything["vi"]["review"]["reviewed_by"]["credentials"] == "Bác sĩ Chuyên khoa I"
    assert everything["en"]["review"]["reviewed_by"]["credentials"] == "Level I Specialist"


def test_review_lapses_after_a_vietnamese_text_change(publisher_client, article, doctor):
    record_review(article, doctor, reviewed_on=timezone.localdate())
    assert detail(article, "vi")["review"]["current"] is True

    response = publisher_client.post(
        edit_url(article),
        form_for(article, action="action-publish", lead_vi="Một lời dẫn hoàn toàn mới."),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).lead_vi == "Một lời dẫn hoàn toàn mới."

    data = detail(article, "vi")
    assert data["lead"] == "Một lời dẫn hoàn toàn mới."
    assert data["review"] == {
        "reviewed_by": None,
        "reviewed_on": None,
        "due_on": None,
        "current": False,
    }
    # Not even the page-wide summary columns (which still name the doctor) leak through.
    assert data["reviewed_by"] is None and data["last_reviewed"] is None
    assert "reviewedBy" not in data["json_ld"] and "lastReviewed" not in data["json_ld"]
    # English was not touched: its review stands.
    english = detail(article, "en")
    assert english["review"]["current"] is True
    assert english["json_ld"]["reviewedBy"]["name"] == "Võ Thanh Sang"


def test_an_overdue_review_is_shown_but_not_current(article, doctor):
    reviewed_on = add_months(timezone.localdate(), -13)
    record_review(article, doctor, reviewed_on=reviewed_on)
    review = detail(article, "vi")["review"]
    assert review["reviewed_on"] == reviewed_on.isoformat()
    assert review["due_on"] < timezone.localdate().isoformat()
    assert review["current"] is False


def test_therapy_review_and_medical_therapy_json_ld(prp, exosomes, doctor):
    reviewed_on = timezone.localdate()
    record_review(prp, doctor, reviewed_on=reviewed_on)

    data = detail(prp, "vi")
    assert data["review"]["reviewed_by"]["credentials"] == "Bác sĩ Chuyên khoa I"
    assert data["review"]["current"] is True
    assert data["json_ld"]["@type"] == "MedicalWebPage"
    assert data["json_ld"]["mainEntity"]["@type"] == "MedicalTherapy"
    assert data["json_ld"]["reviewedBy"] == {
        "@type": "Person",
        "name": "Võ Thanh Sang",
        "jobTitle": "Bác sĩ Chuyên khoa I",
    }
    assert data["json_ld"]["lastReviewed"] == reviewed_on.isoformat()

    never = detail(exosomes, "vi")
    assert never["review"] == {
        "reviewed_by": None,
        "reviewed_on": None,
        "due_on": None,
        "current": False,
    }
    assert "reviewedBy" not in never["json_ld"]


def test_a_reviewer_column_without_a_recorded_review_is_not_a_review(article):
    # The fixture sets reviewed_by but no review was ever recorded for any language.
    assert article.reviewed_by_id is not None
    data = detail(article, "vi")
    assert data["review"]["reviewed_by"] is None and data["reviewed_by"] is None


# --- advertising confirmation number --------------------------------------------------------


def test_advertising_confirmation_number_present_and_absent(publisher_client, article, prp):
    assert detail(article, "vi")["advertising_confirmation_number"] is None
    assert detail(prp, "vi")["advertising_confirmation_number"] is None

    response = publisher_client.post(
        edit_url(article),
        form_for(
            article, action="action-publish", advertising_confirmation_number="123/2026/XNQC-SYT"
        ),
    )
    assert response.status_code == 302
    for lang in ("en", "vi"):
        assert detail(article, lang)["advertising_confirmation_number"] == "123/2026/XNQC-SYT"

    prp.advertising_confirmation_number = "45/2026/XNQC-SYT"
    prp.save_revision().publish()
    assert detail(prp, "vi")["advertising_confirmation_number"] == "45/2026/XNQC-SYT"


# --- OpenAPI --------------------------------------------------------------------------------


def test_openapi_documents_the_editorial_fields(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    translation = schemas["TranslationOut"]["properties"]
    assert translation["stale"]["type"] == "boolean"
    assert translation["stale_fields"]["items"]["type"] == "string"
    review = schemas["ReviewOut"]["properties"]
    assert set(review) == {"reviewed_by", "reviewed_on", "due_on", "current"}
    for page in ("ArticlePageOut", "TherapyPageOut"):
        properties = schemas[page]["properties"]
        assert properties["review"]["$ref"].endswith("/ReviewOut")
        assert "advertising_confirmation_number" in properties


# --- query counts ---------------------------------------------------------------------------


def test_query_counts_do_not_grow_with_stale_and_reviewed_items(
    settings, client, therapy_index, article_index, doctor, clinic
):
    # ``clinic``: every page's JSON-LD names the clinic as publisher; a site without settings
    # would create them on the first read, changing the content version mid-count.
    settings.API_CACHE_SECONDS = 0  # count the work, not the cache
    pages = []
    for n in range(12):
        pages.append(
            factories.make_therapy(
                therapy_index, f"Therapy {n}", f"t{n}", f"Liệu pháp {n}", f"lp{n}"
            )
        )
        pages.append(
            factories.make_article(article_index, f"Article {n}", f"a{n}", f"Bài {n}", f"b{n}")
        )
    for page in pages:
        record_review(page, doctor, reviewed_on=timezone.localdate())
        # English changes after the review: English lapses, Vietnamese is current but stale.
        setattr(page, "summary_en" if isinstance(page, TherapyPage) else "lead_en", "Changed.")
        page.save_revision().publish()
    stale = listed(pages[0], "vi")
    assert stale["translations"]["vi"]["stale"] is True

    assert count_queries(client, "/api/v1/pages/?lang=vi&limit=100") == LIST_QUERIES
    confirm_translation(pages[0], "vi", None)
    assert count_queries(client, "/api/v1/pages/?lang=vi&limit=100") == LIST_QUERIES

    # A detail costs the same reviewed or not, stale or not.
    plain = factories.make_therapy(therapy_index, "Plain", "plain", "Thường", "thuong")
    for lang in ("vi", "all"):
        reviewed_cost = count_queries(client, f"/api/v1/pages/{pages[0].pk}/?lang={lang}")
        assert count_queries(client, f"/api/v1/pages/{plain.pk}/?lang={lang}") == reviewed_cost
    assert count_queries(client, f"/api/v1/pages/{pages[1].pk}/?lang=vi") <= DETAIL_QUERIES
