"""Comparing stored documents with what the builder makes now (``verify_documents``, tests)."""

from cms import clock

from . import builder, dependencies
from .models import PageDocument


def differences(page_ids=None, now=None):
    """``[(page id, site id, lang, [column, …])]`` where stored and freshly built documents differ.

    A document past its ``valid_until`` is due for a rebuild, not wrong: it is skipped. A
    missing or extra document is reported with the column ``"document"``, and what the page
    shows its readers recorded otherwise than it is now (``ShownReference``) with ``"shown"``
    on each of its documents.
    """
    now = clock.now() if now is None else now
    stored = PageDocument.objects.exclude(state=PageDocument.State.DELETED)
    if page_ids is not None:
        stored = stored.filter(page_id__in=list(page_ids))
    by_page = {}
    for document in stored:
        by_page.setdefault(document.page_id, {})[(document.site_id, document.lang)] = document
    if page_ids is None:
        from wagtail.models import Page

        page_ids = set(by_page) | set(Page.objects.filter(depth__gt=1).values_list("pk", flat=True))
    found = []
    for page_id in sorted(set(page_ids)):
        built = {(d.site_id, d.lang): d for d in builder.build(page_id, now=now)}
        kept = by_page.get(page_id, {})
        shown_differs = dependencies.recorded_shown(page_id) != builder.shown_in(built.values())
        for key in sorted(set(built) | set(kept)):
            old, new = kept.get(key), built.get(key)
            if old is None or new is None:
                found.append((page_id, *key, ["document"]))
                continue
            if old.valid_until is not None and old.valid_until <= now:
                continue
            columns = builder.differences(old, new) + (["shown"] if shown_differs else [])
            if columns:
                found.append((page_id, *key, columns))
    return found
