"""The sitemap lists exactly the pages readers may see (``cms.visibility``)."""

from wagtail.contrib.sitemaps import Sitemap

from cms.visibility import visible_pages


class ReaderSitemap(Sitemap):
    """Wagtail's sitemap, with the readers' visibility rule instead of ``live().public()``."""

    def items(self):
        return (
            visible_pages(site=self.get_wagtail_site())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
