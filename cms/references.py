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

A page shown is also shown **as readers see it** (``cms.visibility.reader_pages``): a
therapy whose newer Vietnamese title is pending shows, in another page's comparison, the
Vietnamese title released before (or English, reported, when none was), never the pending
text its page row holds.

Blocks say what they point at and what remains of them; this module asks the
visibility rule (``cms.visibility``) once per body, whatever the number of blocks.
A block takes part by defining ``referenced_pages(value)`` (the page objects it shows)
and/or ``for_readers(value, readers)`` (the value readers see, or None to leave the block
out). ``readers`` maps the id of each page readers may see to that page as they see it:
``pk in readers`` says visible, ``readers[pk]`` is the page to show.
"""

from wagtail.blocks import StreamValue

from cms.visibility import reader_pages, visible_ids


def for_readers(body, site=None):
    """``body`` (a StreamValue) as readers see it: a new StreamValue, nothing saved."""
    if body is None:
        return body
    children = list(body)
    pages = {}
    for child in children:
        referenced = getattr(child.block, "referenced_pages", None)
        if referenced is not None:
            pages.update((page.pk, page) for page in referenced(child.value) if page is not None)
    readers = _as_readers_see(pages, site) if pages else {}
    kept = []
    for child in children:
        reduce = getattr(child.block, "for_readers", None)
        value = reduce(child.value, readers) if reduce is not None else child.value
        if value is not None:
            kept.append((child.block_type, value, child.id))
    return StreamValue(body.stream_block, kept, is_lazy=False)


def _as_readers_see(pages, site):
    """``{id: page as readers see it}`` for those of ``pages`` readers may see."""
    visible = visible_ids(set(pages), site=site)
    shown = [page for pk, page in pages.items() if pk in visible]
    return {
        page.pk: reader
        for page, reader in zip(shown, reader_pages(shown), strict=True)
        if reader is not None
    }
