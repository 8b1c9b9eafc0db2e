"""Paragraphs of a Vietnamese rich text that English lacks: as with blocks, one removed from
English leaves Vietnamese only when the editor ticks it, and one written for Vietnamese alone
stays. Before, a workspace save rebuilt the Vietnamese text from the English paragraphs and
silently dropped both."""

import re

import pytest
from django.utils import translation
from wagtail.models import Page

from workspace import inline
from workspace.segments import build_stream, extra_items
from workspace.workspace import Workspace

from .test_translate_workspace import form_for, html, latest, messages_of, url

pytestmark = pytest.mark.django_db

EN = (
    '<p data-block-key="k1">Plasma comes from your own blood.</p>'
    '<p data-block-key="k2">Results vary between patients.</p>'
    '<p data-block-key="k3">Book a consultation first.</p>'
)
VI = (
    '<p data-block-key="k1">Huyết tương được lấy từ máu của chính bạn.</p>'
    '<p data-block-key="k2">Kết quả khác nhau ở mỗi người.</p>'
    '<p data-block-key="k3">Hãy đặt lịch tư vấn trước.</p>'
)
RESULTS_VI = "Kết quả khác nhau ở mỗi người."


def keys(html_text):
    return re.findall(r'data-block-key="([^"]+)"', html_text)


def test_a_paragraph_only_the_target_has_goes_back_after_its_neighbour():
    english = EN.replace('<p data-block-key="k2">Results vary between patients.</p>', "")
    [only] = inline.target_only(english, VI)
    assert (only.key, only.text) == ("k2", RESULTS_VI)
    built = '<p data-block-key="k1">Một.</p><p data-block-key="k3">Ba.</p>'
    merged = inline.with_target_only(built, [only])
    assert keys(merged) == ["k1", "k2", "k3"]
    assert RESULTS_VI in merged and "Một." in merged and "Ba." in merged
    # First in the text, and two in a row, keep their places and order.
    english = '<p data-block-key="k3">Book.</p>'
    found = inline.target_only(english, VI)
    assert [u.key for u in found] == ["k1", "k2"]
    assert keys(inline.with_target_only('<p data-block-key="k3">Ba.</p>', found)) == [
        "k1",
        "k2",
        "k3",
    ]
    assert inline.target_only(EN, VI) == []


def test_a_list_item_only_the_target_has_stays_in_its_list():
    english = '<ul><li data-block-key="a">One</li><li data-block-key="c">Three</li></ul>'
    vietnamese = (
        '<ul><li data-block-key="a">Một</li><li data-block-key="b">Hai</li>'
        '<li data-block-key="c">Ba</li></ul>'
    )
    [only] = inline.target_only(english, vietnamese)
    assert only.key == "b"
    merged = inline.with_target_only(
        '<ul><li data-block-key="a">Một!</li><li data-block-key="c">Ba!</li></ul>', [only]
    )
    assert merged == (
        '<ul><li data-block-key="a">Một!</li><li data-block-key="b">Hai</li>'
        '<li data-block-key="c">Ba!</li></ul>'
    )


def test_a_paragraph_block_keeps_its_target_only_paragraph_unless_removed():
    from therapies.models import ArticlePage

    stream_block = ArticlePage._meta.get_field("body").stream_block
    english = EN.replace('<p data-block-key="k2">Results vary between patients.</p>', "")
    source = [{"type": "paragraph", "id": "p1", "value": english}]
    target = [{"type": "paragraph", "id": "p1", "value": VI}]
    [extra] = extra_items("body", stream_block, source, target)
    assert extra.address == "body/p1/k2" and extra.texts == (RESULTS_VI,)

    existing = {"body/p1/k1": "Một.", "body/p1/k3": "Ba."}
    built = build_stream("body", stream_block, source, target, lambda s: existing.get(s.id))
    assert keys(built.raw[0]["value"]) == ["k1", "k2", "k3"]
    assert RESULTS_VI in built.raw[0]["value"]
    removed = build_stream(
        "body", stream_block, source, target, lambda s: existing.get(s.id), {"p1/k2"}
    )
    assert keys(removed.raw[0]["value"]) == ["k1", "k3"]


@pytest.fixture
def therapy(prp):
    """PRP with a three-paragraph "what it is" in both languages, published."""
    prp.what_it_is_en, prp.what_it_is_vi = EN, VI
    with translation.override("en"):
        prp.save_revision().publish()
    return prp


def drop_english_paragraph(page, key="k2"):
    page = latest(page)
    page.what_it_is_en = re.sub(rf'<p data-block-key="{key}">[^<]*</p>', "", page.what_it_is_en)
    with translation.override("en"):
        page.save_revision()


def removed_list(response):
    return re.findall(r'data-removed-block="([^"]+)"', html(response))


def test_a_paragraph_removed_in_english_is_listed_and_kept_until_confirmed(admin_client, therapy):
    drop_english_paragraph(therapy)
    response = admin_client.get(url(therapy))
    page = html(response)
    assert removed_list(response) == ["what_it_is/k2"]
    assert RESULTS_VI in page
    assert 'name="remove:what_it_is/k2"' in page

    # A save of another translation without the tick keeps the paragraph where it was.
    typed = form_for(therapy) | {"t:what_it_is/k1": "Huyết tương lấy từ máu của bạn."}
    response = admin_client.post(url(therapy), typed)
    assert response.status_code == 302
    saved = latest(therapy).what_it_is_vi
    assert keys(saved) == ["k1", "k2", "k3"]
    assert "Huyết tương lấy từ máu của bạn." in saved and RESULTS_VI in saved

    # Ticked: it leaves Vietnamese, and the revision before still holds it.
    previous = Page.objects.get(pk=therapy.pk).latest_revision
    response = admin_client.post(url(therapy), form_for(therapy) | {"remove:what_it_is/k2": "on"})
    assert response.status_code == 302
    assert any("1 block removed from English was removed" in m for m in messages_of(response))
    assert keys(latest(therapy).what_it_is_vi) == ["k1", "k3"]
    assert RESULTS_VI in previous.as_object().what_it_is_vi
    assert removed_list(admin_client.get(url(therapy))) == []


def test_a_vietnamese_only_paragraph_is_shown_and_never_removed(admin_client, therapy):
    page = latest(therapy)
    page.what_it_is_vi = VI + '<p data-block-key="vi-only">Chỉ có ở bản tiếng Việt.</p>'
    with translation.override("en"):
        page.save_revision()

    workspace = Workspace(Page.objects.get(pk=therapy.pk).specific, "vi")
    assert [(b.address, b.removed) for b in workspace.target_only] == [
        ("what_it_is/vi-only", False)
    ]
    response = admin_client.get(url(therapy))
    assert 'data-target-only-block="what_it_is/vi-only"' in html(response)
    assert 'name="remove:what_it_is/vi-only"' not in html(response)

    # A save that rebuilds the field, even with a forged removal, keeps it.
    typed = form_for(therapy) | {
        "t:what_it_is/k3": "Nên đặt lịch tư vấn trước.",
        "remove:what_it_is/vi-only": "on",
    }
    assert admin_client.post(url(therapy), typed).status_code == 302
    saved = latest(therapy).what_it_is_vi
    assert keys(saved) == ["k1", "k2", "k3", "vi-only"]
    assert "Nên đặt lịch tư vấn trước." in saved and "Chỉ có ở bản tiếng Việt." in saved
