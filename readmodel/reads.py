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

import datetime

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cms import clock
from cms.api.documents import Document, Listing
from cms.sites import site_key, site_sql

from .models import ListCount, PageDocument


def published_documents(site=None, now=None):
    """Documents of live pages inside their window, private ones included (on ``site``).

    ``ReaderPageQuerySet.published`` over documents: what the public site routes to (a
    private page answers with its password or login form).
    """
    now = clock.now() if now is None else now
    qs = PageDocument.objects.filter(state=PageDocument.State.LIVE)
    qs = qs.filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    qs = qs.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    if site is not None:  # a Site, its id, or the site of a host (``cms.sites``)
        qs = qs.filter(site_id=site_key(site))
    return qs


def visible_documents(site=None, now=None):
    """The second form of the visibility rule: documents readers may see now (on ``site``)."""
    return published_documents(site, now).filter(view_restricted=False)


_search_words = []


def register_search_words(function):
    """``function(query)`` gives the words a search must find in ``search_text`` (all of them).

    The app that writes ``search_text`` (``register_search_text``) folds a reader's query the
    same way; with none registered, a search finds nothing.
    """
    _search_words.append(function)
    return function


# The column of each order of the API's list (``cms.cache.LIST_ORDER_KEYS`` and ``id``).
ORDER_COLUMNS = {
    "path": "tree_path",
    "title": "title_sort",
    "first_published_at": "first_published_at",
    "last_published_at": "last_published_at",
    "id": "page_id",
}


# What a detail or find reads of each document (``_raw_documents``).
_FIELDS = ("page_id", "lang", "page_type", "body", "etag", "valid_until", "expire_at")


# Detail and ``find``, the reads external sites make most, are written in SQL: Django takes
# about 2 ms to build and compile their querysets, the database about 0.05 ms to answer
# them. ``_VISIBLE_SQL`` is ``visible_documents`` in SQL (the same columns, the same clock);
# tests/test_readmodel.py checks that it selects what ``visible_documents`` selects.
_VISIBLE_SQL = (
    "{live_public}"
    " AND ({a}.go_live_at IS NULL OR {a}.go_live_at <= %s)"
    " AND ({a}.expire_at IS NULL OR {a}.expire_at > %s)"
    " AND {a}.site_id = {site}"
)


def _live_public(alias):
    """SQL: ``alias`` is a live document without a view restriction.

    Constants written in the SQL, not parameters: a parameter repeated in each of a list's
    subqueries took its parameters over psycopg's bound for caching the conversion of a
    statement (50), so it was parsed again at every read (about a fifth of a list's CPU).
    """
    live = PageDocument.State.LIVE.value
    assert live.isidentifier()  # a constant of ours, safe in SQL as a literal
    return f"{alias}.state = '{live}' AND {alias}.view_restricted = false"


class _SiteOfStatement:
    """The site a statement named once in its ``WITH`` clause (``_with_site``)."""

    SQL = "(SELECT id FROM read_site)"


def _site_sql(site):
    """``(sql, params)`` naming ``site``: ``cms.sites.site_sql``, or the statement's own."""
    return (site.SQL, []) if isinstance(site, _SiteOfStatement) else site_sql(site)


def _with_site(site):
    """``(prefix, params, site)``: a ``WITH`` clause naming ``site`` once, and the site to
    pass the helpers below instead, which refers to it.

    A list's statement names its site in up to six subqueries (its rows, its parent, its
    total and its end); the host's subquery written out in each took a list of a section's
    children over 4,096 bytes, the statements psycopg converts (``%s`` to ``$n``) once per
    connection instead of at every read. ``find`` names it twice (the page at the address,
    then its documents). PostgreSQL evaluates the clause once per read.
    """
    site_in_sql, site_params = site_sql(site)
    return f"WITH read_site(id) AS (SELECT {site_in_sql}) ", site_params, _SiteOfStatement()


def _visible_sql(site, now=None, alias="d"):
    """``(sql, params)`` of the documents readers may see now on ``site`` (as ``alias``)."""
    now = clock.now() if now is None else now
    site_in_sql, site_params = _site_sql(site)
    return (
        _VISIBLE_SQL.format(a=alias, site=site_in_sql, live_public=_live_public(alias)),
        [now, now, *site_params],
    )


def _table():
    return connection.ops.quote_name(PageDocument._meta.db_table)


def _adapted(db, params):
    return [
        db.ops.adapt_datetimefield_value(value) if isinstance(value, datetime.datetime) else value
        for value in params
    ]


