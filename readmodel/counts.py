"""The totals of the API's lists, kept with the documents (``ListCount``).

A list's total used to be counted at every read: at 10,000 articles per language, counting
them took 0.9 ms of the database's time, more than the rest of the list, and grew with the
site. The count of each list scope (a site and language, a type or all, a parent or all) is
now written with the documents (``outbox.write``, under the writer's lock, so each recount
sees every document committed before it) and read as one row; the publication window is
still applied at read time, by subtracting the documents of the scope that are outside it
now (``readmodel.reads``), which are the few documents that have a window at all.

A recount counts, it does not add or subtract: a count that was ever wrong (a restore, a
bug since fixed) is right again the next time its scope changes, and ``verify_documents``
reports any that differ (``differences``).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count

from .models import ListCount, PageDocument

# More scopes than this in one (site, language): count the whole of it in one grouped query.
_ONE_BY_ONE = 8


def scopes(site_id, lang, page_type, parent_id):
    """The list scopes a document with these columns is in (when it is live and public)."""
    types = (page_type, ListCount.ANY_TYPE)
    parents = (ListCount.ANY_PARENT,) if parent_id is None else (parent_id, ListCount.ANY_PARENT)
    return {(site_id, lang, t, p) for t in types for p in parents}


def _counted(document_model):
    # The model as it is now, or as a migration has it (with the same columns).
    return document_model.objects.filter(state=PageDocument.State.LIVE.value, view_restricted=False)


def expected(document_model, site_lang=None):
    """``{scope: count}`` from the documents, of every scope (of one ``(site, lang)``)."""
    rows = _counted(document_model)
    if site_lang is not None:
        rows = rows.filter(site_id=site_lang[0], lang=site_lang[1])
    found = defaultdict(int)
    grouped = rows.values_list("site_id", "lang", "page_type", "parent_id").order_by()
    for site_id, lang, page_type, parent_id, n in grouped.annotate(n=Count("*")):
        for scope in scopes(site_id, lang, page_type, parent_id):
            found[scope] += n
    return dict(found)


def recount(changed, document_model=PageDocument, count_model=ListCount):
    """Store the count of each scope of ``changed`` (``{(site, lang, type, parent)}``).

    Runs in the writer's transaction, after its documents are written. A (site, language)
    with many changed scopes (a rebuild of everything) is counted whole in one query.
    """
    by_site_lang = defaultdict(set)
    for scope in changed:
        by_site_lang[scope[:2]].add(scope)
    with transaction.atomic():
        for site_lang, wanted in by_site_lang.items():
            if len(wanted) > _ONE_BY_ONE:
                counts = expected(document_model, site_lang)
                count_model.objects.filter(site_id=site_lang[0], lang=site_lang[1]).delete()
                _store(count_model, counts)
                continue
            counts = {}
            for site_id, lang, page_type, parent_id in wanted:
                rows = _counted(document_model).filter(site_id=site_id, lang=lang)
                if page_type != ListCount.ANY_TYPE:
                    rows = rows.filter(page_type=page_type)
                if parent_id != ListCount.ANY_PARENT:
                    rows = rows.filter(parent_id=parent_id)
                counts[(site_id, lang, page_type, parent_id)] = rows.count()
            _store(count_model, counts)


def _store(count_model, counts):
    rows = [
        count_model(site_id=s, lang=lang, page_type=t, parent_id=p, count=n)
        for (s, lang, t, p), n in sorted(counts.items())
    ]
    if rows:
        count_model.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["site_id", "lang", "page_type", "parent_id"],
            update_fields=["count"],
        )


def recount_everything(document_model=PageDocument, count_model=ListCount):
    """Every scope counted again from the documents (the migration, ``rebuild_documents``)."""
    with transaction.atomic():
        count_model.objects.all().delete()
        _store(count_model, expected(document_model))


def differences():
    """``[(scope, stored, counted)]`` where a stored count is not what the documents give."""
    counted = expected(PageDocument)
    stored = {
        (c.site_id, c.lang, c.page_type, c.parent_id): c.count for c in ListCount.objects.all()
    }
    return [
        (scope, stored.get(scope, 0), counted.get(scope, 0))
        for scope in sorted(set(counted) | set(stored))
        if stored.get(scope, 0) != counted.get(scope, 0)
    ]
