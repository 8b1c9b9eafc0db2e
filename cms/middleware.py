"""Middleware of the project."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware

from cms.cache import content_version
from cms.language import SUPPORTED_LANGUAGES

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




PUBLIC_PREFIXES = tuple(f"/{code}/" for code in SUPPORTED_LANGUAGES)


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from Django's cache, before most middleware runs.

    Only responses that are the same for every anonymous reader are stored: 200s
    without cookies, for requests without a session (editors see the user bar)
    and without a query string. Keys carry the content version, so a publish,
    unpublish, move or delete is visible on the very next request.
    """

    header = "X-Page-Cache"

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 300)

    def cacheable_request(self, request):
        return (
            self.timeout > 0
            and request.method == "GET"
            and request.path_info.startswith(PUBLIC_PREFIXES)
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = f"page:{content_version()}:{request.path_info}"
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[self.header] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
        ):
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            cache.set(key, (response.status_code, headers, response.content), self.timeout)
            response[self.header] = "miss"
        return response
