"""On PostgreSQL, the API's frequent reads run as statements prepared once per connection.

Planning the detail's query took longer than running it (readmodel.reads._fetch), so detail
and ``find`` are prepared by the driver the first time a connection makes them, and run with
their one generic plan after that: still one query per read, the same bytes as the plain
query, and a new connection (after PostgreSQL restarts, in another thread) prepares its own
instead of executing one it does not have. So are the lists whose one plan suits every value
of their parameters (every page in any order, one type or one parent's children in tree
order); the others are planned for their values at each read. What PostgreSQL itself reports
(``pg_prepared_statements``) is what these tests read.
"""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.sites import SiteOfHost
from readmodel.reads import DocumentStore

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="statements prepared by PostgreSQL: run with DATABASE_URL",
    ),
    pytest.mark.django_db,
]


def prepared_statements(cursor):
    """``{statement: (generic plans, custom plans)}`` of this session's prepared statements."""
    cursor.execute(
        "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
        " WHERE NOT from_sql"
    )
    return {statement: (generic, custom) for statement, generic, custom in cursor.fetchall()}


def statements():
    with connection.cursor() as cursor:
        return prepared_statements(cursor)


def sent(queries):
    """How the one query of a read ran: ``EXECUTE`` of a statement prepared, or ``SELECT``
    (a query sent with its values: a list's starts with ``WITH``, which names its site)."""
    [query] = queries.captured_queries
    before, after = query["prepared_before"], statements()
    ran = {sql: plans for sql, plans in after.items() if plans != before.get(sql)}
    if not ran:
        assert query["sql"].split(" ", 1)[0] in ("SELECT", "WITH"), query["sql"][:80]
        return "SELECT"
    [(generic, custom)] = ran.values()
    assert custom == 0, "a prepared read is planned once, for every value"
    return "EXECUTE"


class Reads(CaptureQueriesContext):
    """The read's queries, and the session's prepared statements before it."""

    def __enter__(self):
        self.prepared_before = statements()
        return super().__enter__()

    def __exit__(self, *exc):
        super().__exit__(*exc)
        for query in self.captured_queries:
            query["prepared_before"] = self.prepared_before


@pytest.fixture
def urls(article, prp):
    return [
        f"/api/v1/pages/{article.pk}/?lang=vi",
        f"/api/v1/pages/{article.pk}/?lang=en",
        f"/api/v1/pages/{article.pk}/?lang=all",
        "/api/v1/pages/find/?path=/vi/bai-viet/exosome-va-prp/",
    ]


@pytest.fixture
def lists(prp):
    """``{url: what the database is sent}`` for lists of each kind."""
    parent = prp.get_parent().pk
    return {
        "/api/v1/pages/?type=article&lang=vi": "EXECUTE",
        f"/api/v1/pages/?child_of={parent}&lang=en": "EXECUTE",
        "/api/v1/pages/?order=-first_published_at&lang=vi": "EXECUTE",
        "/api/v1/pages/?type=therapy&lang=vi&limit=1&offset=1": "EXECUTE",
        f"/api/v1/pages/?child_of={parent}&order=-title": "SELECT",
        f"/api/v1/pages/?child_of={parent}&type=therapy": "SELECT",
        "/api/v1/pages/?type=article&order=-last_published_at": "SELECT",
        "/api/v1/pages/?search=exosome&lang=vi": "SELECT",
    }


def test_reads_are_one_execute_of_a_prepared_statement_with_the_same_answer(
    client, settings, urls, lists
):
    settings.API_CACHE_SECONDS = 0
    first = {url: client.get(url) for url in urls}  # prepares what this connection lacks
    assert all(response.status_code == 200 for response in first.values())
    assert "Exosome và PRP khác nhau thế nào" in first[urls[0]].content.decode()
    for url in urls:
        with Reads(connection) as queries:
            response = client.get(url)
        assert sent(queries) == "EXECUTE", url
        assert response.content == first[url].content, url
    # detail in one language, detail in two, find in one
    assert len(statements()) >= 3
    for url, expected in lists.items():
        settings.DATABASE_PREPARED_READS = False
        plain = client.get(url)
        settings.DATABASE_PREPARED_READS = True
        assert plain.status_code == 200 and plain.json()["count"] >= 1, url
        client.get(url)
        with Reads(connection) as queries:
            response = client.get(url)
        assert sent(queries) == expected, url
        assert response.content == plain.content, url

    settings.DATABASE_PREPARED_READS = False
    for url in urls:
        with Reads(connection) as queries:
            response = client.get(url)
        assert sent(queries) == "SELECT", url
        assert response.content == first[url].content, url


def test_a_new_connection_prepares_its_own_statements(client, urls):
    assert client.get(urls[0]).status_code == 200  # this connection has prepared the detail
    seen = {}

    def read_on_a_connection_of_its_own():
        try:
            site = SiteOfHost("testserver", 80)
            seen["documents"] = DocumentStore().detail(site, 2**31 - 1, ["vi"])
            seen["statements"] = statements()
        except Exception as error:  # reported below
            seen["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=read_on_a_connection_of_its_own)
    thread.start()
    thread.join(timeout=60)
    assert "error" not in seen, seen.get("error")
    assert seen["documents"] == [] and len(seen["statements"]) == 1


def test_the_frequent_reads_are_statements_psycopg_converts_once(client, settings, urls, prp):
    """psycopg turns a statement's ``%s`` into ``$n`` once per statement text, not at every
    execution, only for a statement of at most 4,096 bytes and 50 parameters. A list
    repeated the site's host and the live and public rule as parameters in each of its
    subqueries (57 parameters) and was parsed again at every read, about a fifth of its CPU;
    a list of a section's children still held the site's subquery six times (4,846 bytes).
    """
    settings.API_CACHE_SECONDS = 0
    executed = []

    def record(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    reads = [
        *urls,
        "/api/v1/pages/?type=article&lang=vi&limit=20",
        "/api/v1/pages/?lang=en",
        f"/api/v1/pages/?child_of={prp.get_parent().pk}&lang=vi",
    ]
    for url in reads:
        client.get(url)  # the fixtures' documents are drained by the first request
    with connection.execute_wrapper(record):
        for url in reads:
            assert client.get(url).status_code == 200, url
    assert len(executed) == len(reads)  # one statement each
    site_table = connection.ops.quote_name(Site._meta.db_table)
    site_once = SiteOfHost("testserver", 80).sql()[0].count(site_table)
    for sql, params in executed:
        assert len(params) <= 50 and len(sql.encode()) <= 4096, (len(params), sql[:80])
        # The host's site is looked up once per statement (``find`` and lists name it in a
        # WITH clause): PostgreSQL runs each subquery written out.
        assert sql.count(site_table) == site_once, sql[:120]
