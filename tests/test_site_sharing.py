"""A reader pastes a page's link into Zalo or Facebook and sees a proper card."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image
from wagtail.models import Collection, CollectionViewRestriction

from . import factories
from .api_fixtures import make_image

pytestmark = pytest.mark.django_db


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key and (key.startswith(("og:", "twitter:"))):
            self.tags.append((key, attrs.get("content")))
        if tag == "link" and attrs.get("rel") == "canonical":
            self.tags.append(("canonical", attrs.get("href")))


def card_of(client, url):
    """The page's Open Graph and Twitter tags: a dict, and the list for repeated properties."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Meta()
    parser.feed(response.content.decode())
    return dict(parser.tags), parser.tags


def image_block(image, alt):
    return {"type": "image", "value": {"image": image.pk, "alt_text": alt, "caption": ""}}


@pytest.fixture
def pictured_article(article_index, clinic):
    picture = make_image("Centrifuge", size=(1600, 1000))
    second = make_image("Second", size=(800, 800))
    return factories.make_article(
        article_index,
        "Spinning blood",
        "spinning-blood",
        "Quay ly tâm máu",
        "quay-ly-tam-mau",
        lead_vi="Máu được quay ly tâm để tách lớp huyết tương giàu tiểu cầu.",
        body_en=[
            {"type": "paragraph", "value": "<p>First a paragraph.</p>"},
            image_block(picture, "A centrifuge"),
            image_block(second, "Another picture"),
        ],
        body_vi=[image_block(picture, "Máy ly tâm"), image_block(second, "Ảnh khác")],
    )


def test_vietnamese_article_link_shows_its_own_picture_at_card_size(client, pictured_article):
    card, _ = card_of(client, "/vi/bai-viet/quay-ly-tam-mau/")
    assert card["og:type"] == "article"
    assert card["og:title"] == card["twitter:title"] == "Quay ly tâm máu"
    lead = "Máu được quay ly tâm để tách lớp huyết tương giàu tiểu cầu."
    assert card["og:description"] == card["twitter:description"] == lead
    assert card["og:url"] == card["canonical"] == "http://testserver/vi/bai-viet/quay-ly-tam-mau/"
    assert card["og:site_name"] == "Phòng khám Thử nghiệm"
    assert card["og:locale"] == "vi_VN" and card["og:locale:alternate"] == "en_US"
    assert card["twitter:card"] == "summary_large_image"
    image = card["og:image"]
    assert image == card["twitter:image"]
    assert image.startswith("http://testserver/media/images/centrifuge") and image.endswith(".jpg")
    assert (card["og:image:width"], card["og:image:height"]) == ("1200", "630")
    assert card["og:image:alt"] == card["twitter:image:alt"] == "Máy ly tâm"
    # The announced size is the size of the file a chat app downloads.
    with Image.open(Path(settings.MEDIA_ROOT) / image.split("/media/", 1)[1]) as file:
        assert file.size == (1200, 630)


def test_english_card_is_in_english_with_vietnamese_as_the_alternate(client, pictured_article):
    card, _ = card_of(client, "/en/articles/spinning-blood/")
    assert card["og:locale"] == "en_US" and card["og:locale:alternate"] == "vi_VN"
    assert card["og:title"] == "Spinning blood"
    assert card["og:description"] == "An introduction to Spinning blood."
    assert card["og:image:alt"] == "A centrifuge"


def test_pages_without_a_picture_share_the_sites_card(
    client, home, therapy_index, article_index, prp, clinic
):
    shipped = finders.find("img/share-card.png")
    with Image.open(shipped) as file:
        assert file.size == (1200, 630)
    for url in ("/en/", "/vi/", "/vi/lieu-phap/", "/en/articles/", "/vi/lieu-phap/prp/"):
        card, _ = card_of(client, url)
        assert card["og:image"] == "http://testserver/static/img/share-card.png", url
        assert (card["og:image:width"], card["og:image:height"]) == ("1200", "630")
        assert card["og:type"] == "website"
        assert card["og:url"] == card["canonical"] == f"http://testserver{url}"
    card, _ = card_of(client, "/vi/lieu-phap/prp/")
    assert card["og:description"] == "Huyết tương giàu tiểu cầu được tách từ máu của chính bạn."


def test_search_description_is_the_card_text_when_the_editor_wrote_one(client, therapy_index):
    factories.make_therapy(
        therapy_index,
        "Exosomes",
        "exosomes",
        "Exosome",
        "exosome",
        search_description_vi="Exosome: bằng chứng còn ở giai đoạn đầu.",
    )
    card, _ = card_of(client, "/vi/lieu-phap/exosome/")
    assert card["og:description"] == "Exosome: bằng chứng còn ở giai đoạn đầu."


def test_a_page_not_yet_in_vietnamese_announces_no_vietnamese_alternate(client, therapy_index):
    factories.make_therapy(therapy_index, "English only", "english-only")
    _, tags = card_of(client, "/en/therapies/english-only/")
    assert ("og:locale", "en_US") in tags
    assert not [value for key, value in tags if key == "og:locale:alternate"]


def test_a_picture_in_a_private_collection_is_never_shared(client, pictured_article):
    private = Collection.get_first_root_node().add_child(name="Patients")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    body = pictured_article.body_vi
    first = body[0].value["image"]
    first.collection = private
    first.save()
    card, _ = card_of(client, "/vi/bai-viet/quay-ly-tam-mau/")
    # The next picture readers may see, never the private one.
    assert card["og:image"].startswith("http://testserver/media/images/second")
    assert card["og:image:alt"] == "Ảnh khác"
    assert "centrifuge" not in client.get("/vi/bai-viet/quay-ly-tam-mau/").content.decode()
