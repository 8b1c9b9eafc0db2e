"""Form data the Wagtail page editor posts, built the way its JavaScript builds it."""

from wagtail import blocks
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def list_block(values, ids=None):
    """A ListBlock's form data: one entry per item, in order (``ids``: the items' ids)."""
    ids = ids or [""] * len(values)
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i), "id": ids[i]}
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


def block_form_value(block, value, ids=False):
    """Turn a block's Python value back into what the editor's form posts for it.

    ``ids``: post the ids of blocks and list items too, as the editor's browser does.
    """
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_form_value(child, value.get(name), ids)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return list_block(
            [block_form_value(block.child_block, item, ids) for item in value],
            [bound.id for bound in value.bound_blocks] if ids else None,
        )
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source if value else "")
    if isinstance(block, blocks.ChooserBlock):
        return str(value.pk) if value is not None else ""
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else ""
    return "" if value is None else str(value)


def stream_form_data(stream_value, ids=False):
    """Form data for a whole StreamField value, as the page editor posts it unchanged."""
    data = streamfield(
        [
            (child.block_type, block_form_value(child.block, child.value, ids))
            for child in stream_value
        ]
    )
    if ids:
        for position, child in enumerate(stream_value):
            data[str(position)]["id"] = child.id
    return data


def article_edit_data(revision):
    """What the edit screen shows for an article loaded from ``revision``, as nested form data.

    Tests change values in it, then post ``edit_post(data, revision)``: the form an
    editor who opened the page at that revision sends.
    """
    return article_page_data(revision.as_object())


def article_page_data(page):
    """What the edit screen shows for the article ``page`` (a page never saved as a revision)."""
    return {
        "title_en": page.title_en,
        "slug_en": page.slug_en,
        "title_vi": page.title_vi,
        "slug_vi": page.slug_vi,
        "lead_en": page.lead_en,
        "lead_vi": page.lead_vi,
        "body_en": stream_form_data(page.body_en, ids=True),
        "body_vi": stream_form_data(page.body_vi, ids=True),
        "related_links": inline_formset([]),
        "seo_title_en": page.seo_title_en or "",
        "seo_title_vi": page.seo_title_vi or "",
        "search_description_en": page.search_description_en or "",
        "search_description_vi": page.search_description_vi or "",
        "reviewed_by": str(page.reviewed_by_id or ""),
        "last_reviewed": str(page.last_reviewed or ""),
    }


def edit_post(data, revision, action=None):
    """Flat POST data of ``data`` from a form loaded at ``revision`` (Wagtail's hidden fields)."""
    form = nested_form_data(data)
    form["loaded_revision_id"] = str(revision.pk)
    form["loaded_revision_created_at"] = revision.created_at.isoformat()
    if action:
        form[action] = "1"
    return form


def paragraph(html):
    return ("paragraph", rich_text(html))


__all__ = [
    "article_edit_data",
    "article_page_data",
    "edit_post",
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
