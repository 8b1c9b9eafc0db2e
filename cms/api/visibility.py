"""What the public API may show: live, public, in their publication window, on this site."""

from wagtail.models import Page

from cms.visibility import in_publication_window

from . import registry


def visible_pages(site=None):
    """Live pages without view restrictions, between go-live and expiry, of published types.

    Drafts, unpublished and view-restricted pages (and their descendants) are
    excluded here once, so the list, detail, find and search cannot disagree.
    """
    qs = in_publication_window(
        Page.objects.live().public().filter(depth__gt=1).type(*registry.models())
    )
    if site is not None:
        qs = qs.descendant_of(site.root_page, inclusive=True)
    return qs
