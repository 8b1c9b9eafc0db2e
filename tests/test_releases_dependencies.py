"""What only a language's released text shows is followed like the rest.

Readers of a language whose newer text is published but not approved get the text released
for it, from an older revision (``releases``). That text may link to, compare or quote pages,
doctors and images that the page's row (the newer text) no longer names, so Wagtail's
reference index, built from the row, does not have them. A change to one of them (an
unpublish, a view restriction, an expiry, a rename, a deletion) must still reach the page's
documents: readers never get a hidden page's title or address from an old text. The module's
documents are verified against a fresh build after each test (``tests.readmodel_fixtures``).
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms import clock

from . import factories
from .api_fixtures import make_image
from .conftest import comparison_block
from .release_steps import detail, edit, publish, review

pytestmark = pytest.mark.django_db

NEW_TEXT_VI = [{"type": "paragraph", "value": "<p>Văn bản mới, chưa được bác sĩ đọc.</p>"}]
TEXT_EN = [{"type": "paragraph", "value": "<p>No links here.</p>"}]


@pytest.fixture(autouse=True)
def _review_rule(settings):
    # Articles go live once reviewed; the therapies they show are live as the fixtures make them.
    settings.RELEASE_REVIEW_REQUIRED_FOR = ("therapies.ArticlePage",)


def guide_released_with(client, article_index, doctor, body_vi):
    """A guide whose Vietnamese readers get ``body_vi`` (reviewed, released), while a newer
    Vietnamese text without it is published unreviewed (pending)."""
    guide = factories.make_article(
        article_index,
        "Guide",
        "guide",
        "Hướng dẫn",
        "huong-dan",
        publish=False,
        body_en=TEXT_EN,
        body_vi=body_vi,
    )
    review(guide, doctor, "en", "vi")
    publish(Page.objects.get(pk=guide.pk).latest_revision)
    publish(edit(guide, body_vi=NEW_TEXT_VI))
    assert detail(client, guide, "vi")["translations"]["vi"]["state"] == "pending"
    return guide


def columns(client, page, lang):
    [block] = [b for b in detail(client, page, lang)["body"] if b["type"] == "comparison"]
    return [column["title"] for column in block["value"]["therapies"]]


def test_a_link_only_the_released_vietnamese_text_holds_goes_when_its_page_is_unpublished(
    client, article_index, exosomes, doctor
):
    link = f'<p>Đọc về <a linktype="page" id="{exosomes.pk}">liệu pháp exosome</a>.</p>'
    guide = guide_released_with(
        client, article_index, doctor, [{"type": "paragraph", "value": link}]
    )
    [paragraph] = detail(client, guide, "vi")["body"]
    assert "/vi/lieu-phap/exosome/" in paragraph["value"]

    exosomes.unpublish()
    [paragraph] = detail(client, guide, "vi")["body"]
    assert "liệu pháp exosome" in paragraph["value"]
    assert "exosome/" not in paragraph["value"]
    assert detail(client, guide, "en")["body"][0]["value"] == "<p>No links here.</p>"

    publish(Page.objects.get(pk=exosomes.pk).latest_revision)
    [paragraph] = detail(client, guide, "vi")["body"]
    assert "/vi/lieu-phap/exosome/" in paragraph["value"]


def test_a_comparison_only_the_released_vietnamese_text_holds_drops_a_private_therapy(
    client, article_index, prp, exosomes, doctor
):
    comparison = comparison_block([prp, exosomes], [("Bản chất", ("Máu tự thân", "Người hiến"))])
    guide = guide_released_with(client, article_index, doctor, [comparison])
    assert columns(client, guide, "vi") == ["PRP (huyết tương giàu tiểu cầu)", "Exosome"]

    PageViewRestriction.objects.create(page=exosomes, restriction_type="login")
    assert columns(client, guide, "vi") == ["PRP (huyết tương giàu tiểu cầu)"]
    assert "Exosome" not in str(detail(client, guide, "vi")["body"])


def test_a_comparison_only_the_released_vietnamese_text_holds_ends_when_a_therapy_expires(
    client, article_index, prp, exosomes, doctor
):
    now = timezone.now()
    exosomes.expire_at = now + datetime.timedelta(hours=1)
    exosomes.save_revision().publish()
    comparison = comparison_block([prp, exosomes], [("Bản chất", ("Máu tự thân", "Người hiến"))])
    guide = guide_released_with(client, article_index, doctor, [comparison])
    assert columns(client, guide, "vi") == ["PRP (huyết tương giàu tiểu cầu)", "Exosome"]

    with clock.frozen_at(now + datetime.timedelta(hours=2)):
        assert columns(client, guide, "vi") == ["PRP (huyết tương giàu tiểu cầu)"]


def test_a_therapy_renamed_is_renamed_in_a_comparison_only_the_released_text_holds(
    client, article_index, prp, exosomes, doctor
):
    comparison = comparison_block([prp, exosomes], [("Bản chất", ("Máu tự thân", "Người hiến"))])
    guide = guide_released_with(client, article_index, doctor, [comparison])
    publish(edit(exosomes, title_vi="Túi ngoại bào (exosome)"))
    assert columns(client, guide, "vi") == [
        "PRP (huyết tương giàu tiểu cầu)",
        "Túi ngoại bào (exosome)",
    ]


def test_a_doctor_quoted_only_in_the_released_vietnamese_text_is_shown_as_edited(
    client, article_index, doctor
):
    quoted = factories.DoctorFactory(name="Nguyễn Thị Hoa")  # not the reviewer
    quote = {
        "type": "doctor_quote",
        "value": {"doctor": quoted.pk, "quote": "Hãy kỳ vọng thực tế.", "context": "Mẫu"},
    }
    guide = guide_released_with(client, article_index, doctor, [quote])
    [block] = detail(client, guide, "vi")["body"]
    assert block["value"]["doctor"]["name"] == "Nguyễn Thị Hoa"
    quoted.name = "Bác sĩ Trần Minh Đức"
    quoted.save()
    [block] = detail(client, guide, "vi")["body"]
    assert block["value"]["doctor"]["name"] == "Bác sĩ Trần Minh Đức"


def test_an_image_only_the_released_vietnamese_text_shows_goes_when_it_is_deleted(
    client, article_index, doctor
):
    image = make_image("Ảnh minh hoạ")
    picture = {"type": "image", "value": {"image": image.pk, "alt_text": "Ảnh da", "caption": ""}}
    guide = guide_released_with(client, article_index, doctor, [picture])
    assert [b["type"] for b in detail(client, guide, "vi")["body"]] == ["image"]

    image.delete()
    assert detail(client, guide, "vi")["body"] == []