def _fetch(sql, params, prepared=False):
    """Rows of ``sql``; with ``prepared``, through a statement prepared on this connection.

    On PostgreSQL, planning a detail's query (the site subquery and the visibility rule) took
    0.2 ms of its 0.4, longer than running it, and a list's 0.8 ms of its 1.0: the reads
    external sites make most (detail, ``find`` and the lists whose one plan suits every
    value, ``_one_plan_fits``) are prepared once per connection and run with their generic
    plan (``_prepared_cursor``). The other reads go through Django's own cursor, which binds
    parameters on the client, so PostgreSQL plans them for their values.
    ``DATABASE_PREPARED_READS=0`` prepares none (behind a pooler in transaction mode that
    does not track prepared statements).
    """
    db = connections[DEFAULT_DB_ALIAS]  # the thread's own, looked up once (not per attribute)
    if prepared and db.vendor == "postgresql" and settings.DATABASE_PREPARED_READS:
        cursor = _prepared_cursor(db)
    else:
        cursor = db.cursor()
    with cursor:
        cursor.execute(sql, _adapted(db, params))
        return cursor.fetchall()


def _prepared_cursor(db):
    """A cursor of Django's connection whose statements are prepared, with binary results.

    psycopg prepares a statement with the protocol (``Parse`` once, then ``Bind`` and
    ``Execute``) when the connection allows it (Django's documented ``prepare_threshold``
    option, set in ``cms.settings`` with ``DATABASE_PREPARED_READS``) and the cursor binds
    its parameters on the server; Django's own cursors bind on the client and never prepare,
    so bulk writes keep no limit on their number of parameters. Results come in binary: the
    stored JSON (``bytea``) arrives as its bytes, with no hex text to encode and decode.
    Measured in process at 10,000 articles against SQL ``PREPARE``/``EXECUTE`` through
    Django's cursor: a detail request's Python 2.0 -> 1.5 ms of CPU, PostgreSQL's 0.41 ->
    0.25 ms.

    Each statement runs with its one generic plan (``plan_cache_mode``, a startup option of
    every session, ``cms.settings``: it concerns prepared statements, which only this cursor
    makes). PostgreSQL would otherwise plan a list again at every execution, its generic plan
    looking dearer to it than the custom ones. The cursor is wrapped in Django's cursor
    wrappers, so query logging, ``execute_wrapper`` and database errors behave as with
    Django's own.
    """
    db.ensure_connection()
    cursor = _PreparedReads(db.connection)
    if db.queries_logged:
        return _LoggedReads(cursor, db)
    return CursorWrapper(cursor, db)


class _PreparedReads(psycopg.Cursor):
    """psycopg's server-binding cursor, preparing what it runs and reading binary results."""

    def execute(self, query, params=None, *, prepare=True, binary=True):
        return super().execute(query, params, prepare=prepare, binary=binary)


