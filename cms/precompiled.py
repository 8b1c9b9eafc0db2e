"""Querysets compiled to SQL once and run again with other values.

On an uncached API detail, turning a queryset into SQL costs more than the
database takes to answer it (a page type's SELECT names some two hundred
columns: both languages of every translated field). A ``PrecompiledQuery`` is
built from an ordinary queryset whose varying values are placeholders,
compiled by Django for the connection's backend (so SQLite and PostgreSQL each
get their own SQL, and wagtail-modeltranslation's columns come from the model
as always), and then only executed: the placeholders are swapped for the
request's values, and the rows become model instances the way Django's own
``ModelIterable`` makes them (``Model.from_db`` with the field converters).

Only what is compiled from the model is kept, never a row: a kept query is as
fresh as the queryset it was built from. Keep one per content version
(``cms.reference.Reference.keep``) when its queryset depends on reference data.

Supported: plain model querysets (``only``/``defer``, filters, ordering,
slicing) and ``values_list``. Not supported (refused when compiled):
``select_related``, annotations on model querysets, ``prefetch_related``.
"""

from django.db import connections
from django.db.models.query import ModelIterable, ValuesListIterable
from modeltranslation.manager import FallbackValuesListIterable

# Model instances, or values_list tuples: what ``instances()`` and ``rows()`` give.
_ITERABLES = (ModelIterable, ValuesListIterable, FallbackValuesListIterable)


class Placeholder(int):
    """An id-like value that marks where a request's value goes in a compiled query.

    The ``index``-th placeholder of a query is always the same value, far from any
    real id and inside a 32-bit integer column's range (a value outside it makes
    Django drop the condition while compiling). A query that happens to contain
    the value elsewhere is refused when it is built, never run with a wrong value.
    """

    BASE = -1_000_000_000

    def __new__(cls, index=0):
        return super().__new__(cls, cls.BASE - index)


def placeholders(count):
    """``count`` distinct placeholders for one query (``pk__in=placeholders(3)``)."""
    return [Placeholder(i) for i in range(count)]


class PrecompiledQuery:
    """``queryset`` as SQL, run with ``values`` in place of its ``placeholders``.

    >>> pk = Placeholder()
    >>> query = PrecompiledQuery(ArticlePage.objects.filter(pk=pk), pk)
    >>> ids = placeholders(2)
    >>> columns = PrecompiledQuery(Page.objects.filter(pk__in=ids), *ids)
    >>> query.instances(8)  # [<ArticlePage: …>] (one query, nothing compiled)
    """

    def __init__(self, queryset, *placeholders):
        if queryset._prefetch_related_lookups:
            raise ValueError("A precompiled query cannot prefetch.")
        if queryset._iterable_class not in _ITERABLES:  # specific(), values(), flat, named
            raise ValueError(
                f"A precompiled query gives instances or values_list tuples, not "
                f"{queryset._iterable_class.__name__}."
            )
        self.model = queryset.model
        self.db = queryset.db
        compiler = queryset.query.get_compiler(using=self.db)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.params = list(params)
        self.positions = []
        for placeholder in placeholders:
            found = [i for i, value in enumerate(self.params) if value == placeholder]
            if len(found) != 1:
                raise ValueError(f"Placeholder {placeholder} is in the query {len(found)} times.")
            self.positions.append(found[0])
        self._converters = None
        self.expressions = [column for column, _sql, _alias in compiler.select]
        # values_list: the columns may be selected in another order than the fields were named
        # (wagtail-modeltranslation keeps the order asked for in ``original_fields``), so each
        # field's column is found by its alias. Its fallbacks between the languages of a
        # translated field happen in Python, after the query: such fields are refused.
        self.fields = getattr(queryset, "original_fields", None) or queryset._fields
        if self.fields:
            if getattr(queryset, "translation_fields", None):
                raise ValueError("A precompiled values_list query cannot select translated fields.")
            aliases = [alias for _column, _sql, alias in compiler.select]
            if sorted(aliases) != sorted(self.fields):
                raise ValueError("A precompiled values_list query cannot annotate.")
            self.order = [aliases.index(field) for field in self.fields]
        else:
            klass_info = compiler.klass_info
            if klass_info.get("related_klass_infos") or compiler.annotation_col_map:
                raise ValueError("A precompiled model query cannot select related or annotate.")
            fields = klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [
                column.target.attname for column in self.expressions[self.start : self.end]
            ]

    def _rows(self, values):
        if len(values) != len(self.positions):
            raise TypeError(f"Expected {len(self.positions)} value(s), got {len(values)}.")
        params = list(self.params)
        for position, value in zip(self.positions, values, strict=True):
            params[position] = value
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        converters = self._converters
        if converters is None:
            converters = self._converters = self._find_converters(connection)
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted

    def _find_converters(self, connection):
        """The backend's and fields' converters of each column (given each run's connection)."""
        found = []
        for position, expression in enumerate(self.expressions):
            functions = connection.ops.get_db_converters(expression) + (
                expression.get_db_converters(connection)
            )
            if functions:
                found.append((position, (functions, expression)))
        return found

    def rows(self, *values):
        """The rows as tuples of the fields a ``values_list`` query names, in its order."""
        if not self.fields:
            raise TypeError("rows() is for a values_list query; use instances().")
        order = self.order
        return [tuple(row[i] for i in order) for row in self._rows(values)]

    def instances(self, *values):
        """The rows as model instances, as the queryset itself would give them."""
        if self.fields:
            raise TypeError("instances() is for a model query; use rows().")
        model, db, init_list = self.model, self.db, self.init_list
        start, end = self.start, self.end
        return [model.from_db(db, init_list, row[start:end]) for row in self._rows(values)]


