"""List items inside a block both languages share: an item removed from English (a key point,
a claim, a safety group or point, a comparison row) leaves Vietnamese only when the editor
confirms, like a removed block; an item written only in Vietnamese stays."""

import json
import re

import pytest
from django.utils import translation
from wagtail.models import Page

from workspace.segments import page_segments

from . import factories
from .test_translate_structure import removed_list
from .test_translate_workspace import edit_english, html, latest, messages_of, posted_form, url

pytestmark = pytest.mark.django_db


def item(value, item_id):
    return {"type": "item", "value": value, "id": item_id}


def body(prp, exosomes):
    return [
        {
            "type": "key_points",
            "id": "kp",
            "value": {
                "title": "",
                "points": [item("Point A", "kp-a"), item("Point B", "kp-b")],
            },
        },
        {
            "type": "claims_warning",
            "id": "cw",
            "value": {
                "title": "",
                "intro": "",
                "claims": [
                    item({"claim": "permanent", "why": "No."}, "cw-a"),
                    item({"claim": "no downtime", "why": "Bruising."}, "cw-b"),
                ],
            },
        },
        {
            "type": "safety_notes",
            "id": "sn",
            "value": {
                "title": "",
                "principle": "",
                "groups": [
                    item(
                        {
                            "heading": "Sterility",
                            "points": [item("Sterile kit", "sn-p1"), item("Single use", "sn-p2")],
                        },
                        "sn-g1",
                    ),
                    item({"heading": "Source", "points": [item("Known donor", "sn-p3")]}, "sn-g2"),
                ],
            },
        },
        {
            "type": "comparison",
            "id": "cmp",
            "value": {
                "title": "",
                "therapies": [prp.pk, exosomes.pk],
                "rows": [
                    item(
                        {
                            "dimension": "Source",
                            "values": [item("Blood", "v1"), item("Donor", "v2")],
                        },
                        "r1",
                    ),
                    item(
                        {
                            "dimension": "Cost",
                            "values": [item("Lower", "v3"), item("Higher", "v4")],
                        },
                        "r2",
                    ),
                ],
                "takeaway": "",
            },
        },
    ]


@pytest.fixture
def translated(admin_client, article_index, prp, exosomes, clinic):
    """An article whose every segment was translated in the workspace ("VI " + English)."""
    page = factories.make_article(
        article_index, "Lists", "lists", "Danh sách", "danh-sach", body_en=body(prp, exosomes)
    )
    form = posted_form(admin_client.get(url(page)))
    for segment in page_segments(latest(page)):
        if not form[f"t:{segment.id}"]:
            form[f"t:{segment.id}"] = f"VI {segment.text}"
    assert admin_client.post(url(page), form).status_code == 302
    assert [b["id"] for b in latest(page).body_vi.get_prep_value()] == ["kp", "cw", "sn", "cmp"]
    return page


def vi_block(page, block_id):
    [block] = [b for b in latest(page).body_vi.get_prep_value() if b["id"] == block_id]
    return json.dumps(block["value"], ensure_ascii=False)


def drop(block_id, *path):
    """Remove from the English block the list item at ``path`` (list names and item ids)."""

    def change(english):
        value = next(b for b in english if b["id"] == block_id)["value"]
        *parents, (name, item_id) = list(zip(path[::2], path[1::2], strict=True))
        for parent_name, parent_id in parents:
            value = next(i for i in value[parent_name] if i["id"] == parent_id)["value"]
        value[name] = [i for i in value[name] if i["id"] != item_id]

    return change


CASES = {
    # name: (block, path to the removed item, its Vietnamese text, a sibling segment retyped)
    "key point": ("kp", ("points", "kp-b"), "VI Point B", "body/kp/points/kp-a"),
    "claim": ("cw", ("claims", "cw-b"), "VI Bruising.", "body/cw/claims/cw-a/claim"),
    "safety group": ("sn", ("groups", "sn-g2"), "VI Known donor", "body/sn/groups/sn-g1/heading"),
    "safety point": (
        "sn",
        ("groups", "sn-g1", "points", "sn-p2"),
        "VI Single use",
        "body/sn/groups/sn-g1/points/sn-p1",
    ),
    "comparison dimension": ("cmp", ("rows", "r2"), "VI Lower", "body/cmp/rows/r1/dimension"),
}


