"""Segments: every translatable text of a page, with ids that survive reordering and edits,
rich text carried as inline codes, bodies paired by block id, and a target body that
only ever holds blocks that validate."""

import copy
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from home.management.commands.load_demo_content import article_body
from therapies.models import ArticlePage, TherapyPage
from workspace import inline
from workspace.segments import (
    adopt_ids,
    build_stream,
    existing_targets,
    page_segments,
    pair,
    pair_by_position,
    stream_segments,
    target_values,
)

BODY = ArticlePage._meta.get_field("body").stream_block


def raw(value):
    return list(value.get_prep_value())


def by_id(segments):
    return {segment.id: segment for segment in segments}


def block_ids(body):
    return {item["type"]: item["id"] for item in body}


# -- extraction ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_text_of_every_block_kind_is_a_segment_and_nothing_else(rich_article):
    segments = page_segments(rich_article)
    ids = block_ids(raw(rich_article.body_en))
    texts = {segment.id: segment.text for segment in segments}

    assert texts["title"] == "Rich article rich"
    assert texts["slug"] == "rich"
    assert texts["lead"] == "An introduction to Rich article rich."
    b = {kind: f"body/{block_id}" for kind, block_id in ids.items()}
    expected_body = {
        f"{b['heading']}/text": "What the evidence says 0",
        f"{b['paragraph']}/0": "Read about {1}PRP{/1} {2}exosome{/2}.",
        f"{b['image']}/alt_text": "A photo 0",
        f"{b['key_points']}/points/0": "one",
        f"{b['key_points']}/points/1": "two",
        f"{b['comparison']}/rows/0/dimension": "Source",
        f"{b['comparison']}/rows/0/values/0": "Blood",
        f"{b['comparison']}/rows/0/values/1": "Donor",
        f"{b['comparison']}/takeaway": "Different.",
        f"{b['doctor_quote']}/quote": "Be realistic.",
        f"{b['claims_warning']}/claims/0/claim": "permanent",
        f"{b['claims_warning']}/claims/0/why": "No.",
        f"{b['safety_notes']}/groups/0/heading": "Sterility",
        f"{b['safety_notes']}/groups/0/points/0": "Sterile kit",
        f"{b['call_to_action']}/title": "Booking",
    }
    body_texts = {key: value for key, value in texts.items() if key.startswith("body/")}
    assert body_texts == expected_body
    # Images, doctors, compared therapies, levels and switches are context, not text; empty
    # optional texts (caption, context, titles) have nothing to translate.
    assert not any(
        key.endswith(("/image", "/doctor", "/level", "/show_hotline", "/caption", "/context"))
        or "/therapies" in key
        for key in texts
    )
    labels = by_id(segments)
    assert labels[f"{b['comparison']}/rows/0/values/1"].label == (
        "Body › Comparison › Rows 1 › Values 2"
    )


@pytest.mark.django_db
def test_therapy_fields_and_rich_text_field_are_segments(prp):
    prp.what_it_is_en = (
        '<p data-block-key="k1">Plasma from <b>your own</b> blood.</p>'
        '<p data-block-key="k2">Spun in a centrifuge.</p>'
    )
    prp.common_uses_en = "Hair loss"
    prp.search_description_en = "PRP explained."
    texts = {segment.id: segment.text for segment in page_segments(prp)}
    assert texts["summary"].startswith("What PRP is")
    assert texts["common_uses"] == "Hair loss"
    assert texts["search_description"] == "PRP explained."
    assert texts["what_it_is/k1"] == "Plasma from {1}your own{/1} blood."
    assert texts["what_it_is/k2"] == "Spun in a centrifuge."
    assert "url_path" not in texts and "personalisation" not in texts  # empty: nothing to do


