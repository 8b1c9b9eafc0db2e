"""A screen-reader user moves through a page by its headings: no level is ever skipped."""

from html.parser import HTMLParser

import pytest

from . import factories
from .conftest import comparison_block

pytestmark = pytest.mark.django_db


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._open = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if self._open and tag == f"h{self._open[0]}":
            self.headings.append((self._open[0], " ".join(self._open[1].split())))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._open[1] += data


def headings_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Headings()
    parser.feed(response.content.decode())
    return parser.headings


def assert_no_level_skipped(url, headings):
    levels = [level for level, _text in headings]
    assert levels and levels[0] == 1 and levels.count(1) == 1, (url, headings)
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, (url, headings)


def subsection_first_body(prp, exosomes, doctor, lang):
    """A body an editor could write: a subsection before any section, headings in rich text."""
    words = {
        "en": ("In brief", "What to ask", "Details", "Side effects"),
        "vi": ("Tóm tắt", "Nên hỏi gì", "Chi tiết", "Tác dụng phụ"),
    }[lang]
    return [
        {"type": "heading", "value": {"text": words[0], "level": "h3"}},
        {"type": "paragraph", "value": f"<h3>{words[1]}</h3><p>Nguồn gốc và giấy phép.</p>"},
        comparison_block([prp, exosomes], [("Nature", ("Own blood", "Donor"))], title=""),
        {"type": "heading", "value": {"text": words[2], "level": "h2"}},
        {"type": "paragraph", "value": f"<h3>{words[3]}</h3><p>Sưng, bầm tím.</p>"},
        {
            "type": "safety_notes",
            "value": {
                "title": "",
                "principle": "",
                "groups": [{"heading": "Vô khuẩn", "points": ["Dụng cụ vô khuẩn"]}],
            },
        },
        {"type": "key_points", "value": {"title": "", "points": ["Một", "Hai"]}},
        {
            "type": "doctor_quote",
            "value": {"doctor": doctor.pk, "quote": "Hãy kỳ vọng thực tế.", "context": ""},
        },
    ]


@pytest.fixture
def pages(home, therapy_index, article_index, prp, exosomes, doctor, clinic, article):
    bodies = {
        f"body_{lang}": subsection_first_body(prp, exosomes, doctor, lang) for lang in ("en", "vi")
    }
    factories.make_article(
        article_index, "Outline", "outline", "Dàn ý", "dan-y", reviewed_by=doctor, **bodies
    )
    factories.make_therapy(therapy_index, "Laser", "laser", "Laser", "laser-vi", **bodies)
    return [
        "/en/",
        "/vi/",
        "/en/therapies/",
        "/vi/lieu-phap/",
        "/en/articles/",
        "/vi/bai-viet/",
        "/en/therapies/prp/",
        "/vi/lieu-phap/prp/",
        "/en/therapies/laser/",
        "/vi/lieu-phap/laser-vi/",
        "/en/articles/exosomes-vs-prp/",
        "/vi/bai-viet/exosome-va-prp/",
        "/en/articles/outline/",
        "/vi/bai-viet/dan-y/",
    ]


def test_no_page_type_skips_a_heading_level_in_either_language(client, pages):
    for url in pages:
        assert_no_level_skipped(url, headings_of(client, url))


def test_section_lists_title_their_cards_one_level_below_the_page(client, pages):
    headings = headings_of(client, "/vi/lieu-phap/")
    assert headings[0] == (1, "Liệu pháp")
    assert (2, "PRP (huyết tương giàu tiểu cầu)") in headings and (2, "Laser") in headings


def test_a_subsection_before_any_section_becomes_a_section_and_later_ones_stay(client, pages):
    headings = headings_of(client, "/vi/bai-viet/dan-y/")
    assert headings[:4] == [
        (1, "Dàn ý"),
        (2, "Tóm tắt"),
        (3, "Nên hỏi gì"),
        (3, "PRP (huyết tương giàu tiểu cầu)"),  # the comparison's card for small screens
    ]
    # After a section, a rich-text subsection keeps its level.
    assert (2, "Chi tiết") in headings
    assert headings[headings.index((2, "Chi tiết")) + 1] == (3, "Tác dụng phụ")
