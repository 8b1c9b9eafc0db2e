"""The ``/api/v1/`` URL map: one NinjaAPI, its routers, and a JSON 404 for everything else.

The stock Wagtail v2/v3 APIs are deliberately not mounted: they ignore
``?lang=`` and the visibility rules of this API.
"""

from django.urls import path, re_path
from ninja import NinjaAPI

from . import errors, pages, registry

# Apps' api.py modules registered their page types and routers (cms.api.apps) before
# pages.py, whose schemas name every page type, was first imported.

api = NinjaAPI(
    title="Clinic content API",
    version="1",
    description=(
        "Read-only, localised content of the clinic's site (English and Vietnamese).\n\n"
        "* Language: `?lang=` wins, then `Accept-Language`, then English; `lang=all` returns "
        "every language of one page.\n"
        "* Every response has `ETag` (send `If-None-Match` for a 304), `Cache-Control`, "
        "`Content-Language` and `Vary: Accept-Language`.\n"
        '* Errors are JSON `{"detail": …}` with a 4xx status.\n'
        "* Only live, public pages are visible; drafts only through a preview token."
    ),
    urls_namespace="content-api",
)
errors.install(api)
api.add_router("/", pages.router)
for router in registry.routers():
    api.add_router("/", router)

urlpatterns = [
    path("v1/", api.urls),
    re_path(r"", errors.not_found_view),
]