def test_ids_survive_reordering_and_edits():
    body = [
        {"type": "heading", "id": "h1", "value": {"text": "Before", "level": "h2"}},
        {
            "type": "key_points",
            "id": "kp",
            "value": {
                "title": "",
                "points": [
                    {"type": "item", "id": "p-a", "value": "first"},
                    {"type": "item", "id": "p-b", "value": "second"},
                ],
            },
        },
    ]
    before = by_id(stream_segments("body", BODY, body))
    edited = [copy.deepcopy(body[1]), copy.deepcopy(body[0])]
    edited[1]["value"]["text"] = "After"
    edited[0]["value"]["points"].reverse()
    after = by_id(stream_segments("body", BODY, edited))

    assert set(before) == set(after) == {"body/h1/text", "body/kp/points/p-a", "body/kp/points/p-b"}
    assert after["body/h1/text"].text == "After"
    assert after["body/kp/points/p-a"].text == "first"
    # The positional alias finds translations recorded before items had ids.
    assert after["body/kp/points/p-a"].alias == "body/kp/points/1"


def test_paragraph_ids_follow_draftail_keys_and_keep_a_positional_alias():
    before = stream_segments(
        "body", BODY, [{"type": "paragraph", "id": "p", "value": "<p>One.</p><p>Two.</p>"}]
    )
    keyed = '<p data-block-key="x1">One.</p><p data-block-key="x2">Two.</p>'
    after = stream_segments("body", BODY, [{"type": "paragraph", "id": "p", "value": keyed}])
    assert [s.id for s in before] == ["body/p/0", "body/p/1"]
    assert [s.id for s in after] == ["body/p/x1", "body/p/x2"]
    # A translation recorded before the edit form added keys is still found by its alias.
    assert [s.alias for s in after] == [s.id for s in before]


# -- rich text and inline codes -------------------------------------------------------------


def test_rich_text_round_trips_through_units():
    html = (
        '<h3 data-block-key="h">Why <i>it</i> matters</h3>'
        '<p data-block-key="a">Read <b>this</b> and <a linktype="page" id="12">that</a>,'
        " with {braces} &amp; ampersands.<br/>New line</p>"
        '<ul><li data-block-key="l1">one</li><li data-block-key="l2"><a href="https://x.org/?a=1&amp;b=2">two</a></li></ul>'
    )
    layout = inline.split(html)
    assert [unit.key for unit in layout.units] == ["h", "a", "l1", "l2"]
    assert layout.units[1].text == (
        "Read {1}this{/1} and {2}that{/2}, with {{braces}} & ampersands.{3/}New line"
    )
    assert inline.split(layout.render([u.text for u in layout.units])) == layout


def test_translated_codes_may_move_and_keep_their_links():
    [unit] = inline.split('<p>Read about <a linktype="page" id="6">PRP</a> <b>now</b>.</p>').units
    target = "Hãy {2}đọc ngay{/2} về {1}PRP{/1}."
    inline.check_codes(unit.text, target)
    assert inline.render(target, unit.codes) == (
        'Hãy <b>đọc ngay</b> về <a linktype="page" id="6">PRP</a>.'
    )


def test_source_is_shown_formatted_without_attributes():
    [unit] = inline.split('<p><b>Only</b> <a linktype="page" id="6">PRP</a><br/>now</p>').units
    assert inline.display_html(unit.text, unit.codes) == (
        '<b>Only</b> <span class="translate-link">PRP</span><br>now'
    )


@pytest.mark.parametrize(
    "target, message",
    [
        ("Đọc về PRP {2}exosome{/2}.", "lacks these codes from the English text: {1}, {/1}"),
        ("Đọc {1}PRP{/1} {2}exo{/2} {3}x{/3}.", "not in the English text: {3}, {/3}"),
        ("Đọc {1}PRP {2}exosome{/1}{/2}.", "{/1} is misplaced"),
        ("Đọc {/1}PRP{1} {2}exosome{/2}.", "{/1} is misplaced"),
        ("Đọc {1}PRP{/1} {1}{/1} {2}exosome{/2}.", "repeated: {1}, {/1}"),
    ],
)
def test_a_target_with_other_codes_is_refused_with_a_clear_message(target, message):
    source = "Read about {1}PRP{/1} {2}exosome{/2}."
    with pytest.raises(inline.InlineCodeError, match=message.replace("{", r"\{")):
        inline.check_codes(source, target)


