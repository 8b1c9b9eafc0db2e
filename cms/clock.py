"""The one clock every content rule reads: publication windows, cache lifetimes, due reviews.

Rules call ``clock.now()`` (never ``timezone.now()`` or the database's ``Now()``), so
a page's visibility, its cache lifetime and its ``Cache-Control`` agree on what time
it is, and tests move time with ``clock.frozen_at`` instead of sleeping.
"""

import contextlib
import threading

from django.utils import timezone

_frozen = threading.local()
_global = {"at": None}


def now():
    """This moment (or the time a test has set with ``frozen_at``)."""
    at = getattr(_frozen, "at", None) or _global["at"]
    return at if at is not None else timezone.now()


def today():
    """This moment's date in the site's time zone (``TIME_ZONE``): what "due", "current" and
    "due soon" compare with."""
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen_at(moment, *, all_threads=False):
    """Make ``now()`` answer ``moment`` (a timezone-aware datetime) inside the block.

    ``all_threads`` also covers other threads (a live test server), which tests need
    when the code under test runs in a thread of its own.
    """
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    holder = _global if all_threads else _frozen.__dict__
    previous = holder.get("at")
    holder["at"] = moment
    try:
        yield moment
    finally:
        holder["at"] = previous
