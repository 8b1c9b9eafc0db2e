"""Cached responses tagged with what they show, and purged by tag.

Every cached public page and API response carries tags (its ``Surrogate-Key`` header, see
``tags_header``): ``page-<id>`` for each page whose document it contains, ``list-…`` for
what a list of pages depends on (``list_tags``), ``pages`` for what shows pages without
naming them (the sitemap, other endpoints), ``menu`` for what shows the navigation, and
``site`` for everything (settings, a Site). A change purges only its tags, after the
documents it rebuilt commit (``readmodel.outbox``): publishing one article leaves every
other page's cached response a hit, and every list that neither shows it nor can gain,
lose or reorder it because of the change.

**Versioned tags.** Django's cache API has no sets, so tags are purged by version, which
works alike on LocMem (tests, one process) and Redis (production, shared):

- a purge counter (``COUNTER_KEY``) is incremented atomically (``incr``) by each purge,
  and each purged tag's key is set to the new value;
- a request reads the counter together with its cache entry (one round trip, ``lookup``)
  *before* it reads any document, and stores its response with that value ``since``;
- a stored entry is valid while each of its tags' values is present and ``<= since``
  (one more round trip on a hit). A purge after the request started makes the entry
  invalid even when the response was stored after the purge: a response built from a
  document read before a commit never outlives its purge. An evicted tag counts as purged.

A cache outage never breaks a request or a publish: reads answer ``None`` (callers then
skip caching) and a failed purge is logged (entries expire with their timeout).
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction

COUNTER_KEY = "cms:purge-counter"
CHANGED_AT_KEY = "cms:content-changed-at"
TAG_PREFIX = "cms:tag:"
# Tags of what shows pages without naming them, shows the navigation, and shows the site's
# settings.
PAGES = "pages"
MENU = "menu"
SITE = "site"

logger = logging.getLogger(__name__)


def page_tag(page_id):
    return f"page-{page_id}"


# The orders of a list of pages that a change can alter (a page's id never changes).
LIST_ORDER_KEYS = ("path", "title", "first_published_at", "last_published_at")
# What a list with ``search`` depends on besides its members: their search text.
LIST_SEARCH = "search"


def list_scope(page_type=None, child_of=None):
    """The pages a list draws from: a page's children, a type's pages, or every page."""
    if child_of is not None:
        return f"child-{child_of}"
    if page_type:
        return f"type-{page_type}"
    return "all"


def list_tag(lang, scope, key=None):
    """``list-<lang>-<scope>``: the scope's members (who is in it, visible, in its window);
    ``list-<lang>-<scope>-<key>``: their order by ``key`` or their search text."""
    return f"list-{lang}-{scope}" if key is None else f"list-{lang}-{scope}-{key}"


def list_tags(lang, *, page_type=None, child_of=None, order="path", search=False):
    """What a list in ``lang`` depends on, besides the pages it shows (``page_tag``).

    Its scope's members (a list of children also answers 404 when the parent is hidden:
    the parent is a member of its own children's scope), the order it sorts by, and with a
    search the scope's search text. A list of a type's children is tagged by the parent
    alone: every change that can alter it is a change of one of the parent's children.
    """
    scope = list_scope(page_type, child_of)
    tags = [list_tag(lang, scope)]
    key = order.lstrip("-")
    if key in LIST_ORDER_KEYS:
        tags.append(list_tag(lang, scope, key))
    if search:
        tags.append(list_tag(lang, scope, LIST_SEARCH))
    return tags


def tags_header(tags, separator=" "):
    """``Surrogate-Key`` (spaces: Fastly, Varnish) or ``Cache-Tag`` (commas: Cloudflare)."""
    return separator.join(sorted(set(tags)))


def set_tags(response, tags):
    """Tag ``response`` with ``tags`` (kept with what ``tags_of`` finds already there)."""
    tags = set(tags) | set(tags_of(response))
    response["Surrogate-Key"] = tags_header(tags)
    response["Cache-Tag"] = tags_header(tags, ",")
    return response


def tags_of(response):
    return response.get("Surrogate-Key", "").split()


def set_valid_until(response, moment, *, complete=False):
    """``response`` stops being right at ``moment`` with time alone (a medical review falls
    due): kept with the earliest such moment; the content cache and ``Cache-Control`` end
    by then (``cms.middleware``).

    ``complete``: ``moment`` (None: never) is the whole of it, because the response is one
    stored document whose end already counts every page it shows going live or expiring,
    and its own expiry (``readmodel``). The site-wide next go-live or expiry
    (``cms.visibility.next_change``) then does not bound it: a page going live elsewhere
    leaves it cached, and no purge counter is read to find that moment.
    """
    if moment is not None:
        known = valid_until_of(response)
        response.content_valid_until = moment if known is None else min(known, moment)
    if complete:
        response.content_bound_complete = True
    return response


def bound_is_complete(response):
    """True when ``set_valid_until(..., complete=True)`` gave ``response`` its whole end."""
    return getattr(response, "content_bound_complete", False)


def valid_until_of(response):
    """The moment ``set_valid_until`` gave ``response`` (None: none)."""
    return getattr(response, "content_valid_until", None)


def counter_start():
    """Where a new purge counter starts: the wall clock in microseconds, so a counter evicted
    and created again never goes backwards (one purge per microsecond would be needed to
    overtake it).

    Not nanoseconds: those exceed 2**53, and django-redis increments through a Lua script,
    whose numbers are doubles. The value ``incr`` returned (and wrote under each purged
    tag) was then rounded below the counter readers saw, and a response cached after a
    purge stayed a hit for good.
    """
    return time.time_ns() // 1000


def counter():
    """The purge counter (created on first use); ``None`` if the cache is unreachable."""
    try:
        value = cache.get(COUNTER_KEY)
        if value is None:
            # A wall-clock start: a counter evicted and created again never goes backwards.
            if cache.add(COUNTER_KEY, counter_start(), timeout=None) is None:
                return None  # django-redis swallowed a connection error
            value = cache.get(COUNTER_KEY)
        return value
    except Exception:
        logger.exception("Content cache unavailable: serving without the cache.")
        return None


def still_valid(tags, since):
    """True while no tag of ``tags`` was purged after ``since`` (an evicted tag: purged)."""
    if not tags:
        return True
    keys = [TAG_PREFIX + tag for tag in tags]
    try:
        found = cache.get_many(keys)
    except Exception:
        logger.exception("Content cache unavailable: could not read tags.")
        return False
    return all(key in found and found[key] <= since for key in keys)


def remember_tags(tags, since):
    """Create the keys of ``tags`` that do not exist yet (with ``since``: not purged since)."""
    for tag in tags:
        try:
            cache.add(TAG_PREFIX + tag, since, timeout=None)
        except Exception:
            logger.exception("Content cache unavailable: could not store tag %s.", tag)
            return


def purge(tags):
    """Make every cached response tagged with one of ``tags`` a miss; never fails a publish."""
    tags = set(tags)
    if not tags:
        return
    try:
        try:
            value = cache.incr(COUNTER_KEY)
        except ValueError:  # no counter yet (or evicted)
            cache.add(COUNTER_KEY, counter_start(), timeout=None)
            value = cache.incr(COUNTER_KEY)
        cache.set_many({TAG_PREFIX + tag: value for tag in tags}, timeout=None)
        cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    except Exception:
        logger.exception("Content cache unavailable: could not purge %s.", sorted(tags))


def purge_on_commit(tags):
    """``purge(tags)`` now and again once the current transaction commits.

    A request that read the purge counter after the first purge but a document before the
    commit may store what it read; the second purge retires it.
    """
    tags = set(tags)
    purge(tags)
    transaction.on_commit(lambda: purge(tags), robust=True)


def changed_at():
    """When cached content was last purged (a Unix time), or None (no purge, no cache)."""
    try:
        return cache.get(CHANGED_AT_KEY)
    except Exception:
        logger.exception("Content cache unavailable: could not read the last change.")
        return None
