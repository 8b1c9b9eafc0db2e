"""The sitemap lists the pages readers may see (``cms.visibility``), as they see them."""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from cms.visibility import ReaderPageQuerySet, reader_pages

BATCH = 500


class ReaderContentQuerySet(ReaderPageQuerySet):
    """Pages that iterate as readers get them (``reader_pages``, a batch at a time).

    Wagtail's sitemap walks each of its pages with ``iterator()``.
    """

    def iterator(self, chunk_size=None):
        batch = []
        for item in super().iterator(chunk_size=chunk_size or BATCH):
            if not isinstance(item, Page):  # rows of ``values()`` (Wagtail's ``specific()``)
                yield item
                continue
            batch.append(item)
            if len(batch) == BATCH:
                yield from (page for page in reader_pages(batch) if page is not None)
                batch = []
        yield from (page for page in reader_pages(batch) if page is not None)


class ReaderSitemap(Sitemap):
    """Wagtail's sitemap, with the readers' visibility rule instead of ``live().public()``.

    Each page as readers get it (``reader_pages``): a language that never went live, or was
    withdrawn, has no entry and no ``hreflang`` alternate (its readers get the default one).
    """

    def items(self):
        return (
            ReaderContentQuerySet(Page)
            .visible(site=self.get_wagtail_site())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
