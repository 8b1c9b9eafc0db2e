"""What the public API may show: live, public, in their publication window, on this site."""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from . import registry


def visible_pages(site=None):
    """Live pages without view restrictions, between go-live and expiry, of published types.

    Drafts, unpublished and view-restricted pages (and their descendants) are
    excluded here once, so the list, detail, find and search cannot disagree.
    """
    now = timezone.now()
    qs = (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .type(*registry.models())
    )
    if site is not None:
        qs = qs.descendant_of(site.root_page, inclusive=True)
    return qs