@pytest.mark.django_db
def test_segment_clean_refuses_codes_and_overlong_text(rich_article):
    segments = by_id(page_segments(rich_article))
    ids = block_ids(raw(rich_article.body_en))
    paragraph = segments[f"body/{ids['paragraph']}/0"]
    with pytest.raises(ValidationError, match="lacks these codes"):
        paragraph.clean("Đọc về PRP và exosome.")
    assert paragraph.clean(" Đọc về {2}exosome{/2} và {1}PRP{/1}. ") == (
        "Đọc về {2}exosome{/2} và {1}PRP{/1}."
    )
    heading = segments[f"body/{ids['heading']}/text"]
    with pytest.raises(ValidationError):
        heading.clean("Bằng chứng " * 30)  # max_length 200
    with pytest.raises(ValidationError):
        segments["slug"].clean("không phải slug")


def test_decomposed_vietnamese_is_stored_composed():
    [segment] = stream_segments(
        "body", BODY, [{"type": "heading", "id": "h", "value": {"text": "Safety", "level": "h2"}}]
    )
    decomposed = "An toa\u0300n"
    assert segment.clean(decomposed) == "An toàn"


# -- pairing --------------------------------------------------------------------------------


def test_pair_by_id_reports_missing_and_target_only_blocks():
    source = [{"type": "heading", "id": i, "value": {}} for i in ("a", "b", "c")]
    target = [{"type": "heading", "id": i, "value": {}} for i in ("c", "x", "a")]
    result = pair(source, target)
    assert result.paired == ("a", "c")
    assert result.missing == ("b",)
    assert result.target_only == ("x",)
    assert not result.shares_nothing


def test_bodies_written_separately_pair_once_by_position_and_type():
    prp, exosomes, doctor = SimpleNamespace(pk=1), SimpleNamespace(pk=2), SimpleNamespace(pk=3)
    english = [
        dict(block, id=f"en-{n}")
        for n, block in enumerate(article_body("en", prp, exosomes, doctor))
    ]
    vietnamese = [
        dict(block, id=f"vi-{n}")
        for n, block in enumerate(article_body("vi", prp, exosomes, doctor))
    ]
    # The Vietnamese body lacks the heading and has a paragraph the English one does not.
    vietnamese = [
        *vietnamese[1:4],
        {"type": "paragraph", "id": "vi-extra", "value": "<p>Chỉ có tiếng Việt.</p>"},
        *vietnamese[4:],
    ]
    assert pair(english, vietnamese).shares_nothing

    pairing = pair_by_position(english, vietnamese)
    assert ("en-1", "vi-1") in pairing.pairs and ("en-7", "vi-7") in pairing.pairs
    assert pairing.unpaired_source == (("en-0", "heading"),)
    assert pairing.unpaired_target == (("vi-extra", "paragraph"),)

    adopted = adopt_ids(vietnamese, pairing)
    assert [item["id"] for item in adopted][:5] == ["en-1", "en-2", "en-3", "vi-extra", "en-4"]
    assert pair(english, adopted).paired == tuple(f"en-{n}" for n in range(1, 8))


@pytest.mark.django_db
def test_existing_vietnamese_texts_are_found_after_positional_pairing(rich_article):
    source = page_segments(rich_article)
    english, vietnamese = raw(rich_article.body_en), raw(rich_article.body_vi)
    rich_article.body_vi = adopt_ids(vietnamese, pair_by_position(english, vietnamese))
    found = existing_targets(rich_article, "vi", source)
    ids = block_ids(english)
    assert found["title"] == "Bài viết đầy đủ rich"
    assert found[f"body/{ids['heading']}/text"] == "Bằng chứng nói gì 0"
    assert found[f"body/{ids['paragraph']}/0"] == "Đọc về {1}PRP{/1} {2}exosome{/2}."
    assert found[f"body/{ids['doctor_quote']}/quote"] == "Hãy kỳ vọng thực tế."


def test_existing_codes_are_renumbered_to_the_source_links():
    english = '<p><a linktype="page" id="6">PRP</a> and <a linktype="page" id="7">exosomes</a></p>'
    vietnamese = '<p><a linktype="page" id="7">Exosome</a> và <a linktype="page" id="6">PRP</a></p>'
    [source] = inline.split(english).units
    [target] = inline.split(vietnamese).units
    assert target.text == "{1}Exosome{/1} và {2}PRP{/2}"
    assert (
        inline.renumber(target.text, target.codes, source.codes) == "{2}Exosome{/2} và {1}PRP{/1}"
    )


