"""What the public API may show: live, public, in their publication window, on this site."""

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
    """
    reference = reference or reference_data.current()
    qs = in_publication_window(
        Page.objects.live().exclude(reference.private_q()).filter(depth__gt=1).type(*registry.models())
    )
    if site is not None:
        qs = qs.descendant_of(site.root_page, inclusive=True)
    return qs
