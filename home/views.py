"""Error pages of the public site: 404 and 500 in the reader's language and the site's layout.

The language is the URL's prefix (``/vi/…``), as for every public page. Under
``/api/`` errors stay JSON, like every other API answer.
"""

import logging

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils import translation
from django.views import defaults

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from home import contact

logger = logging.getLogger(__name__)
API_PREFIX = "/api/"


def _language_of(path):
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def page_not_found(request, exception):
    """404 in the site's layout (navigation and footer read as on any page); JSON under /api/."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    with translation.override(_language_of(request.path_info)):
        response = defaults.page_not_found(request, exception, template_name="404.html")
        response["Content-Language"] = translation.get_language()
    response["Cache-Control"] = "no-cache"
    return response


def server_error(request):
    """500 that renders with the database down: no query, no context processor, no session.

    The header and the footer come from ``home.contact``'s copy of the clinic's
    contact details, the home link from the URL's language.
    """
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    lang = _language_of(request.path_info)
    with translation.override(lang):
        context = {"clinic_contact": contact.last_known(lang), "home_url": f"/{lang}/"}
        try:
            body = loader.get_template("500.html").render(context)
        except Exception:  # the page of last resort must never fail itself
            logger.exception("The 500 page could not be rendered.")
            return defaults.server_error(request, template_name="500-missing.html")
    response = HttpResponseServerError(body)
    response["Content-Language"] = lang
    response["Cache-Control"] = "no-store"
    return response