# -- building the target body ----------------------------------------------------------------


@pytest.mark.django_db
def test_target_body_holds_only_blocks_whose_required_texts_are_translated(
    rich_article, prp, exosomes
):
    english = raw(rich_article.body_en)
    ids = block_ids(english)
    # The comparison's second cell and the quote are untranslated.
    untranslated = (f"{ids['comparison']}/rows/0/values/1", f"{ids['doctor_quote']}/quote")

    def translate(segment):
        if segment.id.endswith(untranslated):
            return None
        return "Đọc về {2}exosome{/2} và {1}PRP{/1}." if segment.rich else f"VI {segment.text}"

    build = build_stream("body", BODY, english, [], translate)

    assert set(build.waiting) == {ids["comparison"], ids["doctor_quote"]}
    assert [item["id"] for item in build.raw] == [
        item["id"] for item in english if item["type"] not in ("comparison", "doctor_quote")
    ]
    built = {item["type"]: item for item in build.raw}
    assert built["heading"]["value"] == {"text": "VI What the evidence says 0", "level": "h2"}
    assert built["image"]["value"]["image"] == english[2]["value"]["image"]
    assert built["paragraph"]["value"] == (
        f'<p>Đọc về <a linktype="page" id="{exosomes.pk}">exosome</a> và '
        f'<a linktype="page" id="{prp.pk}">PRP</a>.</p>'
    )
    assert built["call_to_action"]["value"]["show_booking"] is False
    # What is written validates as a body.
    BODY.clean(BODY.to_python(build.raw))


def test_unfinished_block_keeps_the_targets_version_and_target_only_blocks_stay_in_place():
    english = [
        {"type": "heading", "id": "h1", "value": {"text": "One", "level": "h2"}},
        {"type": "heading", "id": "h2", "value": {"text": "Two (edited)", "level": "h3"}},
        {"type": "heading", "id": "h3", "value": {"text": "Three", "level": "h2"}},
    ]
    current = [
        {"type": "paragraph", "id": "vi-first", "value": "<p>Mở đầu.</p>"},
        {"type": "heading", "id": "h2", "value": {"text": "Hai", "level": "h2"}},
        {"type": "paragraph", "id": "vi-only", "value": "<p>Chỉ có tiếng Việt.</p>"},
    ]
    translations = {"body/h1/text": "Một"}
    build = build_stream("body", BODY, english, current, lambda s: translations.get(s.id))

    assert [item["id"] for item in build.raw] == ["vi-first", "h1", "h2", "vi-only"]
    assert build.raw[1]["value"] == {"text": "Một", "level": "h2"}
    assert build.raw[2] == current[1]  # unfinished: the current Vietnamese block, untouched
    assert build.entered == ("h1",) and build.kept == ("h2",) and build.waiting == ("h3",)


def test_list_items_keep_the_english_item_ids():
    english = [
        {
            "type": "key_points",
            "id": "kp",
            "value": {"title": "", "points": [{"type": "item", "id": "p-a", "value": "first"}]},
        }
    ]
    build = build_stream("body", BODY, english, [], lambda s: "thứ nhất")
    assert build.raw[0]["value"]["points"] == [{"type": "item", "id": "p-a", "value": "thứ nhất"}]


@pytest.mark.django_db
def test_target_values_change_only_translated_fields(prp):
    prp.what_it_is_en = '<p data-block-key="k1">Plasma.</p><p data-block-key="k2">Spun.</p>'
    translations = {"title": "PRP mới", "what_it_is/k1": "Huyết tương."}
    values = target_values(prp, "vi", lambda s: translations.get(s.id))
    assert values["title_vi"] == "PRP mới"
    assert "summary_vi" not in values  # untranslated: the current Vietnamese text stays
    assert "what_it_is_vi" not in values  # half translated: nothing half-written
    translations["what_it_is/k2"] = "Ly tâm."
    values = target_values(prp, "vi", lambda s: translations.get(s.id))
    assert values["what_it_is_vi"] == (
        '<p data-block-key="k1">Huyết tương.</p><p data-block-key="k2">Ly tâm.</p>'
    )
    assert isinstance(prp, TherapyPage)
