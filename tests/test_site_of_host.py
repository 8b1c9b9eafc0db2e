"""The site of a request's host, named inside a read's one query, is the site Wagtail picks.

``cms.sites.SiteOfHost`` names it in SQL (``sql``, for the read model's hand-written reads)
and as an ORM expression (``expression``); both must make the choice of Wagtail's own
``get_site_for_hostname`` for every host and port, whatever sites share a hostname and
whichever is the default, or a detail would be read from another site's documents.
"""

import pytest
from django.db import connection
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from cms.sites import SiteOfHost

pytestmark = pytest.mark.django_db

HOSTS = [
    ("clinic.example", 80),
    ("clinic.example", 8080),
    ("clinic.example", 9999),
    ("solo.example", 443),
    ("solo.example", 80),
    ("default.example", 80),
    ("default.example", 81),
    ("nobody.example", 80),
]


def _wagtail(hostname, port):
    try:
        return get_site_for_hostname(hostname, port).pk
    except Site.DoesNotExist:
        return None


def _by_sql(hostname, port):
    sql, params = SiteOfHost(hostname, port).sql()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0]


def _by_expression(hostname, port):
    chosen = Site.objects.annotate(chosen=SiteOfHost(hostname, port).expression())
    return chosen.values_list("chosen", flat=True).first()


@pytest.mark.parametrize("with_default", [True, False], ids=["a default site", "no default"])
def test_sql_and_expression_choose_the_site_wagtail_chooses(with_default):
    Site.objects.all().delete()
    root = Page.get_first_root_node()
    for hostname, port, default in (
        ("clinic.example", 80, False),
        ("clinic.example", 8080, False),
        ("solo.example", 443, False),
        ("default.example", 80, with_default),
    ):
        Site.objects.create(hostname=hostname, port=port, root_page=root, is_default_site=default)
    answers = {}
    for hostname, port in HOSTS:
        expected = _wagtail(hostname, port)
        answers[(hostname, port)] = expected
        assert _by_sql(hostname, port) == expected, (hostname, port)
        assert _by_expression(hostname, port) == expected, (hostname, port)
    # The cases are all there: a port match, a shared hostname without one (the default
    # site, or none), a hostname of its own on another port, and an unknown host.
    default = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    solo = Site.objects.get(hostname="solo.example").pk
    assert answers[("solo.example", 80)] == solo
    assert answers[("clinic.example", 9999)] == default
    assert answers[("nobody.example", 80)] == default
    assert answers[("clinic.example", 8080)] == Site.objects.get(port=8080).pk
