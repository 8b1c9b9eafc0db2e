"""Middleware of the project."""

from django.middleware.locale import LocaleMiddleware

# Paths that live outside i18n_patterns: they are never redirected to /en/….
UNPREFIXED_PATHS = ("/api/", "/admin/", "/documents/", "/sitemap.xml", "/static/", "/media/")


class PrefixedLocaleMiddleware(LocaleMiddleware):
    """LocaleMiddleware that leaves unprefixed routes alone.

    Wagtail's catch-all page route makes every ``/en/<anything>`` look valid,
    so the stock middleware answers a 404 under ``/api/`` with a 302 to
    ``/en/api/…``. API errors must stay JSON 404s, and the admin keeps the
    editor's own admin language.
    """

    def process_request(self, request):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)


