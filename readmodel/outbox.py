"""The outbox: changes recorded in their own transaction, drained into documents by one writer.

A change (a publish, a doctor's edit, a new view restriction…) writes ``DocumentChange``
rows in the transaction that makes it, so a crash between the change and the rebuild loses
nothing: the rows are still there for the next drain. Once the transaction commits, a
background task drains them (``readmodel.tasks``); ``manage.py drain_documents`` does the
same from a periodic job, and also rebuilds documents past their ``valid_until``.

Draining rebuilds each named page; when its documents come out different, every page that
shows it is rebuilt too (``readmodel.dependencies``), and its children when its URL or
privacy changed. Only documents that changed are written, each with a new sequence number,
and the content cache is purged after they commit.
"""

import logging
import threading
from collections import deque
from functools import partial

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cms import cache as content_cache
from cms import clock
from cms import rows as rows_written

from . import builder, counts, dependencies, reads
from .models import DocumentChange, DocumentSequence, PageDocument

logger = logging.getLogger(__name__)

BATCH = 200
MAX_ATTEMPTS = 5


# Changes recorded on this thread, and how many of them a queued drain already covers.
_recorded = threading.local()


def _schedule():
    """Queue a drain once the caller's transaction commits: one for all it recorded.

    A publish records several changes (the page, its languages, its review); each asks for a
    drain, but the first drain after the commit takes them all. Callbacks run in the order
    they were registered, so the first one queues the drain for every change recorded so far
    and the others find theirs covered. A rolled-back transaction drops its callbacks without
    marking its changes covered, so the next one still queues a drain.
    """
    number = getattr(_recorded, "count", 0) + 1
    _recorded.count = number
    transaction.on_commit(partial(_enqueue_unless_covered, number), robust=True)


def _enqueue_unless_covered(number):
    if number <= getattr(_recorded, "covered", 0):
        return  # an earlier callback of the same commit queued the drain that takes it
    _recorded.covered = _recorded.count
    _enqueue()


def _enqueue():
    from .tasks import drain_documents_task

    try:
        drain_documents_task.enqueue()
    except Exception:  # the rows stay; the periodic drain takes them
        logger.exception("Could not queue the drain of document changes.")


def record_pages(page_ids, reason="", subtree=False):
    """Record that pages ``page_ids`` changed (in the caller's transaction)."""
    rows = [
        DocumentChange(page_id=pk, subtree=subtree, reason=reason[:100])
        for pk in dict.fromkeys(page_ids)
        if pk is not None
    ]
    if rows:
        DocumentChange.objects.bulk_create(rows)
        _schedule()


def record_site(site_id, reason=""):
    """Record that every page of site ``site_id`` changed (its settings)."""
    DocumentChange.objects.create(site_id=site_id, reason=reason[:100])
    _schedule()


def record_everything(reason=""):
    """Record that every page changed (a Site, a collection's privacy)."""
    DocumentChange.objects.create(reason=reason[:100])
    _schedule()


def pending():
    return DocumentChange.objects.filter(attempts__lt=MAX_ATTEMPTS).exists()


# --- Draining -----------------------------------------------------------------------------


def drain():
    """Turn every pending change into documents; returns ``(changes done, changes failed)``.

    Batches of changes are taken with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL), so
    drains running at once take different rows. A batch that fails is retried change by
    change; a change that fails ``MAX_ATTEMPTS`` times is left for an operator (logged).
    """
    done = failed = 0
    while True:
        with transaction.atomic():
            rows = list(
                DocumentChange.objects.select_for_update(skip_locked=True)
                .filter(attempts__lt=MAX_ATTEMPTS)
                .order_by("pk")[:BATCH]
            )
            if not rows:
                return done, failed
            batches = [rows] if len(rows) == 1 else [rows, *([row] for row in rows)]
            for batch in batches:
                try:
                    with transaction.atomic():
                        apply(batch)
                        DocumentChange.objects.filter(pk__in=[r.pk for r in batch]).delete()
                except Exception as error:
                    if len(batch) > 1:
                        continue  # each change on its own next
                    logger.exception("Could not rebuild documents for %s.", batch[0])
                    DocumentChange.objects.filter(pk=batch[0].pk).update(
                        attempts=F("attempts") + 1, last_error=repr(error)[:2000]
                    )
                    failed += 1
                else:
                    done += len(batch)
                    if len(batch) > 1:
                        break  # the whole batch went through
        if failed:
            return done, failed


def rebuild_due(now=None):
    """Rebuild documents whose ``valid_until`` has passed; returns how many pages."""
    now = clock.now() if now is None else now
    ids = set(PageDocument.objects.filter(valid_until__lte=now).values_list("page_id", flat=True))
    if ids:
        with transaction.atomic():
            _rebuild(deque((pk, False) for pk in sorted(ids)), now=now)
    return len(ids)


def rebuild_pages(page_ids, cascade=False):
    """Rebuild the documents of ``page_ids`` now (``rebuild_documents``); returns changed count."""
    with transaction.atomic():
        return _rebuild(deque((pk, cascade) for pk in page_ids))


