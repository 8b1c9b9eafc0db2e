"""Deleting what live content points at never breaks a page or an API response.

What readers see instead is decided in ``cms.references``: a quote whose doctor is gone
is left out, a deleted therapy loses its comparison column and cells, a link to a
deleted page keeps its text unlinked, a deleted image's block is left out. Checked on
the site and in the API, in both languages.
"""

import pytest

from . import factories
from .api_fixtures import make_image
from .conftest import comparison_block

pytestmark = pytest.mark.django_db

URLS = ("/en/articles/guide/", "/vi/bai-viet/huong-dan/")


@pytest.fixture
def guide(article_index, prp, exosomes, clinic):
    quoted = factories.DoctorFactory(name="Trần Minh Đức")  # quoted only, no reviews
    picture = make_image("Needle close-up")

    def body(lang):
        words = ("exosome words", "the quote") if lang == "en" else ("chữ exosome", "lời bác sĩ")
        return [
            comparison_block([prp, exosomes], [("Source", ("Own blood", "Donor cells"))]),
            {
                "type": "paragraph",
                "value": f'<p>Read <a linktype="page" id="{exosomes.pk}">{words[0]}</a>.</p>',
            },
            {"type": "doctor_quote", "value": {"doctor": quoted.pk, "quote": words[1]}},
            {"type": "image", "value": {"image": picture.pk, "alt_text": "Kim", "caption": ""}},
            {"type": "heading", "value": {"text": "Still here", "level": "h2"}},
        ]

    page = factories.make_article(
        article_index,
        "Guide",
        "guide",
        "Hướng dẫn",
        "huong-dan",
        body_en=body("en"),
        body_vi=body("vi"),
    )
    return {"page": page, "doctor": quoted, "picture": picture, "exosomes": exosomes}


def _api_body(client, page, lang):
    response = client.get(f"/api/v1/pages/{page.pk}/?lang={lang}")
    assert response.status_code == 200, response.content
    return response.json()["body"]


def test_everything_shows_while_it_exists(client, guide):
    types = [b["type"] for b in _api_body(client, guide["page"], "en")]
    assert types == ["comparison", "paragraph", "doctor_quote", "image", "heading"]
    assert "Trần Minh Đức" in client.get(URLS[1]).content.decode()


def test_deleting_a_quoted_doctor_leaves_the_quote_out(client, guide):
    client.get(URLS[0])  # cached before the delete
    guide["doctor"].delete()
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "the quote" not in html and "lời bác sĩ" not in html
        assert "Still here" in html
    for lang in ("en", "vi"):
        types = [b["type"] for b in _api_body(client, guide["page"], lang)]
        assert "doctor_quote" not in types and "heading" in types


def test_deleting_a_compared_and_linked_therapy_drops_its_column_and_unlinks_its_text(
    client, guide
):
    guide["exosomes"].delete()
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Donor cells" not in html and "exosome/" not in html
    assert "<a>chữ exosome</a>" in client.get(URLS[1]).content.decode()
    for lang in ("en", "vi"):
        body = _api_body(client, guide["page"], lang)
        comparison = body[0]["value"]
        assert [t["title"] for t in comparison["therapies"]] in (
            ["PRP"],
            ["PRP (huyết tương giàu tiểu cầu)"],
        )
        assert [row["values"] for row in comparison["rows"]] == [["Own blood"]]
    assert "Read <a>exosome words</a>." in _api_body(client, guide["page"], "en")[1]["value"]


def test_deleting_an_image_leaves_its_block_out(client, guide):
    guide["picture"].delete()
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200 and "Still here" in response.content.decode()
    for lang in ("en", "vi"):
        assert "image" not in [b["type"] for b in _api_body(client, guide["page"], lang)]
