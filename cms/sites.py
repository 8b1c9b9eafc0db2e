"""The site of a request's host as a database expression, so a read needs no query for it.

The same choice as Wagtail's ``wagtail.models.sites.get_site_for_hostname``: the site with
this hostname and port, else this hostname's default site, else the only site with this
hostname, else the default site (none when several sites share the hostname and none is
the default). Reads of documents filter ``site_id`` by it in their one query.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http.request import split_domain_port
from wagtail.models import Site


def _first(qs):
    return Subquery(qs.order_by().values("pk")[:1])


def site_id_for(hostname, port):
    """The id of the site that answers ``hostname:port``, as an expression (NULL: none)."""
    named = Site.objects.filter(hostname=hostname)
    return Coalesce(
        _first(named.filter(port=port)),
        _first(named.filter(is_default_site=True)),
        _first(named.exclude(Exists(named.exclude(pk=OuterRef("pk"))))),
        _first(Site.objects.filter(is_default_site=True)),
    )


def site_id_for_request(request):
    """``site_id_for`` the request's host (checked against ``ALLOWED_HOSTS``) and port."""
    return site_id_for(split_domain_port(request.get_host())[0], int(request.get_port()))