@pytest.mark.parametrize("case", CASES)
def test_an_item_removed_in_english_stays_in_vietnamese_until_confirmed(
    admin_client, translated, case
):
    block_id, path, vi_text, sibling = CASES[case]
    edit_english(translated, drop(block_id, *path))
    address = "/".join(("body", block_id, *path))

    response = admin_client.get(url(translated))
    assert removed_list(response) == [address]
    assert vi_text in html(response)
    assert f'name="remove:{address}"' in html(response)

    # Saving without ticking it: the rest of the block is updated, the item stays.
    form = posted_form(response) | {f"t:{sibling}": "Bản dịch mới"}
    assert admin_client.post(url(translated), form).status_code == 302
    assert vi_text in vi_block(translated, block_id)
    assert "Bản dịch mới" in vi_block(translated, block_id)
    assert removed_list(admin_client.get(url(translated))) == [address]

    # Ticked: it leaves Vietnamese; the previous revision keeps its text.
    previous = Page.objects.get(pk=translated.pk).latest_revision
    response = admin_client.post(
        url(translated),
        posted_form(admin_client.get(url(translated))) | {f"remove:{address}": "on"},
    )
    assert any("removed from English was removed" in m for m in messages_of(response))
    assert vi_text not in vi_block(translated, block_id)
    assert "Bản dịch mới" in vi_block(translated, block_id)
    assert vi_text in json.dumps(previous.content, ensure_ascii=False)
    assert removed_list(admin_client.get(url(translated))) == []


def test_a_comparison_value_removed_with_its_therapy_keeps_the_previous_table_until_confirmed(
    admin_client, translated, therapy_index
):
    """Keeping a Vietnamese cell for a column English removed would break the table (one value
    per therapy): the Vietnamese comparison stays as it was until the editor decides."""
    third = factories.make_therapy(therapy_index, "Laser", "laser", "Laser", "laser")

    def three_columns(english):
        value = next(b for b in english if b["id"] == "cmp")["value"]
        value["therapies"].append(third.pk)
        for row, (cell, cell_id) in zip(
            value["rows"], (("Light", "v5"), ("Medium", "v6")), strict=True
        ):
            row["value"]["values"].append(item(cell, cell_id))

    edit_english(translated, three_columns)
    form = posted_form(admin_client.get(url(translated)))
    form |= {
        "t:body/cmp/rows/r1/values/v5": "VI Light",
        "t:body/cmp/rows/r2/values/v6": "VI Medium",
    }
    admin_client.post(url(translated), form)
    assert "VI Light" in vi_block(translated, "cmp")

    def drop_laser(english):
        value = next(b for b in english if b["id"] == "cmp")["value"]
        value["therapies"] = value["therapies"][:2]
        for row in value["rows"]:
            row["value"]["values"] = row["value"]["values"][:2]

    edit_english(translated, drop_laser)
    response = admin_client.get(url(translated))
    removed = ["body/cmp/rows/r1/values/v5", "body/cmp/rows/r2/values/v6"]
    assert removed_list(response) == removed
    form = posted_form(response) | {"t:body/cmp/rows/r1/dimension": "Nguồn gốc"}
    admin_client.post(url(translated), form)
    kept = vi_block(translated, "cmp")
    assert "VI Light" in kept and "Nguồn gốc" not in kept  # the whole table as it was

    form = posted_form(admin_client.get(url(translated))) | {f"remove:{a}": "on" for a in removed}
    admin_client.post(url(translated), form)
    rebuilt = vi_block(translated, "cmp")
    assert "VI Light" not in rebuilt and "Nguồn gốc" in rebuilt


def test_an_item_written_only_in_vietnamese_is_shown_and_never_removed(admin_client, translated):
    page = latest(translated)
    vi = page.body_vi.get_prep_value()
    vi[0]["value"]["points"].append(item("Chỉ có ở bản tiếng Việt", "vi-only"))
    page.body_vi = vi
    with translation.override("en"):
        page.save_revision()

    response = admin_client.get(url(translated))
    assert 'data-target-only-block="body/kp/points/vi-only"' in html(response)
    assert removed_list(response) == []
    form = posted_form(response) | {
        "t:body/kp/points/kp-a": "Điểm A mới",
        "remove:body/kp/points/vi-only": "on",  # forged: ignored
    }
    assert admin_client.post(url(translated), form).status_code == 302
    points = vi_block(translated, "kp")
    assert "Điểm A mới" in points and "Chỉ có ở bản tiếng Việt" in points
    assert re.search(r"Điểm A mới.*VI Point B.*Chỉ có ở bản tiếng Việt", points)