def apply(rows):
    """Rebuild what ``rows`` name (and what shows it, where it changed)."""
    from wagtail.models import Page, Site

    _lock_writer()  # before reading which pages to build (see ``_rebuild``)
    todo = deque()
    everything = any(row.page_id is None and row.site_id is None for row in rows)
    if any(row.page_id is None for row in rows):  # settings or a Site: every page shows them
        content_cache.purge_on_commit({content_cache.SITE})
    if everything:
        ids = set(Page.objects.filter(depth__gt=1).values_list("pk", flat=True))
        ids |= set(PageDocument.objects.values_list("page_id", flat=True))
        todo.extend((pk, False) for pk in sorted(ids))
    for row in rows:
        if everything:
            break
        if row.page_id is not None:
            todo.append((row.page_id, True))
            if row.subtree:
                page = Page.objects.filter(pk=row.page_id).first()
                if page is not None:
                    below = page.get_descendants().values_list("pk", flat=True)
                    todo.extend((pk, True) for pk in below)
        elif row.site_id is not None:
            site = Site.objects.filter(pk=row.site_id).select_related("root_page").first()
            if site is not None:
                below = Page.objects.filter(path__startswith=site.root_page.path)
                todo.extend((pk, False) for pk in below.values_list("pk", flat=True))
            todo.extend(
                (pk, False)
                for pk in PageDocument.objects.filter(site_id=row.site_id).values_list(
                    "page_id", flat=True
                )
            )
    return _rebuild(todo)


def _rebuild(todo, now=None):
    """Build the pages of ``todo`` (``(page id, cascade)``), follow changes, write; count.

    The writer's lock (``write``) is taken first, before anything is read: two drains
    never build the same page at once, so a drain that read a page before an editor's
    commit cannot write its stale document over the one a later drain built from the new
    content (it commits first; the later drain waits, then reads what was committed).
    """
    from wagtail.models import Site

    _lock_writer()
    sites = list(Site.objects.select_related("root_page"))
    built_at = timezone.now()
    seen = set()
    writes = []
    purges = set()
    while todo:
        page_id, cascade = todo.popleft()
        if page_id in seen:
            continue
        seen.add(page_id)
        stored = {(d.site_id, d.lang): d for d in PageDocument.objects.filter(page_id=page_id)}
        built = {(d.site_id, d.lang): d for d in builder.build(page_id, sites=sites, now=now)}
        dependencies.remember_shown(page_id, builder.shown_in(built.values()))
        changed = []
        for key, document in built.items():
            old = stored.get(key)
            if old is None or builder.differences(old, document):
                document.pk = old.pk if old is not None else None
                changed.append((old, document))
        for key, old in stored.items():
            if key not in built and old.state != PageDocument.State.DELETED:
                changed.append((old, builder.tombstone(old, built_at)))
        if not changed:
            continue
        writes.extend(document for _old, document in changed)
        purges |= purge_tags(changed)
        if cascade:
            if any(builder.listed_differently(old, new) for old, new in changed):
                paths = {d.tree_path for _old, d in changed} | {
                    old.tree_path for old, _d in changed if old is not None
                }
                for path in paths:
                    todo.extend((pk, False) for pk in dependencies.ancestors(path))
            todo.extend((pk, False) for pk in dependencies.pages_showing_page(page_id))
        moved_or_private = any(
            old is not None
            and (old.url_path != new.url_path or old.view_restricted != new.view_restricted)
            for old, new in changed
        )
        if moved_or_private:
            from wagtail.models import Page

            page_row = changed[0][1]
            children = Page.objects.filter(
                path__startswith=page_row.tree_path, depth=page_row.depth + 1
            )
            todo.extend((pk, True) for pk in children.values_list("pk", flat=True))
    write(writes)
    # Cached responses made from the old documents go now and again after this commit.
    content_cache.purge_on_commit(purges)
    return len(writes)


def _lock_writer():
    """Become the single writer of documents until this transaction ends (see ``write``).

    ``SELECT … FOR UPDATE`` of the sequence row on PostgreSQL; SQLite lets one writer
    write at a time anyway (and serves development, with one process draining).
    """
    list(DocumentSequence.objects.select_for_update().filter(pk=1).values_list("pk"))


