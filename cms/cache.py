"""One content version for everything that caches published content.

Any publish, unpublish, move or delete of a page — and any change to a doctor or
the clinic settings, which pages show — bumps the version. Cached public pages
and API responses are keyed by it, so the next request after a change gets the
new content in every language, without tracking which page shows what.
"""

import time

from django.core.cache import cache

VERSION_KEY = "cms:content-version"


def content_version():
    """The current content version (created on first use)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        # add(): a concurrent first request may have set it already.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**_kwargs):
    """Invalidate every cached page and API response (signal receiver)."""
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def connect_signals():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from home.models import ClinicSettings
    from therapies.models import Doctor

    page_published.connect(bump_content_version, dispatch_uid="cms-cache-published")
    page_unpublished.connect(bump_content_version, dispatch_uid="cms-cache-unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="cms-cache-moved")
    page_slug_changed.connect(bump_content_version, dispatch_uid="cms-cache-slug")
    post_delete.connect(bump_content_version, sender=Page, dispatch_uid="cms-cache-deleted")
    # A page made private must leave the cache at once, though it was not republished.
    for model in (ClinicSettings, Doctor, PageViewRestriction):
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"cms-cache-{model.__name__}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"cms-cache-del-{model.__name__}")
