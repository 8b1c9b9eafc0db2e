"""Publishing refreshes a page's search text; unpublishing removes it (deletion cascades)."""

import logging

from wagtail.signals import page_published, page_unpublished

from .indexing import index_page, unindex_page

logger = logging.getLogger(__name__)


def _on_published(sender, instance, **kwargs):
    try:
        index_page(instance)
    except Exception:  # search must never break the editor's publish
        logger.exception("Could not index page %s for search", instance.pk)


def _on_unpublished(sender, instance, **kwargs):
    unindex_page(instance)


page_published.connect(_on_published, dispatch_uid="contentsearch_published")
page_unpublished.connect(_on_unpublished, dispatch_uid="contentsearch_unpublished")
