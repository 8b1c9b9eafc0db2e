"""Form data the Wagtail page editor posts, built the way its JavaScript builds it."""

from wagtail import blocks
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def list_block(values):
    """A ListBlock's form data: one entry per item, in order."""
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i), "id": ""}
        for i, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def comparison(therapies, rows, title="", takeaway=""):
    return (
        "comparison",
        {
            "title": title,
            "therapies": list_block([str(t.pk) for t in therapies]),
            "rows": list_block([{"dimension": d, "values": list_block(list(v))} for d, v in rows]),
            "takeaway": takeaway,
        },
    )


def article_form(
    title_en, slug_en, title_vi, slug_vi, body_en=(), body_vi=(), action="action-publish", **extra
):
    data = {
        "title_en": title_en,
        "slug_en": slug_en,
        "title_vi": title_vi,
        "slug_vi": slug_vi,
        "lead_en": extra.pop("lead_en", "An evidence-minded introduction."),
        "lead_vi": extra.pop("lead_vi", "Bài giới thiệu dựa trên bằng chứng."),
        "body_en": streamfield(list(body_en)),
        "body_vi": streamfield(list(body_vi)),
        "related_links": inline_formset([]),
        "seo_title_en": "",
        "seo_title_vi": "",
        "search_description_en": "",
        "search_description_vi": "",
        "reviewed_by": "",
        "last_reviewed": "",
    }
    data.update(extra)
    form = nested_form_data(data)
    if action:
        form[action] = "1"
    return form


def block_form_value(block, value):
    """Turn a block's Python value back into what the editor's form posts for it."""
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_form_value(child, value.get(name))
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return list_block([block_form_value(block.child_block, item) for item in value])
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source if value else "")
    if isinstance(block, blocks.ChooserBlock):
        return str(value.pk) if value is not None else ""
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else ""
    return "" if value is None else str(value)


def stream_form_data(stream_value):
    """Form data for a whole StreamField value, as the page editor posts it unchanged."""
    return streamfield(
        [(child.block_type, block_form_value(child.block, child.value)) for child in stream_value]
    )


def paragraph(html):
    return ("paragraph", rich_text(html))


__all__ = [
    "stream_form_data",
    "article_form",
    "comparison",
    "inline_formset",
    "list_block",
    "nested_form_data",
    "paragraph",
    "rich_text",
    "streamfield",
]
