"""Query-parameter rules shared by every endpoint."""

from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from cms.sites import site_id_for_request

from .context import ApiContext
from .errors import ApiError

# Ids are 32-bit in the schema: a larger number is a 4xx, not a database overflow.
MAX_ID = 2**31 - 1


def reject_unknown_params(request, allowed):
    """A misspelt filter (``?typ=therapy``) is a 400 naming the allowed ones, not ignored."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise ApiError(
            400,
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(allowed))}.",
        )


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise ApiError(404, "No site is configured for this host.")
    return site


def api_context(request, lang):
    """The request's context; its site is read only when used (document reads name it in SQL)."""
    site = SimpleLazyObject(lambda: _site(request))
    return ApiContext(request, site, lang, site_id=site_id_for_request(request))