def write(documents):
    """Store ``documents``, each with the next change sequence number, in the caller's transaction.

    The numbers come from the one ``DocumentSequence`` row, incremented by an UPDATE: its
    row lock (PostgreSQL; SQLite lets one writer in at a time) is held until this
    transaction commits, so a writer that got higher numbers cannot commit before one with
    lower numbers. Documents therefore become visible in sequence order, and a sync client
    that has seen every document up to N will never later find a document below N appear
    (a gap filled by a slow transaction), which is what makes "changed since N" tokens
    safe under concurrent commits (``readmodel.sync``). ``_rebuild`` takes the same lock
    before it builds (a row lock is held once per transaction; taking it again costs
    nothing), which makes the drains one writer; ``write`` alone would order the numbers
    but let a drain that built from older content commit after one that built from newer.
    """
    if not documents:
        return
    sequence = DocumentSequence.objects.filter(pk=1)
    sequence.update(value=F("value") + len(documents))
    last = sequence.values_list("value", flat=True).get()
    first = last - len(documents) + 1
    for offset, document in enumerate(documents):
        document.seq = first + offset
    new = [d for d in documents if d.pk is None]
    old = [d for d in documents if d.pk is not None]
    before = _stored_list_scopes([d.pk for d in old])
    if new:
        PageDocument.objects.bulk_create(new)
    if old:
        rows_written.update_fields(old, [*builder.COMPARED, "seq", "built_at"])
    # The totals of the lists these documents left or joined (``readmodel.counts``).
    changed = set()
    for document in documents:
        was, becomes = before.get(document.pk, set()), _list_scopes(document)
        if becomes != was:
            changed |= becomes | was
    counts.recount(changed)


def _list_scopes(document):
    """The list scopes whose totals count ``document`` (none unless it is listed)."""
    if not _listed(document):
        return set()
    return counts.scopes(document.site_id, document.lang, document.page_type, document.parent_id)


def _stored_list_scopes(pks):
    """``{pk: scopes}`` of the stored documents ``pks`` as lists count them now (read before
    they are overwritten)."""
    if not pks:
        return {}
    stored = PageDocument.objects.filter(pk__in=pks).only(
        "site_id", "lang", "page_type", "parent_id", "state", "view_restricted"
    )
    return {d.pk: _list_scopes(d) for d in stored}


def purge_tags(changes):
    """What cached responses showing the documents of ``changes`` are tagged with (``cms.cache``).

    ``changes``: ``(stored document or None, new document)`` of one page. Its own tag (its
    detail, ``find``, its public page and every list that shows it), ``pages`` (the sitemap
    and what else shows pages without naming them), the navigation when a page near the
    top of the tree (the home page or a section, which menus list) changed, and the lists
    the change can alter without showing the page (``list_purges``).
    """
    tags = {content_cache.PAGES}
    for old, new in changes:
        tags.add(content_cache.page_tag(new.page_id))
        if new.depth <= MENU_DEPTH or (old is not None and old.depth <= MENU_DEPTH):
            tags.add(content_cache.MENU)
        tags |= list_purges(old, new)
    return tags


# The home page (depth 2) and its children (the sections): what the navigation shows.
MENU_DEPTH = 3
# Columns that decide whether a document is in a list (with ``state`` and privacy).
MEMBERSHIP = ("state", "view_restricted", "go_live_at", "expire_at", "page_type", "parent_id")


def _listed(document):
    """True when lists may hold ``document`` (now or in its publication window)."""
    return (
        document is not None
        and document.state == PageDocument.State.LIVE
        and not document.view_restricted
    )


def _scopes(document):
    scopes = {content_cache.list_scope(), content_cache.list_scope(page_type=document.page_type)}
    if document.parent_id is not None:
        scopes.add(content_cache.list_scope(child_of=document.parent_id))
    return scopes


def list_purges(old, new):
    """Tags of the lists (``cms.cache.list_tags``) that one document's change can alter.

    None when the page is in no list before or after. When it enters or leaves one (a
    publish, unpublish, deletion, privacy, publication window, type or parent changed):
    every list of its scopes (every page, its type, its parent's children) before and
    after, and the lists of its own children (which answer 404 while it is hidden).
    Otherwise the lists of its scopes sorted by a column that changed, and those that
    search when its search text changed. What the item itself shows is its page's tag.
    """
    if not (_listed(old) or _listed(new)):
        return set()
    lang = new.lang
    scopes = _scopes(new) | (_scopes(old) if old is not None else set())
    moved = not (_listed(old) and _listed(new)) or any(
        getattr(old, column) != getattr(new, column) for column in MEMBERSHIP
    )
    if moved:
        children = content_cache.list_scope(child_of=new.page_id)
        return {content_cache.list_tag(lang, scope) for scope in scopes | {children}}
    keys = [
        key
        for key in content_cache.LIST_ORDER_KEYS
        if getattr(old, reads.ORDER_COLUMNS[key]) != getattr(new, reads.ORDER_COLUMNS[key])
    ]
    if old.search_text != new.search_text:
        keys.append(content_cache.LIST_SEARCH)
    return {content_cache.list_tag(lang, scope, key) for scope in scopes for key in keys}


def missing_documents():
    """Ids of published-type pages under a site that have no document (a fresh upgrade)."""
    from wagtail.models import Page, Site

    from cms.api import registry

    roots = [site.root_page.path for site in Site.objects.select_related("root_page")]
    if not roots:
        return []
    under = Q()
    for path in roots:
        under |= Q(path__startswith=path)
    pages = Page.objects.filter(under).type(*registry.models())
    have = PageDocument.objects.values("page_id")
    return list(pages.exclude(pk__in=have).values_list("pk", flat=True))
