"""Stored documents of the API's pages, read through the store an app registers here.

Detail and ``find`` answer from documents made when content changed (the exact JSON body
and its ETag), in one query. ``cms`` names no app: the read model (``readmodel``)
registers its store from its ``ready()``. A store answers ``Document`` rows of pages that
readers may see now, on the site asked for, in the languages asked for.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured

_store = {"current": None}


@dataclass(frozen=True)
class Document:
    """A visible page in one language, as stored: its type, JSON body and ETag."""

    page_id: int
    lang: str
    page_type: str
    body: bytes
    etag: str
    # When the body stops being right with time alone (None: never): a page it shows goes
    # live or expires, a review falls due, or the page itself expires; see ``readmodel``.
    valid_until: datetime | None


@dataclass(frozen=True)
class Listing:
    """A slice of a list as stored: the total, ``(page id, list item JSON)`` of each page of
    the slice, and when the list stops being right with time alone (None: never), because a
    page of its scope goes live or expires, or the parent it lists expires."""

    count: int
    items: list
    valid_until: datetime | None


def register_store(store):
    """Make ``store`` the API's source of documents (``detail`` and ``find``, see below).

    ``store.detail(site, page_id, langs)`` and ``store.find(site, url_lang, url_path, langs)``
    return the ``Document`` of each language of ``langs`` of the page (by id, or at
    ``url_path`` in ``url_lang``), or an empty list when readers may not see it on ``site``.

    ``store.page_at(site, lang, url_path)`` returns ``(page id, content type id)`` of the
    live page inside its publication window at ``url_path`` in ``lang`` on ``site``,
    private or not, or None: the public site routes with it (``cms.serving``).

    ``store.list(site, lang, *, page_type, child_of, search, order, limit, offset)`` returns
    a ``Listing``: how many visible pages match, ``(page id, stored list item)`` (JSON bytes)
    of each page of the slice asked for, and the list's end; or None when ``child_of`` is
    not a page readers may see.
    """
    _store["current"] = store


def store():
    found = _store["current"]
    if found is None:
        raise ImproperlyConfigured("No document store is registered (add 'readmodel' to apps).")
    return found
