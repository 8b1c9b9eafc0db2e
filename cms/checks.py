"""System checks of the project.

Absolute URLs (canonical, hreflang, the sitemap, robots.txt, the API's ``url``,
JSON-LD, webhooks) come from the default Wagtail Site's hostname and port. Wagtail
creates that Site as ``localhost`` on port 80, and every link then points there
without any error, so a deployment that still has it is refused: ``check --deploy``
fails, and production's WSGI start-up (``cms.wsgi``) raises.
"""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

PLACEHOLDER_ADDRESS = ("localhost", 80)
SITE_ADDRESS_TAG = "site_address"


@checks.register(SITE_ADDRESS_TAG, deploy=True)
def site_address_is_real(app_configs=None, **kwargs):
    """An error while the default Site is Wagtail's placeholder address (localhost, port 80)."""
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    except DatabaseError:
        return []  # not migrated yet, or unreachable: there is no address to check
    if site is None or (site.hostname, site.port) != PLACEHOLDER_ADDRESS:
        return []
    return [
        checks.Error(
            "The default site's address is still Wagtail's placeholder http://localhost/: "
            "canonical links, hreflang, the sitemap and the API's URLs would all point there.",
            hint="Run `manage.py set_site_address HOST PORT` with the address the site is "
            "served at (or set it under Settings → Sites).",
            obj=site,
            id="cms.E001",
        )
    ]


def refuse_placeholder_site():
    """Raise ImproperlyConfigured at start-up when ``site_address_is_real`` finds an error."""
    errors = checks.run_checks(tags=[SITE_ADDRESS_TAG], include_deployment_checks=True)
    serious = [error for error in errors if error.is_serious()]
    if serious:
        raise ImproperlyConfigured("\n".join(f"{e.msg} {e.hint}" for e in serious))
