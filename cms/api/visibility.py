"""What the public API may show: the readers' rule (``cms.visibility``) for published page types."""

from cms.visibility import visible_pages as reader_visible_pages

from . import registry


def visible_pages(site=None):
    """Pages readers may see on ``site``, of the types the API publishes (``cms.api.registry``)."""
    return reader_visible_pages(site=site).type(*registry.models())


def visible_pages_of(model, site):
    """``visible_pages`` of one published page type, as that type (its own columns loaded)."""
    return reader_visible_pages(model, site)
