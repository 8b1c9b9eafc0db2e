"""What readers see of content that points at something gone or hidden: decided here, once.

A StreamField body points at pages (comparison columns, rich-text links), doctors and
images. When the thing pointed at is deleted, unpublished, private, expired or not yet
live, readers (the site and the API alike) see:

- a hidden or deleted **therapy** in a comparison: its column and that column's cells
  are left out (a comparison with no column left is left out);
- a **link** in rich text to a hidden or deleted page: its text, unlinked (``<a>``
  without ``href``, see ``cms.api.rich_text``);
- a **quote** whose doctor is deleted: left out (an unattributed medical quote misleads);
- an **image** that is deleted or in a private collection: left out;
- a hidden or deleted **related article**: left out (``ArticlePage.related_articles``).

Blocks say what they point at and what remains of them; this module asks the
visibility rule (``cms.visibility``) once per body, whatever the number of blocks.
A block takes part by defining ``referenced_page_ids(value)`` (ids of pages it
shows) and/or ``for_readers(value, visible_ids)`` (the value readers see, or None
to leave the block out).
"""

from wagtail.blocks import StreamValue

from cms.visibility import visible_ids


def for_readers(body, site=None):
    """``body`` (a StreamValue) as readers see it: a new StreamValue, nothing saved."""
    if body is None:
        return body
    children = list(body)
    wanted = set()
    for child in children:
        referenced = getattr(child.block, "referenced_page_ids", None)
        if referenced is not None:
            wanted.update(pk for pk in referenced(child.value) if pk is not None)
    visible = visible_ids(wanted, site=site) if wanted else set()
    kept = []
    for child in children:
        reduce = getattr(child.block, "for_readers", None)
        value = reduce(child.value, visible) if reduce is not None else child.value
        if value is not None:
            kept.append((child.block_type, value, child.id))
    return StreamValue(body.stream_block, kept, is_lazy=False)
