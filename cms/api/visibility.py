"""What the public API may show: live, public, in their publication window, on this site."""

from django.db.models.functions import Now
from wagtail.models import Page

from cms import reference as reference_data
from cms.visibility import in_publication_window

from . import registry


def visible_pages(site=None, reference=None):
    """Live pages without view restrictions, between go-live and expiry, of published types.

    Drafts, unpublished and view-restricted pages (and their descendants) are
    excluded here once, so the list, detail, find and search cannot disagree.
    The private sections come from ``reference`` (``cms.reference``: kept per
    content version, so making a page private hides it on the next request).

    The queryset is built once per content version and site (building its
    filters costs more than running it) and each caller gets a fresh copy of
    it; the publication window is checked against the database's clock when
    the query runs, so a kept queryset never goes stale.
    """
    reference = reference or reference_data.current()
    key = ("visible_pages", site.pk if site is not None else None)
    return reference.keep(key, lambda: _visible_pages(site, reference)).all()


def visible_pages_of(model, site, reference):
    """``visible_pages`` of one published page type, as that type (its own columns loaded)."""
    key = ("visible_pages_of", model, site.pk if site is not None else None)
    return reference.keep(key, lambda: _visible_pages(site, reference, model)).all()


def _visible_pages(site, reference, model=None):
    pages = model.objects.all() if model is not None else Page.objects.type(*registry.models())
    qs = in_publication_window(
        pages.live().exclude(reference.private_q()).filter(depth__gt=1),
        now=Now(),
    )
    if site is not None:
        qs = qs.descendant_of(site.root_page, inclusive=True)
    return qs
