"""What readers may see: the publication window, checked at request time.

Wagtail only unpublishes an expired page when ``manage.py publish_scheduled``
runs, so until then the page is still ``live``. The site, its listings, the
sitemap and the API check the window themselves instead of trusting a cron job.
"""

from django.db.models import Q
from django.utils import timezone


def in_publication_window(queryset, now=None):
    """``queryset`` without pages before their go-live or after their expiry.

    ``now`` defaults to this moment; ``Now()`` (the database's clock, read when the
    query runs) makes a queryset that stays right however long it is kept.
    """
    now = timezone.now() if now is None else now
    return queryset.filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)).filter(
        Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    )


def is_expired(page, now=None):
    return page.expire_at is not None and page.expire_at <= (now or timezone.now())


def seconds_until_expiry(page, now=None):
    """Seconds this page may still be shown (None when it never expires)."""
    if page.expire_at is None:
        return None
    return max(0, int((page.expire_at - (now or timezone.now())).total_seconds()))
