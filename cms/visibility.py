"""What readers may see: the one rule, as a queryset method.

A page is visible to readers when it is live, public (no view restriction on it
or an ancestor), inside its publication window by ``cms.clock`` and, when a site
is given, on that site. ``ReaderPageQuerySet.visible`` is that rule; the site, its
listings and menus, the sitemap, the API (list, detail, find, search), related
articles, comparison columns and rich-text links all select pages through it.

Wagtail only unpublishes an expired page when ``manage.py publish_scheduled``
runs, so until then the page is still ``live``: the window is checked here
instead of trusting a cron job. The view restrictions are a subquery, so the
rule needs no query of its own and is never stale.
"""

from django.db.models import CharField, Exists, ExpressionWrapper, F, Min, OuterRef, Q
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from cms import clock


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
        return self.live().in_window(now).filter(depth__gt=1)

    def visible(self, site=None, now=None):
        """The rule: live, public, inside the publication window, on ``site`` if given."""
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
