"""A reader browses the demo site: the doctor's name is spelled right, editors' notes stay out."""

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Page

from home.demo import content as demo
from home.models import ClinicSettings
from therapies.models import ArticlePage, Doctor

pytestmark = pytest.mark.django_db

# Words of notes meant for editors (English and Vietnamese), never for readers.
EDITOR_NOTE_WORDS = (
    "demo",
    "sample content",
    "replace in",
    "settings →",
    "nội dung mẫu",
    "địa chỉ mẫu",
    "hãy thay",
    "cài đặt →",
)


class _VisibleText(HTMLParser):
    """Text a reader sees: the body, without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._in_body = [], 0, False

    def handle_starttag(self, tag, attrs):
        self._in_body |= tag == "body"
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if self._in_body and not self._skip:
            self.parts.append(data)


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def load_demo():
    call_command("update_translation_fields", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def public_urls():
    urls = []
    for page in Page.objects.live().public().filter(depth__gt=1).specific():
        for lang in ("en", "vi"):
            with translation.override(lang):
                urls.append(page.get_url())
    return urls


def test_demo_site_names_the_doctor_with_diacritics_and_shows_no_notes_for_editors(client):
    output = load_demo()
    assert Doctor.objects.get().name == "Võ Thanh Sang"
    urls = public_urls()
    assert len(urls) == 12 and "/vi/bai-viet/exosome-va-prp/" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode()).lower()
        for word in EDITOR_NOTE_WORDS:
            assert word not in text, (url, word)
    article = visible_text(client.get("/vi/bai-viet/exosome-va-prp/").content.decode())
    assert "Thẩm định y khoa: Võ Thanh Sang, Bác sĩ Chuyên khoa I" in article
    assert "Võ Thanh Sang, Bác sĩ Chuyên khoa I Tóm lược từ bài viết của phòng khám" in article
    # The notes go to whoever loaded the demo.
    for note in demo.EDITOR_NOTES:
        assert note in output


def test_loading_again_puts_right_what_an_earlier_demo_showed_readers(client):
    load_demo()
    # What an earlier version of the demo loaded.
    Doctor.objects.update(name="Vo Thanh Sang")
    clinic = ClinicSettings.objects.get()
    clinic.address_en, clinic.address_vi = demo.RETIRED["address"]
    clinic.save()
    article = ArticlePage.objects.get()
    for lang, old in zip(("en", "vi"), demo.RETIRED["quote_context"], strict=True):
        blocks = [dict(block) for block in getattr(article, f"body_{lang}").raw_data]
        for block in blocks:
            if block["type"] == "doctor_quote":
                block["value"] = dict(block["value"], context=old)
        setattr(article, f"body_{lang}", blocks)
    article.save_revision().publish()
    assert "Nội dung mẫu" in client.get("/vi/bai-viet/exosome-va-prp/").content.decode()

    output = load_demo()

    assert list(Doctor.objects.values_list("name", flat=True)) == ["Võ Thanh Sang"]
    clinic.refresh_from_db()
    assert (clinic.address_en, clinic.address_vi) == ("", "")
    assert "Renamed doctor: Võ Thanh Sang" in output
    for url in ("/vi/bai-viet/exosome-va-prp/", "/en/articles/exosomes-vs-prp/"):
        text = visible_text(client.get(url).content.decode()).lower()
        for word in EDITOR_NOTE_WORDS:
            assert word not in text, (url, word)
    vi = client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    assert "Tóm lược từ bài viết của phòng khám về PRP và exosome." in vi


def test_an_editors_own_address_is_kept(client):
    load_demo()
    clinic = ClinicSettings.objects.get()
    clinic.address_en = "12 Nguyen Trai, District 1"
    clinic.address_vi = "12 Nguyễn Trãi, Quận 1"
    clinic.save()
    load_demo()
    clinic.refresh_from_db()
    assert clinic.address_vi == "12 Nguyễn Trãi, Quận 1"
    assert "12 Nguyễn Trãi, Quận 1" in client.get("/vi/").content.decode()
