"""Live statuses recorded before segment counts existed: counted after ``migrate``.

``translations[lang].segments`` is counted when a page is published and stored on its live
status rows. Pages published before that were reported as ``segments: null`` until someone
published them again. Counting needs today's models and the apps that know segments (the
translate workspace), which a data migration does not have, so this runs on ``post_migrate``:
every live page with a live status row that has no counts gets its live status recorded again
(the same code a publish runs, with the page's live revision) and its documents are rebuilt
(the API shows the counts). On an up-to-date database it
costs one query.
"""

from django.db import DEFAULT_DB_ALIAS


def count_missing_segments(sender=None, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    from wagtail.models import Page

    from cms.translations import LIVE

    from .models import PageLanguageStatus
    from .status import content_changed, record_live_status

    if using != DEFAULT_DB_ALIAS:
        return
    without = PageLanguageStatus.objects.filter(scope=LIVE, segments={}).values("page_id")
    pages = Page.objects.filter(live=True, pk__in=without).specific()
    counted = 0
    for page in pages.iterator(chunk_size=100):
        record_live_status(page, revision=page.live_revision)
        content_changed(page)
        counted += 1
    if counted and verbosity:
        print(f"  Counted translation segments of {counted} published pages.")
