"""Cached responses tagged with what they show, and purged by tag.

Every cached public page and API response carries tags (its ``Surrogate-Key`` header, see
``tags_header``): ``page-<id>`` for each page whose document it contains (a public page:
itself and each page it shows, ``recording_shown``), ``list-…`` for what a list of pages
depends on (``list_tags``), ``pages`` for what shows pages without naming them (the
sitemap, other endpoints), ``menu`` for what shows the navigation, and
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
- a stored entry is valid while each of its tags' values is present and ``<= since``.
  A purge after the request started makes the entry invalid even when the response was
  stored after the purge: a response built from a document read before a commit never
  outlives its purge. An evicted tag counts as purged.

**One round trip per hit on Redis** (``read``, ``store``). Checking an entry's tags needs
the entry first; on Redis a server-side script (``LOOKUP_SCRIPT``) reads the counter, the
entry and its tags' values in one call. The entry is then stored through django-redis's
raw client (``django_redis.get_redis_connection``, public) as a plain first line, ``since``
and the tags, which the script reads, followed by the pickled entry. Tags and the counter
stay Django cache values (django-redis stores integers as plain numbers, which the script
compares). Other caches (LocMem in tests and development, in process) read the entry and
its tags with two ``get_many``.

A cache outage never breaks a request or a publish: reads answer ``None`` (callers then
skip caching) and a failed purge is logged (entries expire with their timeout).
"""

import contextlib
import contextvars
import hashlib
import logging
import pickle
import time
import weakref

from django.core.cache import cache, caches
from django.db import transaction
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.exceptions import NoScriptError

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


# The pages a response being made shows as readers get them (``recording_shown``).
_shown = contextvars.ContextVar("cms_cache_shown", default=None)
# A response showing more pages than this (a section of every article) is tagged ``pages``,
# which any document change purges, instead of one tag per page: CDNs bound the header
# (Fastly: 16 KB), and each tag is a key to check at every hit.
MAX_PAGE_TAGS = 64


@contextlib.contextmanager
def recording_shown():
    """Collect, while a response is made, the ids of the pages composed for its readers.

    ``cms.visibility.reader_pages`` (every listing, related article, comparison column and
    link of the site goes through it) records what it composes; ``shown_tags`` turns the
    ids into the response's tags, so a change of any page it shows (a summary, a lead, a
    language withdrawn) purges it.
    """
    shown = set()
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)


def record_shown(page_ids):
    """Add ``page_ids`` to the response being recorded (``recording_shown``), if any."""
    shown = _shown.get()
    if shown is not None:
        shown.update(page_ids)


def shown_tags(page_ids):
    """The tags of a response showing ``page_ids``: each page's, or ``pages`` past
    ``MAX_PAGE_TAGS``."""
    ids = set(page_ids)
    if len(ids) > MAX_PAGE_TAGS:
        return [PAGES]
    return [page_tag(pk) for pk in sorted(ids)]


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


# KEYS: the counter, the entry. ARGV: the prefix of tag keys. Returns {counter, entry or
# false}; the entry only when every tag it names is present and not purged after its since.
LOOKUP_SCRIPT = """
local counter = redis.call('GET', KEYS[1])
local entry = redis.call('GET', KEYS[2])
if not entry then return {counter, false} end
local line = string.find(entry, '\\n', 1, true)
if not line then return {counter, false} end
local since = nil
for word in string.gmatch(string.sub(entry, 1, line - 1), '%S+') do
  if since == nil then
    since = tonumber(word)
  else
    local stamped = redis.call('GET', ARGV[1] .. word)
    if not stamped or tonumber(stamped) > since then return {counter, false} end
  end
end
return {counter, entry}
"""
LOOKUP_SHA = hashlib.sha1(LOOKUP_SCRIPT.encode()).hexdigest()


_redis_of = weakref.WeakKeyDictionary()  # cache backend -> (itself, client, tag prefix) or None


def _redis():
    """``(backend, client, tag_prefix)`` when the default cache is django-redis, else ``None``.

    Only with keys made as one prefix and the key (Django's default key function), which
    is what lets the script name a tag's key. Worked out once per cache backend object
    (Django makes one per thread).
    """
    backend = caches["default"]
    try:
        return _redis_of[backend]
    except KeyError:
        pass
    found = None
    if isinstance(backend, RedisCache):
        prefix = str(backend.make_key(TAG_PREFIX))
        if str(backend.make_key(TAG_PREFIX + "x")) == prefix + "x":
            found = (backend, get_redis_connection("default"), prefix)
    _redis_of[backend] = found
    return found


def read(key):
    """``(since, entry)``: the purge counter and the stored entry under ``key``, the entry
    only while none of its tags was purged after it was made (else ``None``).

    ``since`` is ``None`` when the cache cannot be reached. One round trip on Redis.
    """
    redis = _redis()
    if redis is None:
        try:
            found = cache.get_many([COUNTER_KEY, key])
        except Exception:
            logger.exception("Content cache unavailable: could not read %s.", key)
            return None, None
        since, entry = found.get(COUNTER_KEY), found.get(key)
        if entry is not None and not still_valid(entry[5], entry[0]):
            entry = None
    else:
        backend, client, tag_prefix = redis
        keys = [str(backend.make_key(COUNTER_KEY)), str(backend.make_key(key))]
        try:
            try:
                since, blob = client.evalsha(LOOKUP_SHA, 2, *keys, tag_prefix)
            except NoScriptError:
                since, blob = client.eval(LOOKUP_SCRIPT, 2, *keys, tag_prefix)
        except Exception:
            logger.exception("Content cache unavailable: could not read %s.", key)
            return None, None
        since = None if since is None else int(since)
        entry = None if not blob else pickle.loads(blob.split(b"\n", 1)[1])
    if since is None:
        since = counter()  # first use, or the cache is down (None)
    return since, entry


def store(key, entry, timeout):
    """Store ``entry`` (``(since, status, headers, content, valid_until, tags)``) for
    ``timeout`` seconds, with its tags remembered; a cache outage is logged."""
    since, tags = entry[0], entry[5]
    redis = _redis()
    if redis is None:
        remember_tags(tags, since)
        try:
            cache.set(key, entry, timeout)
        except Exception:
            logger.exception("Content cache unavailable: could not store %s.", key)
        return
    backend, client, tag_prefix = redis
    line = " ".join([str(since), *tags]).encode()
    try:
        with client.pipeline(transaction=False) as pipe:
            for tag in tags:  # as cache.add(tag, since): a plain number, kept for good
                pipe.set(tag_prefix + tag, since, nx=True)
            pipe.set(str(backend.make_key(key)), line + b"\n" + pickle.dumps(entry), ex=timeout)
            pipe.execute()
    except Exception:
        logger.exception("Content cache unavailable: could not store %s.", key)


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
