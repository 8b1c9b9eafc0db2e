"""Reads of documents: the visibility rule's second form, and the API's document store.

``cms.visibility.ReaderPageQuerySet.visible`` is the rule over pages: live, public (no view
restriction on the page or above it), inside the publication window by ``cms.clock``, on
the site. Documents carry the parts that change only when content changes as columns
(``state``, ``view_restricted``, ``site_id``: written by the builder from the pages through
the same rule's parts) and the window itself (``go_live_at``, ``expire_at``), which is
compared here, when a document is read, with the same clock (``cms.clock.now()``, passed to
the database as a parameter): expiry is exact whenever the document was built, and tests
move time for both forms with ``clock.frozen_at``. ``tests/test_readmodel_visibility.py``
checks that both forms select the same pages and languages.
"""

from django.db.models import Q

from cms import clock
from cms.api.documents import Document

from .models import PageDocument


def visible_documents(site=None, now=None):
    """The second form of the visibility rule: documents readers may see now (on ``site``)."""
    now = clock.now() if now is None else now
    qs = PageDocument.objects.filter(state=PageDocument.State.LIVE, view_restricted=False)
    qs = qs.filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    qs = qs.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    if site is not None:
        qs = qs.filter(site_id=site.pk)
    return qs


_FIELDS = ("page_id", "lang", "page_type", "body", "etag", "valid_until")


def _documents(qs):
    return [
        Document(page_id, lang, page_type, bytes(body), etag, valid_until)
        for page_id, lang, page_type, body, etag, valid_until in qs.values_list(*_FIELDS)
    ]


class DocumentStore:
    """What ``cms.api`` reads (``cms.api.documents.register_store``): one query per read."""

    def detail(self, site, page_id, langs):
        return _documents(visible_documents(site).filter(page_id=page_id, lang__in=langs))

    def find(self, site, url_lang, url_path, langs):
        # The page at ``url_path`` in ``url_lang`` (the first in tree order, as routing
        # would), answered in ``langs``: a subquery, so still one query.
        at_path = (
            visible_documents(site)
            .filter(lang=url_lang, url_path=url_path)
            .order_by("tree_path")
            .values("page_id")[:1]
        )
        return _documents(visible_documents(site).filter(page_id=at_path, lang__in=langs))
