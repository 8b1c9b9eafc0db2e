"""Middleware of the project."""

import hashlib
import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.locale import LocaleMiddleware

from cms.cache import VERSION_KEY, content_version
from cms.language import SUPPORTED_LANGUAGES, from_accept_language

# Paths that live outside i18n_patterns: they are never redirected to /en/….
UNPREFIXED_PATHS = ("/api/", "/admin/", "/documents/", "/sitemap.xml", "/static/", "/media/")

logger = logging.getLogger(__name__)


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
API_PREFIX = "/api/v1/"
# Never cached: drafts behind a token, and the schema browser (tiny and dynamic).
API_UNCACHED = ("/api/v1/preview", "/api/v1/docs")


def _etag_matches(request, etag):
    header = request.headers.get("If-None-Match", "")
    candidates = [c.strip().removeprefix("W/") for c in header.split(",") if c.strip()]
    return bool(etag) and ("*" in candidates or etag in candidates)


class ContentCacheMiddleware:
    """Serve anonymous GETs of public pages and API reads from Django's cache, early.

    It sits before sessions, locale, CSRF and auth, so a hit costs a cache lookup.
    Only responses that are the same for every anonymous reader are stored: 200s
    without cookies and not marked private, for requests without a session
    (editors see the user bar). Pages are keyed by path (the prefix is the
    language); API reads by path, query string and the language Accept-Language
    negotiates to. Each entry carries the content version it was made under and
    is read together with the current version in one round trip, so a publish,
    unpublish, move or delete is visible on the very next request. An API hit
    still answers ``If-None-Match`` with a 304.
    """

    header = "X-Cache"

    def __init__(self, get_response):
        self.get_response = get_response

    def cache_key(self, request):
        """The cache key of a cacheable request and its timeout, or ``(None, 0)``."""
        if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None, 0
        path = request.path_info
        if path.startswith(PUBLIC_PREFIXES) and not request.META.get("QUERY_STRING"):
            return f"page:{path}", settings.PAGE_CACHE_SECONDS
        if path.startswith(API_PREFIX) and not path.startswith(API_UNCACHED):
            accept = from_accept_language(request.headers.get("Accept-Language")) or ""
            query = request.META.get("QUERY_STRING", "")
            digest = hashlib.sha256(f"{path}?{query}|{accept}".encode()).hexdigest()
            return f"api:{digest}", settings.API_CACHE_SECONDS
        return None, 0

    def lookup(self, request, key):
        """``(current version, stored entry)`` in one cache round trip; version ``None`` if down."""
        try:
            found = cache.get_many([VERSION_KEY, key])
        except Exception:
            logger.exception("Content cache unavailable: could not read %s.", request.path)
            return None, None
        version = found.get(VERSION_KEY)
        if version is None:
            version = content_version()  # first use, or the cache is down (None)
        return version, found.get(key)

    def __call__(self, request):
        key, timeout = self.cache_key(request)
        if not key or timeout <= 0:
            return self.get_response(request)
        version, entry = self.lookup(request, key)
        if version is None:  # the cache is down: serve uncached
            return self.get_response(request)
        # Entries carry the version they were made under; an older one is a miss.
        if entry is not None and entry[0] == version:
            return self.replay(request, *entry[1:])
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        ):
            # A page that expires soon is kept only until its expiry (home.wagtail_hooks).
            timeout = min(timeout, getattr(request, "content_cache_max_seconds", timeout))
            if timeout > 0:
                headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
                entry = (version, response.status_code, headers, response.content)
                try:
                    cache.set(key, entry, timeout)
                except Exception:
                    logger.exception("Content cache unavailable: could not store %s.", request.path)
                response[self.header] = "miss"
        return response

    def replay(self, request, status, headers, content):
        headers = dict(headers)
        if _etag_matches(request, headers.get("ETag")):
            response = HttpResponseNotModified()
            for name in ("ETag", "Cache-Control", "Content-Language", "Vary"):
                if name in headers:
                    response[name] = headers[name]
        else:
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
        response[self.header] = "hit"
        return response


DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER = "5"
# SQLite raises OperationalError for mistakes in a query too: those are bugs to
# see as 500s in the logs, not an outage to hide behind a 503.
QUERY_MISTAKES = ("no such column", "no such table", "syntax error", "has no column named")


def is_database_outage(exc):
    """True when ``exc`` means "cannot reach the database now", not a bug in a query."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    return not any(message in str(exc).lower() for message in QUERY_MISTAKES)


def database_unavailable_response(request):
    """A short 503 with Retry-After: JSON ``{"detail": …}`` under /api/, plain text elsewhere."""
    detail = "The service is temporarily unavailable. Please retry in a few seconds."
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=503)
    else:
        response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = DATABASE_RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def _note_database_error(sender, request=None, **kwargs):
    """got_request_exception receiver: mark requests whose 500 was a database outage."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_outage(exc):
        request._database_unavailable = True


got_request_exception.connect(_note_database_error, dispatch_uid="cms-database-unavailable")


class DatabaseUnavailableMiddleware:
    """Answer 503 + Retry-After, not 500, while the database cannot be reached.

    A restarting PostgreSQL makes connecting (or a query on a dropped connection)
    raise ``OperationalError``/``InterfaceError``; with ``connect_timeout`` in the
    database options that happens fast, so the reader gets a quick 503 and the
    next request after the database is back reconnects (``CONN_HEALTH_CHECKS``).
    Errors raised by a view come through ``process_exception``; errors raised in
    a middleware below this one were already turned into a 500 by Django, so
    they are recognised through ``got_request_exception`` and replaced. Every
    occurrence is logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_unavailable", False):
            return database_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable_response(request)
        return None
