"""The translated slug and URL-path columns of the page table are indexed after migrate."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def indexed_columns():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    return {tuple(c["columns"]) for c in constraints.values() if c["index"]}


@pytest.mark.parametrize("column", ["slug_en", "slug_vi", "url_path_en", "url_path_vi"])
def test_translated_lookup_columns_are_indexed(column):
    assert (column,) in indexed_columns()


def test_the_lookup_by_vietnamese_url_path_uses_the_index(article):
    sql = "SELECT id FROM wagtailcore_page WHERE url_path_vi = %s"
    params = ["/trang-chu/bai-viet/exosome-va-prp/"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned whatever
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(str(row[0]) for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "cms_page_url_path_vi_idx" in plan, plan