class _LoggedReads(CursorDebugWrapper):
    """Django's logging cursor, logging the SQL with its values as composed by Django: the
    driver keeps no client-side text of a statement it binds on the server."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


def _raw_documents(where, params, with_site=""):
    """``Document`` rows of the SQL ``where`` (on ``d``): one cursor read, no model built.

    ``with_site`` is the statement's ``WITH`` clause (``_with_site``), its values first in
    ``params``.

    A document read here is visible, so its own expiry is the only part of its window still
    ahead: it ends the answer like its ``valid_until`` does (``Document.valid_until``).
    """
    columns = ", ".join(f"d.{name}" for name in _FIELDS)
    rows = _fetch(
        f"{with_site}SELECT {columns} FROM {_table()} d WHERE {where}", params, prepared=True
    )
    return [
        Document(page_id, lang, page_type, bytes(body), etag, _earliest(valid_until, expire_at))
        for page_id, lang, page_type, body, etag, valid_until, expire_at in rows
    ]


def _earliest(*moments):
    found = [_aware(moment) for moment in moments if moment is not None]
    return min(found) if found else None


def _aware(value):
    """A datetime column as read by a cursor (SQLite gives UTC text) as an aware datetime."""
    if value is None or isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def _in(values):
    return "(" + ", ".join(["%s"] * len(values)) + ")", list(values)


class DocumentStore:
    """What ``cms.api`` reads (``cms.api.documents.register_store``): one query per read."""

    def detail(self, site, page_id, langs):
        visible, params = _visible_sql(site)
        langs_sql, lang_params = _in(langs)
        return _raw_documents(
            f"{visible} AND d.page_id = %s AND d.lang IN {langs_sql}",
            [*params, page_id, *lang_params],
        )

    def find(self, site, url_lang, url_path, langs):
        # The page at ``url_path`` in ``url_lang`` (the first in tree order, as routing
        # would), answered in ``langs``: a subquery, so still one query.
        with_site, with_args, site = _with_site(site)
        visible, params = _visible_sql(site)
        langs_sql, lang_params = _in(langs)
        at_path = (
            f"SELECT d.page_id FROM {_table()} d WHERE {visible} AND d.lang = %s"
            " AND d.url_path = %s ORDER BY d.tree_path LIMIT 1"
        )
        return _raw_documents(
            f"{visible} AND d.lang IN {langs_sql} AND d.page_id = ({at_path})",
            [*with_args, *params, *lang_params, *params, url_lang, url_path],
            with_site=with_site,
        )

    def page_at(self, site, lang, url_path):
        """``(page id, content type id)`` of the published page at ``url_path``, or None.

        Private pages included: the site routes to them and Wagtail asks for the password.
        """
        return (
            published_documents(site)
            .filter(lang=lang, url_path=url_path)
            .order_by("tree_path")
            .values_list("page_id", "content_type_id")
            .first()
        )

    def list(self, site, lang, *, page_type, child_of, search, order, limit, offset):
        """One query for the slice, its total (a kept count) and its end; one more when empty.

        Ordering and filters use the document's columns (indexed by site and language);
        search scans ``search_text`` (``LIKE``, as Django's ``contains``). In SQL, like
        detail and find (``visible_documents`` is the same rule as a queryset).
        """
        now = clock.now()  # one moment for the rows, their total and their end
        with_site, with_args, site = _with_site(site)
        visible, params = _visible_sql(site, now)
        where, args = [visible, "d.lang = %s"], [*params, lang]
        if page_type:
            where.append("d.page_type = %s")
            args.append(page_type)
        parent = parent_args = None
        if child_of is not None:
            parent_visible, parent_params = _visible_sql(site, now, alias="p")
            parent = (
                f"SELECT 1 FROM {_table()} p WHERE {parent_visible} AND p.page_id = %s"
                " AND p.lang = %s"
            )
            parent_args = [*parent_params, child_of, lang]
            where.append(f"d.parent_id = %s AND EXISTS ({parent})")
            args += [child_of, *parent_args]
        words = None
        if search is not None:
            words = [w for function in _search_words for w in function(search)]
            for word in words:
                where.append("d.search_text LIKE %s ESCAPE '\\'")
                args.append(f"%{connection.ops.prep_for_like_query(word)}%")
        condition = " AND ".join(where)
        if words is None:  # the total its scope keeps (``ListCount``)
            total, total_args = _kept_total(site, lang, page_type, child_of, now)
        else:  # a search counts what it finds
            total = f"SELECT COUNT(*) FROM {_table()} d WHERE {condition}"
            total_args = args
        end, end_args = _list_end(site, lang, page_type, child_of, now)
        rows = []
        if words != []:  # a search with no word finds nothing
            # The total and the end as scalar subqueries, not windows over the rows: a window
            # reads every matching row (stored items included) before the LIMIT.
            rows = _fetch(
                f"{with_site}SELECT d.page_id, d.item, ({total}), ({end})"
                f" FROM {_table()} d WHERE {condition}"
                f" ORDER BY {_ordering_sql(order)} LIMIT %s OFFSET %s",
                [*with_args, *total_args, *end_args, *args, limit, offset],
                prepared=_one_plan_fits(page_type, child_of, search, order),
            )
        if rows:
            _page, _item, count, scope_end = rows[0]
            return Listing(
                count, [(page_id, bytes(item)) for page_id, item, *_r in rows], _aware(scope_end)
            )
        if child_of is not None and not _fetch(
            f"{with_site}{parent} LIMIT 1", [*with_args, *parent_args]
        ):
            return None
        if words == []:
            return Listing(0, [], None)
        [(count, scope_end)] = _fetch(
            f"{with_site}SELECT ({total}), ({end})", [*with_args, *total_args, *end_args]
        )
        return Listing(count if offset else 0, [], _aware(scope_end))


def _one_plan_fits(page_type, child_of, search, order):
    """True when one plan of the list suits every value of its parameters (``_fetch``).

    A list of every page, in any order, reads the index of that order up to the slice. A
    list of one type or one parent's children in tree order reads ``readmodel_doc_type_tree``
    or ``readmodel_doc_parent_tree`` the same way, for a type of 2 pages as for one of
    10,000. The others (both filters, another order with a filter, a search) are planned
    for their values at each read: with one plan, a rare type would walk the whole index of
    its order (measured: 6.7 ms instead of 1.6 at 10,000 articles).
    """
    if search is not None:
        return False
    if page_type is None and child_of is None:
        return True
    return (page_type is None or child_of is None) and order.lstrip("-") == "path"


def _kept_total(site, lang, page_type, child_of, now):
    """``(sql, params)``: the total of a list without search, from its scope's ``ListCount``.

    The count is of live, public documents whatever their window; those of the scope outside
    their window now are subtracted (read from ``readmodel_doc_windowed``, which holds only
    documents that have a window). No row: no document was ever counted there (0).
    """
    site_in_sql, site_params = _site_sql(site)
    same = " AND w.page_type = c.page_type" if page_type else ""
    same += " AND w.parent_id = c.parent_id" if child_of is not None else ""
    outside = (
        f"SELECT COUNT(*) FROM {_table()} w WHERE w.site_id = c.site_id AND w.lang = c.lang"
        f"{same} AND {_live_public('w')}"
        " AND (w.go_live_at IS NOT NULL OR w.expire_at IS NOT NULL)"
        " AND (w.go_live_at > %s OR w.expire_at <= %s)"
    )
    counts = connection.ops.quote_name(ListCount._meta.db_table)
    sql = (
        f"COALESCE((SELECT c.count - ({outside}) FROM {counts} c WHERE c.site_id = {site_in_sql}"
        " AND c.lang = %s AND c.page_type = %s AND c.parent_id = %s), 0)"
    )
    params = [
        now,
        now,
        *site_params,
        lang,
        page_type or ListCount.ANY_TYPE,
        ListCount.ANY_PARENT if child_of is None else child_of,
    ]
    return sql, params


def _list_end(site, lang, page_type, child_of, now):
    """``(sql, params)``: when the list's scope next changes with time alone, or NULL.

    The nearest go-live ahead, or expiry ahead, of a live, public document of the list's
    scope (its site, language, type and parent; a search's scope without its words), and
    the expiry of ``child_of`` itself: until then no page joins or leaves the list by time.
    Read from ``readmodel_doc_windowed`` (documents that have a window at all), like the
    total. A page going live elsewhere on the site leaves the list as it is.

    The items' ``valid_until`` does not end it: a list item (``summary_item``) shows its
    own page's fields, none of which changes with time, while a document's ``valid_until``
    is its detail's (the descendants a section lists, a review falling due).
    """
    site_in_sql, site_params = _site_sql(site)
    scope = f"w.site_id = {site_in_sql} AND w.lang = %s"
    scope_args = [*site_params, lang]
    if page_type:
        scope += " AND w.page_type = %s"
        scope_args.append(page_type)
    if child_of is not None:
        scope += " AND w.parent_id = %s"
        scope_args.append(child_of)
    scope += f" AND {_live_public('w')} AND (w.go_live_at IS NOT NULL OR w.expire_at IS NOT NULL)"
    parts = [
        f"SELECT w.go_live_at AS moment FROM {_table()} w WHERE {scope} AND w.go_live_at > %s",
        f"SELECT w.expire_at AS moment FROM {_table()} w WHERE {scope} AND w.expire_at > %s",
    ]
    args = [*scope_args, now, *scope_args, now]
    if child_of is not None:
        parts.append(
            f"SELECT w.expire_at AS moment FROM {_table()} w WHERE w.site_id = {site_in_sql}"
            " AND w.page_id = %s AND w.lang = %s AND w.expire_at > %s"
        )
        args += [*site_params, child_of, lang, now]
    return f"SELECT MIN(ends.moment) FROM ({' UNION ALL '.join(parts)}) ends", args


def _ordering_sql(order):
    """The API's ``order`` as document columns; ties by page id, dates without one last."""
    name = order.lstrip("-")
    column = f"d.{ORDER_COLUMNS[name]}"
    direction = "ASC" if order == name else "DESC"
    if name == "path":
        return column
    if name in ("title", "id"):
        return f"{column} {direction}, d.page_id ASC"
    return f"{column} {direction} NULLS LAST, d.page_id ASC"
