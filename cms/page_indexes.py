"""Indexes on the translated columns of Wagtail's page table, created after every migrate.

wagtail-modeltranslation adds ``slug_<lang>`` and ``url_path_<lang>`` to
``wagtailcore_page`` with ``sync_page_translation_fields`` (its ``migrate`` runs
it after the migrations), as plain columns without the index Wagtail gives
``slug``. Slug checks look siblings up by ``slug_<lang>`` (``cms.slugs``) and the
public site's routing, for a path no document answers, pages by ``url_path_<lang>``
(``cms.serving``): without an index both read every page of a section.

The ``post_migrate`` handler adds any missing translation column first (the same
sync wagtail-modeltranslation runs just after, which then finds nothing to do),
then the indexes, with ``IF NOT EXISTS`` on SQLite and PostgreSQL alike.
"""

from django.core.management import call_command
from django.db import connections

from cms.language import SUPPORTED_LANGUAGES

INDEXED_FIELDS = ("slug", "url_path")


def index_statements(connection):
    qn = connection.ops.quote_name
    table = qn("wagtailcore_page")
    for field in INDEXED_FIELDS:
        for lang in SUPPORTED_LANGUAGES:
            column = f"{field}_{lang}"
            name = f"cms_page_{column}_idx"
            yield column, f"CREATE INDEX IF NOT EXISTS {qn(name)} ON {table} ({qn(column)})"


def ensure_page_translation_indexes(using="default", **_kwargs):
    """post_migrate receiver: translation columns of the page table, then their indexes."""
    call_command("sync_page_translation_fields", interactive=False, verbosity=0)
    connection = connections[using]
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(cursor, "wagtailcore_page")
        }
        for column, statement in index_statements(connection):
            if column in columns:
                cursor.execute(statement)
