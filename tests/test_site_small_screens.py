"""A reader on a 360 px phone reads the comparison and the doctor's quote without squinting."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from .conftest import comparison_block
from .factories import make_article, make_therapy

pytestmark = pytest.mark.django_db


class _Classes(HTMLParser):
    """Text and children of the elements that carry a given class."""

    def __init__(self, css_class):
        super().__init__()
        self.css_class, self.found, self._stack = css_class, [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        for item in self._stack:
            item["children"].append((tag, classes))
        if self.css_class in classes:
            self._stack.append({"tag": tag, "text": "", "children": [], "depth": 0})
        for item in self._stack:
            item["depth"] += 1

    def handle_endtag(self, tag):
        for item in list(self._stack):
            item["depth"] -= 1
            if item["depth"] == 0:
                self._stack.remove(item)
                self.found.append(item)

    def handle_startendtag(self, tag, attrs):  # <img …>: no end tag
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        for item in self._stack:
            item["text"] += data


def elements(html, css_class):
    parser = _Classes(css_class)
    parser.feed(html)
    return parser.found


def cards_of(html):
    """Each comparison card as (therapy title, [(dimension, value), …])."""
    cards = re.findall(
        r'<li class="comparison-card"><h3><a href="[^"]+">([^<]+)</a></h3>\s*<dl>(.*?)</dl></li>',
        html,
        flags=re.S,
    )
    return [(title, re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts)) for title, facts in cards]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_quote_attribution_reads_name_comma_credentials_in_both_languages(client, article):
    for url, attribution in (
        ("/vi/bai-viet/exosome-va-prp/", "Võ Thanh Sang, Bác sĩ Chuyên khoa I"),
        ("/en/articles/exosomes-vs-prp/", "Võ Thanh Sang, Level I Specialist"),
    ):
        html = page(client, url)
        # Name, comma and credentials are one inline element: a flex gap cannot open before
        # the comma, and no whitespace sits inside it.
        [found] = elements(html, "attribution")
        assert found["text"] == attribution
        assert not re.search(r"\s,", found["text"])
    [context] = elements(page(client, "/vi/bai-viet/exosome-va-prp/"), "quote-context")
    assert context["text"] == "Mẫu"


def test_comparison_has_a_card_per_therapy_for_small_screens(client, article):
    html = page(client, "/vi/bai-viet/exosome-va-prp/")
    assert cards_of(html) == [
        ("PRP (huyết tương giàu tiểu cầu)", [("Bản chất", "Máu tự thân")]),
        ("Exosome", [("Bản chất", "Túi ngoại bào từ người hiến")]),
    ]
    assert '<h3><a href="/vi/lieu-phap/exosome/">Exosome</a></h3>' in html
    assert "<dt>Bản chất</dt><dd>Túi ngoại bào từ người hiến</dd>" in html
    # The same comparison stays a table with headers for wider screens.
    [table] = elements(html, "comparison-table")
    assert ("table", []) in table["children"]


def test_cards_pair_each_value_with_its_own_therapy_for_many_rows_and_therapies(
    client, article_index, prp, exosomes, therapy_index
):
    laser = make_therapy(therapy_index, "Laser", "laser", "Laser", "laser-vi")
    rows = [
        ("Source", ("Own blood", "Donor cells", "Light")),
        ("Evidence", ("Established", "Early", "Established")),
    ]
    body = [comparison_block([prp, exosomes, laser], rows, title="Three therapies")]
    make_article(article_index, "Three", "three", "Ba", "ba", body_en=body, body_vi=body)
    assert cards_of(page(client, "/en/articles/three/")) == [
        ("PRP", [("Source", "Own blood"), ("Evidence", "Established")]),
        ("Exosomes", [("Source", "Donor cells"), ("Evidence", "Early")]),
        ("Laser", [("Source", "Light"), ("Evidence", "Established")]),
    ]


def test_small_screens_get_the_cards_and_wide_screens_the_table():
    css = Path(finders.find("css/site.css")).read_text()
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    # Mobile first: below 40rem the table is hidden and the cards show; from 40rem, the reverse.
    assert ".comparison-table{display:none}" in rules
    assert (
        "@media (min-width:40rem){.comparison-table{display:block}.comparison-cards{display:none}}"
        in rules
    )
    assert ".comparison-cards{" in rules and "display:grid" in rules


def test_two_claims_warnings_on_one_page_label_themselves_with_their_own_ids(client, article_index):
    warning = {
        "type": "claims_warning",
        "value": {"title": "", "intro": "", "claims": [{"claim": "vĩnh viễn", "why": "Không."}]},
    }
    body = [warning, dict(warning)]
    make_article(article_index, "Twice", "twice", "Hai lần", "hai-lan", body_en=body, body_vi=body)
    html = page(client, "/vi/bai-viet/hai-lan/")
    ids = re.findall(r'<h2 id="(claims-[^"]+)"', html)
    assert len(ids) == 2 and len(set(ids)) == 2
    for label in ids:
        assert html.count(f'aria-labelledby="{label}"') == 1
