"""Vietnamese readers search with or without diacritics."""

import pytest
from django.core.management import call_command

from readmodel import outbox
from readmodel.models import PageDocument

from . import factories

pytestmark = pytest.mark.django_db


def search(client, words, lang="vi", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/api/v1/pages/?search={words}&lang={lang}&{query}")
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def mesotherapy(therapy_index):
    return factories.make_therapy(
        therapy_index,
        "Mesotherapy",
        "mesotherapy",
        "Liệu pháp trung bì",
        "trung-bi",
        summary_vi="Tiêm vi điểm dưỡng chất vào lớp trung bì của da.",
        summary_en="Micro-injections of nutrients into the middle layer of the skin.",
    )


def test_search_without_diacritics_finds_vietnamese_text(client, mesotherapy, prp):
    assert search(client, "lieu+phap+trung+bi", type="therapy") == ["Liệu pháp trung bì"]
    assert search(client, "duong+chat") == ["Liệu pháp trung bì"]


def test_search_with_diacritics_and_any_case(client, mesotherapy, prp):
    assert search(client, "LIỆU+PHÁP+trung+bì", type="therapy") == ["Liệu pháp trung bì"]
    assert search(client, "huyết+tương") == ["PRP (huyết tương giàu tiểu cầu)"]


def test_search_in_english(client, mesotherapy, prp):
    assert search(client, "nutrients", lang="en") == ["Mesotherapy"]
    assert search(client, "nutrients", lang="vi") == []


def test_search_reads_the_body(client, article):
    assert search(client, "nguoi+hien") == ["Exosome và PRP khác nhau thế nào"]


def test_search_requires_every_word(client, mesotherapy, prp):
    assert search(client, "lieu+phap+khong+ton+tai") == []


def test_republish_updates_and_unpublish_removes_search_text(client, mesotherapy):
    mesotherapy.summary_vi = "Vi kim kết hợp dưỡng chất."
    mesotherapy.save_revision().publish()
    assert search(client, "vi+kim") == ["Liệu pháp trung bì"]
    mesotherapy.unpublish()
    assert search(client, "vi+kim") == []


def test_search_reads_the_documents_and_a_rebuild_restores_them(client, mesotherapy):
    outbox.drain()  # the publish's documents, as after its commit
    PageDocument.objects.update(search_text="")  # what a restore of an old backup could leave
    assert search(client, "trung+bi") == []
    call_command("rebuild_documents", stdout=open("/dev/null", "w"))
    assert search(client, "trung+bi") == ["Liệu pháp trung bì"]


@pytest.mark.parametrize(
    "query",
    [
        "%21%21",
        "---",
        "%E2%80%8B",
        "%20%20",
        "",
        "%E2%9C%A8%F0%9F%92%89",
        "%C2%A0%E3%80%82",
        "%22%27%25_",
    ],
)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_search_with_nothing_searchable_finds_nothing(client, mesotherapy, prp, query, lang):
    # Punctuation, spaces, emoji, zero-width or ideographic marks: no word, so no page.
    response = client.get(f"/api/v1/pages/?search={query}&lang={lang}")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0 and response.json()["items"] == []
    # Without ?search= the same listing has every page.
    assert client.get(f"/api/v1/pages/?lang={lang}").json()["count"] >= 3


def test_punctuation_around_real_words_is_ignored(client, mesotherapy, prp):
    assert search(client, "%C2%ABtrung+b%C3%AC%C2%BB%21%21...") == ["Liệu pháp trung bì"]


def test_search_reads_rich_text_as_a_reader_does_not_its_markup(client, therapy_index):
    """``&amp;`` in a paragraph is "&" to a reader: "amp" finds nothing, the words around it
    are found, and paragraphs stay separate words."""
    factories.make_therapy(
        therapy_index,
        "Combination",
        "combination",
        "Kết hợp",
        "ket-hop",
        what_it_is_en="<p>PRP &amp; hyaluronic acid</p><p>together</p>",
        what_it_is_vi="<p>PRP &amp; axit hyaluronic&nbsp;tiêm</p><p>cùng lúc</p>",
    )
    for lang in ("en", "vi"):
        for markup in ("amp", "nbsp"):
            assert search(client, markup, lang=lang) == [], (markup, lang)
    assert search(client, "acid together", lang="en") == ["Combination"]
    assert search(client, "hyaluronic tiem", lang="vi") == ["Kết hợp"]
    assert search(client, "hyaluronic tiêm", lang="vi") == ["Kết hợp"]
    assert search(client, "tiem cung", lang="vi") == ["Kết hợp"]