# Up to this many ids, ``in_bulk`` keeps one compiled query per count; beyond, the ORM runs it.
IN_BULK_UP_TO = 12


def in_bulk(reference, key, queryset_of, ids):
    """``{pk: instance}`` of the rows ``queryset_of(ids)`` selects, ``ids`` in any order.

    ``queryset_of`` builds the queryset for a list of ids (placeholders when it is
    compiled). The compiled query is kept with ``reference`` (``cms.reference``)
    under ``(key, count)``, one per number of ids up to ``IN_BULK_UP_TO``.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    if len(ids) > IN_BULK_UP_TO:
        return queryset_of(ids).in_bulk()

    def compile_query():
        marks = placeholders(len(ids))
        return PrecompiledQuery(queryset_of(marks), *marks)

    query = reference.keep((key, len(ids)), compile_query)
    return {row.pk: row for row in query.instances(*ids)}


def prefetch(instance, name, query):
    """What ``prefetch_related_objects([instance], name)`` does, with a precompiled query.

    ``name`` is a reverse foreign key of ``instance`` (``page.medical_reviews``);
    ``query`` (from ``related_query``) selects its rows by the instance's pk.
    Afterwards ``instance.<name>.all()`` answers from memory, as after
    ``prefetch_related``, and each row's foreign key holds ``instance``.
    """
    manager = getattr(instance, name)
    field = manager.field
    # The queryset the rows are cached on, as Django's prefetch builds it: anything chained
    # on ``instance.<name>`` later filters the lookup's queryset of this instance's rows.
    queryset = manager._apply_rel_filters(query.base)
    related = query.instances(instance.pk)
    for row in related:
        field.set_cached_value(row, instance)
    queryset._result_cache = related
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[field.remote_field.cache_name] = queryset
    return related


def related_query(model, name, queryset):
    """``queryset`` of the rows ``<instance>.<name>`` holds, the instance's pk a placeholder."""
    field = getattr(model, name).field
    pk = Placeholder()
    query = PrecompiledQuery(queryset.filter(**{field.name: pk}), pk)
    query.base = queryset
    return query
