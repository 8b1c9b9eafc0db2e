"""What readers may see: the one rule, as a queryset method.

A page is visible to readers when it is live, its default language went live (see
below), public (no view restriction on it or an ancestor), inside its publication
window by ``cms.clock`` and, when a site is given, on that site.
``ReaderPageQuerySet.visible`` is that rule; the site, its listings and menus, the
sitemap, the API (list, detail, find, search), related articles, comparison columns
and rich-text links all select pages through it.

Wagtail only unpublishes an expired page when ``manage.py publish_scheduled``
runs, so until then the page is still ``live``: the window is checked here
instead of trusting a cron job. The view restrictions are a subquery, so the
rule needs no query of its own and is never stale.

What readers see of a visible page, language by language, is decided by the app that
records which content of each language went live (``releases``), registered here so that
``cms`` names no app:

- ``register_released_condition``: an expression over page rows (a subquery) that the
  rule adds: a page whose default language never went live is not visible;
- ``register_reader_pages``: the one function that composes the page readers see (each
  language's text from the revision released for it); ``reader_page``/``reader_pages``
  call it, and the site, the sitemap and the read model's builder read through them;
- ``reader_languages_changed``: sent when what readers see of a page's languages changed
  (webhooks tell external sites).
"""

from django.db.models import CharField, Exists, ExpressionWrapper, F, Min, OuterRef, Q
from django.dispatch import Signal
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from cms import cache as content_cache
from cms import clock

_released_conditions = []
_reader_pages = []

# Sent with ``instance`` (the page), ``languages`` (codes whose content readers see changed,
# possibly none: the page's other fields changed) and ``action`` ("published", "released",
# "withdrawn"), in the transaction of the change.
reader_languages_changed = Signal()


def register_released_condition(condition):
    """``condition()`` gives an expression over page rows (``OuterRef("pk")``) that every page
    readers may see satisfies (its default language went live)."""
    _released_conditions.append(condition)
    return condition


def register_reader_pages(function):
    """``function(pages)`` gives, for each page (a live row, its specific type), the page as
    readers see it, or None for a page readers may not see at all."""
    _reader_pages.append(function)
    return function


def reader_pages(pages):
    """``pages`` as readers see them (same order; None for one readers may not see)."""
    pages = list(pages)
    for function in _reader_pages:
        pages = function(pages)
    # A response being made for readers is tagged with what it shows (cms.cache).
    content_cache.record_shown(page.pk for page in pages if page is not None)
    return pages


def reader_list(pages):
    """The pages of ``pages`` readers may see, each as they see it (a list: a listing, a menu)."""
    return [page for page in reader_pages(pages) if page is not None]


def reader_page(page):
    """``page`` as readers see it, or None when readers may not see it (see above)."""
    return reader_pages([page])[0] if page is not None else None


def _released():
    found = Q()
    for condition in _released_conditions:
        found &= Q(condition())
    return found


def _restricted():
    """View restrictions on a page or an ancestor of the outer query's page."""
    outer_path = ExpressionWrapper(OuterRef("path"), output_field=CharField())
    return PageViewRestriction.objects.annotate(outer_path=outer_path).filter(
        outer_path__startswith=F("page__path")
    )


class ReaderPageQuerySet(PageQuerySet):
    """Wagtail's page queryset with the readers' visibility rule."""

    def in_window(self, now=None):
        """Pages inside their publication window (go-live passed, expiry not reached)."""
        now = clock.now() if now is None else now
        return self.filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)).filter(
            Q(expire_at__isnull=True) | Q(expire_at__gt=now)
        )

    def published(self, now=None):
        """Live pages inside their window, private ones included.

        Only routing uses this alone: a private page routes so that Wagtail can ask
        for its password or a login; everything that lists or links uses ``visible``.
        """
        return self.live().in_window(now).filter(depth__gt=1).filter(_released())

    def visible(self, site=None, now=None):
        """The rule: live, released, public, inside the publication window, on ``site`` if given."""
        qs = self.published(now).exclude(Exists(_restricted()))
        if site is not None:
            qs = qs.filter(path__startswith=site.root_page.path)
        return qs


def visible_pages(model=None, site=None, now=None):
    """Pages of ``model`` (default: every type) that readers may see on ``site``."""
    return ReaderPageQuerySet(model or Page).visible(site=site, now=now)


def visible_ids(ids, site=None, now=None):
    """The subset of ``ids`` readers may see (one query; none when ``ids`` is empty)."""
    wanted = {int(i) for i in ids if i is not None and str(i).isdigit()}
    if not wanted:
        return set()
    return set(visible_pages(site=site, now=now).filter(pk__in=wanted).values_list("pk", flat=True))


def next_change(now=None):
    """When visibility next changes with time alone: the nearest go-live or expiry, or None.

    Anything made from visible content (a cached page or response, a
    ``Cache-Control`` lifetime) must not outlive this moment.
    """
    now = clock.now() if now is None else now
    found = (
        Page.objects.filter(live=True)
        .filter(Q(go_live_at__gt=now) | Q(expire_at__gt=now))
        .aggregate(
            go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
            expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
        )
    )
    moments = [m for m in found.values() if m is not None]
    return min(moments) if moments else None
