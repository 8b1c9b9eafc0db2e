"""One content version for everything that caches published content.

Any publish, unpublish, move or delete of a page — and any change to a doctor,
the clinic settings, an image or a collection's privacy, which pages show — bumps
the version. Cached public pages and API responses are keyed by it, so the next
request after a change gets the new content in every language, without tracking
which page shows what.

A cache outage never breaks a request or a publish: ``content_version()``
returns ``None`` when the cache cannot be reached (callers then skip caching),
and a failed bump is logged. django-redis with ``IGNORE_EXCEPTIONS`` hides
connection errors (``get`` answers ``None``, ``add`` answers ``None`` instead
of a boolean); anything else a backend raises is caught and logged here.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "cms:content-version"

logger = logging.getLogger(__name__)


def content_version():
    """The current content version (created on first use); ``None`` if the cache is unreachable."""
    try:
        version = cache.get(VERSION_KEY)
        if version is not None:
            return version
        version = time.time_ns()
        # add(): a concurrent first request may have set it already.
        added = cache.add(VERSION_KEY, version, timeout=None)
        if added is None:  # django-redis swallowed a connection error
            return None
        if not added:
            version = cache.get(VERSION_KEY)
        return version
    except Exception:
        logger.exception("Content cache unavailable: serving without the cache.")
        return None


def _set_new_version():
    try:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.exception("Content cache unavailable: could not bump the content version.")


def bump_content_version(**_kwargs):
    """Invalidate every cached page and API response (signal receiver); never fails a publish.

    Bumped at once and again when the transaction commits: a request that read the
    new version while the change was not yet committed may have stored what it saw
    under that version, and the second bump retires it.
    """
    _set_new_version()
    transaction.on_commit(_set_new_version)


def connect_signals():
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.models import (
        Collection,
        CollectionViewRestriction,
        Page,
        PageViewRestriction,
        Site,
    )
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from home.models import ClinicSettings
    from therapies.models import Doctor

    page_published.connect(bump_content_version, dispatch_uid="cms-cache-published")
    page_unpublished.connect(bump_content_version, dispatch_uid="cms-cache-unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="cms-cache-moved")
    page_slug_changed.connect(bump_content_version, dispatch_uid="cms-cache-slug")
    post_delete.connect(bump_content_version, sender=Page, dispatch_uid="cms-cache-deleted")
    # A page made private must leave the cache at once, though it was not republished; a site's
    # hostname or root changes which site answers a host (cms.reference keeps that per version);
    # an image moved into a private collection, or a collection made private, leaves every page.
    bump = bump_content_version
    image = get_image_model()
    post_save.connect(_bump_for_image, sender=image, dispatch_uid="cms-cache-image")
    post_delete.connect(bump, sender=image, dispatch_uid="cms-cache-del-image")
    # Doctors' portraits are kept with their renditions (cms.reference): a rendition deleted
    # (its image's file replaced, a purge) must not stay in a page or in memory.
    rendition = image.get_rendition_model()
    post_delete.connect(bump, sender=rendition, dispatch_uid="cms-cache-del-rendition")
    shown = (ClinicSettings, Doctor, PageViewRestriction, Site, Collection)
    shown += (CollectionViewRestriction,)
    for model in shown:
        post_save.connect(bump, sender=model, dispatch_uid=f"cms-cache-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"cms-cache-del-{model.__name__}")


def _bump_for_image(sender, update_fields=None, **kwargs):
    """An image's collection decides whether pages show it; Wagtail's bookkeeping saves do not.

    Wagtail records an image's file size and hash with ``save(update_fields=[…])`` the
    first time it reads them, which may be while a reader's request is built.
    """
    if update_fields is None or "collection" in update_fields:
        bump_content_version()
