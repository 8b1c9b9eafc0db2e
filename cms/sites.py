"""The site of a request's host as a database expression, so a read needs no query for it.

The same choice as Wagtail's ``wagtail.models.sites.get_site_for_hostname``: the site with
this hostname and port, else this hostname's default site, else the only site with this
hostname, else the default site (none when several sites share the hostname and none is
the default). Reads of documents filter ``site_id`` by it in their one query.
"""

from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http.request import split_domain_port
from wagtail.models import Site


def _first(qs):
    return Subquery(qs.order_by().values("pk")[:1])


class SiteOfHost:
    """The site answering ``hostname:port``, named without a query: as an ORM expression
    (``expression``, built when first used) or as SQL (``sql``), the same choice in both."""

    def __init__(self, hostname, port):
        self.hostname = hostname
        self.port = port
        self._expression = None

    def expression(self):
        """The site's id as an expression (NULL: no site answers)."""
        if self._expression is None:
            named = Site.objects.filter(hostname=self.hostname)
            self._expression = Coalesce(
                _first(named.filter(port=self.port)),
                _first(named.filter(is_default_site=True)),
                _first(named.exclude(Exists(named.exclude(pk=OuterRef("pk"))))),
                _first(Site.objects.filter(is_default_site=True)),
            )
        return self._expression

    def sql(self):
        """``(sql, params)``: the same choice as the expression, in SQL (a scalar subquery).

        One subquery that ranks the candidates, not ``COALESCE`` over four: PostgreSQL took
        about 1.6 ms to plan the four (ten times the rest of a detail's query) and about
        0.2 ms to plan this. A site that meets none of the four rules has no rank and is
        never chosen.
        """
        table = connection.ops.quote_name(Site._meta.db_table)
        rank = (
            "CASE"
            " WHEN s.hostname = q.host AND s.port = q.port THEN 0"
            " WHEN s.hostname = q.host AND s.is_default_site THEN 1"
            f" WHEN s.hostname = q.host AND NOT EXISTS (SELECT 1 FROM {table} o"
            " WHERE o.hostname = s.hostname AND o.id <> s.id) THEN 2"
            " WHEN s.is_default_site THEN 3 END"
        )
        # The host and port are two parameters, named once (``q``): a list repeats this
        # subquery up to six times, and psycopg converts a statement's placeholders once per
        # connection only when it has at most 50 parameters.
        return (
            f"(SELECT r.id FROM (SELECT s.id, {rank} AS site_rank FROM {table} s,"
            " (SELECT CAST(%s AS varchar(255)) AS host, CAST(%s AS integer) AS port) q"
            " WHERE s.hostname = q.host OR s.is_default_site) r"
            " WHERE r.site_rank IS NOT NULL ORDER BY r.site_rank LIMIT 1)",
            [self.hostname, self.port],
        )


def site_sql(site):
    """``(sql, params)`` naming ``site`` in hand-written SQL: a ``SiteOfHost``'s subquery, or
    a Site's (or an id's) parameter."""
    if isinstance(site, SiteOfHost):
        return site.sql()
    return "%s", [getattr(site, "pk", site)]


def site_key(site):
    """What a query filters ``site_id`` by: a Site's id, an id, or a ``SiteOfHost``'s
    expression."""
    if isinstance(site, SiteOfHost):
        return site.expression()
    return getattr(site, "pk", site)


def site_id_for(hostname, port):
    """The site that answers ``hostname:port`` (``SiteOfHost``: no query until it is read)."""
    return SiteOfHost(hostname, port)


def site_id_for_request(request):
    """``site_id_for`` the request's host (checked against ``ALLOWED_HOSTS``) and port."""
    return site_id_for(split_domain_port(request.get_host())[0], int(request.get_port()))
