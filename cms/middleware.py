"""Middleware of the project."""

import hashlib
import logging
import sys
import threading
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.signals import got_request_exception
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import (
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.http.cookie import parse_cookie
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import cc_delim_re, get_max_age
from django.utils.html import format_html
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH

from cms import cache as content_cache
from cms import clock, language, serving
from cms.compression import compress
from cms.language import SUPPORTED_LANGUAGES, from_accept_language
from cms.next_url import is_safe
from cms.visibility import next_change

# Paths that live outside i18n_patterns: they are never redirected to /en/….
UNPREFIXED_PATHS = (
    "/api/",
    "/admin/",
    "/documents/",
    "/sitemap.xml",
    "/robots.txt",
    "/static/",
    "/media/",
)

logger = logging.getLogger(__name__)


class PrefixedLocaleMiddleware(LocaleMiddleware):
    """LocaleMiddleware that never redirects unprefixed routes, and starts them in their language.

    Wagtail's catch-all page route makes every ``/en/<anything>`` look valid,
    so the stock middleware answers a 404 under ``/api/`` with a 302 to
    ``/en/api/…``. API errors must stay JSON 404s. Translation is thread-local
    and outlives the request that activated it, so an unprefixed request still
    activates its own language (``cms.language.unprefixed_request_language``):
    otherwise a worker renders the admin login in the language of the public
    page it served last.
    """

    def process_request(self, request):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            request.LANGUAGE_CODE = language.unprefixed_request_language(
                request.path_info, request.headers.get("Accept-Language")
            )
            translation.activate(request.LANGUAGE_CODE)
            return None
        redirect = serving.composed_address_redirect(request)
        if redirect is not None:  # the site's addresses are composed (NFC)
            return redirect
        super().process_request(request)
        if not translation.get_language_from_path(request.path_info) and not _cookie_language(
            request
        ):
            # Where a reader lands (``/`` → ``/vi/``): Accept-Language read as the API reads
            # it (``cms.language``), a ``q=0`` language never chosen.
            request.LANGUAGE_CODE = language.negotiate(
                accept_language=request.headers.get("Accept-Language")
            )
            translation.activate(request.LANGUAGE_CODE)
        return None

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)


def _cookie_language(request):
    """The supported language of Django's language cookie, which outranks Accept-Language."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return code if code in SUPPORTED_LANGUAGES else None


PUBLIC_PREFIXES = tuple(f"/{code}/" for code in SUPPORTED_LANGUAGES)
API_PREFIX = "/api/v1/"
# Responses made from what readers may see: their lifetime ends at the next go-live or expiry.
CONTENT_PATHS = (*PUBLIC_PREFIXES, API_PREFIX, "/sitemap.xml")
# Never cached: drafts behind a token, the schema and its browser (no content in them), and
# sync (each answer depends on its token and on what changed since: readmodel.sync).
API_UNCACHED = ("/api/v1/preview", "/api/v1/docs", "/api/v1/openapi.json", "/api/v1/sync")


def is_content(path):
    """True for a response made from what readers may see (not the API's schema or preview)."""
    return path.startswith(CONTENT_PATHS) and not path.startswith(API_UNCACHED)


# Where ContentCacheApp leaves its lookup for ContentCacheMiddleware: (key, timeout, since).
ENVIRON_KEY = "cms.content_cache"
# What a 304 from the cache repeats of the stored 200 (RFC 9110 §15.4.5), security headers included.
NOT_MODIFIED_HEADERS = {
    "etag",
    "last-modified",
    "cache-control",
    "content-language",
    "vary",
    "strict-transport-security",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "access-control-allow-origin",
    "content-security-policy",
    "x-frame-options",
}


def _etag_matches(if_none_match, etag):
    parts = (if_none_match or "").split(",")
    candidates = [c.strip().removeprefix("W/") for c in parts if c.strip()]
    return bool(etag) and ("*" in candidates or etag in candidates)


def _cors_origin(environ):
    """The part of the key CORS headers depend on: an allowed Origin, or "-" for any other."""
    origin = environ.get("HTTP_ORIGIN")
    if not origin:
        return ""
    if getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False) or getattr(
        settings, "CORS_ALLOWED_ORIGIN_REGEXES", None
    ):
        return origin
    return origin if origin in getattr(settings, "CORS_ALLOWED_ORIGINS", ()) else "-"


def has_session(environ):
    """True when the request carries a session cookie, read the way Django reads cookies.

    ``parse_cookie`` is what builds ``request.COOKIES``: spaces around names, several
    cookies and repeated names are read as Django reads them. A name that differs only
    in case counts too: such a request is never answered from or stored in the cache.
    """
    name = settings.SESSION_COOKIE_NAME.lower()
    try:
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    except Exception:  # a header Django cannot read: treat it as personal
        return True
    return any(key.strip().lower() == name for key in cookies)


def _api_query(query):
    """The API query string as one canonical form: parameters sorted, ``lang`` lower-cased.

    ``?lang=VI&type=article`` and ``?type=article&lang=vi`` share one entry; an unknown
    parameter is a 400 (never stored), so junk cannot add entries beyond the API's own.
    """
    pairs = parse_qsl(query, keep_blank_values=True)
    pairs = [(k, v.lower() if k == "lang" else v) for k, v in pairs]
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def cache_key(environ):
    """The cache key of a cacheable request and its timeout, or ``(None, 0)``.

    Read from the WSGI environ (``request.META`` is the same dict), so the WSGI
    layer and the middleware compute the same key. Only anonymous GETs without
    a session cookie are cacheable: public pages without a query string, and API
    reads. The key holds everything the stored response depends on: scheme (and
    the proxy's forwarded scheme), host, path and the canonical query (API), the
    language Accept-Language negotiates to (API) and the CORS origin. A host
    Django would refuse (``ALLOWED_HOSTS``) or a plain-HTTP request that
    production redirects never gets a 200 stored, so it is never answered here.
    """
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):  # HEAD reads what GET stored
        return None, 0
    if has_session(environ):
        return None, 0
    path = environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    if path.startswith(PUBLIC_PREFIXES) and not query:
        kind, timeout = "page", settings.PAGE_CACHE_SECONDS
    elif path.startswith(API_PREFIX) and not path.startswith(API_UNCACHED):
        kind, timeout = "api", settings.API_CACHE_SECONDS
    else:
        return None, 0
    if timeout <= 0:  # this kind is not cached: nothing more to read
        return None, 0
    accept = ""
    if kind == "api":
        accept = from_accept_language(environ.get("HTTP_ACCEPT_LANGUAGE")) or ""
        query = _api_query(query)
    parts = (
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_X_FORWARDED_PROTO", ""),
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("SCRIPT_NAME", ""),
        path,
        query,
        accept,
        _cors_origin(environ),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{kind}:{digest}", timeout


def lookup(key, path=""):
    """``(since, entry)``: the purge counter and the stored response still valid, or ``None``.

    The counter, the entry and its tags are read together (``cms.cache.read``: one round
    trip on Redis), before anything the response is made of. ``since`` is ``None`` when the
    cache cannot be reached.
    """
    since, entry = content_cache.read(key)
    if since is None or entry is None or len(entry) != 6:
        return since, None
    valid_until = entry[4]
    if valid_until is not None and clock.now() >= valid_until:  # a page expired or went live
        return since, None
    return since, entry


_next_change_kept = {"version": None, "since": None, "at": None}
_next_change_lock = threading.Lock()


def valid_until(version):
    """When content made now stops being right with time alone (``cms.visibility.next_change``).

    Kept per purge counter (``cms.cache``: every publish moves it) while that moment is
    still ahead: one query per process, per publish and per go-live or expiry, not one per
    response.
    """
    now = clock.now()
    with _next_change_lock:
        kept = dict(_next_change_kept)
    fresh = (
        version is not None
        and kept["version"] == version
        and kept["since"] <= now
        and (kept["at"] is None or now < kept["at"])
    )
    if fresh:
        return kept["at"]
    at = next_change(now)
    with _next_change_lock:
        _next_change_kept.update(version=version, since=now, at=at)
    return at


def seconds_left(moment):
    """Whole seconds from now until ``moment`` (None: no end)."""
    if moment is None:
        return None
    return max(0, int((moment - clock.now()).total_seconds()))


def bound_cache_control(value, remaining):
    """``Cache-Control`` whose lifetimes (``stale-while-revalidate`` too) end within ``remaining``.

    A downstream cache may serve a response for ``max-age`` plus
    ``stale-while-revalidate`` (or ``stale-if-error``) seconds: all of it must end
    by the next go-live or expiry, so none of them serves a page past its expiry.
    """
    if not value or remaining is None:
        return value
    directives = []
    max_age = None
    for part in cc_delim_re.split(value):
        name, _, number = part.partition("=")
        name = name.strip().lower()
        if name in ("max-age", "s-maxage") and number.strip().isdigit():
            max_age = min(int(number), remaining)
            part = f"{name}={max_age}"
        directives.append((name, number, part))
    out = []
    for name, number, part in directives:
        if name in ("stale-while-revalidate", "stale-if-error") and number.strip().isdigit():
            part = f"{name}={min(int(number), max(0, remaining - (max_age or 0)))}"
        out.append(part)
    return ", ".join(out)


def _bound_headers(headers, remaining):
    return [
        (k, bound_cache_control(v, remaining) if k.lower() == "cache-control" else v)
        for k, v in headers
    ]


def _not_modified(environ, headers):
    """RFC 9110 §13.2.2: If-None-Match decides when sent, else If-Modified-Since."""
    found = {k.lower(): v for k, v in headers}
    if environ.get("HTTP_IF_NONE_MATCH"):
        return _etag_matches(environ["HTTP_IF_NONE_MATCH"], found.get("etag"))
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE") or "")
    modified = parse_http_date_safe(found.get("last-modified") or "")
    return since is not None and modified is not None and modified <= since


def replay(environ, entry):
    """``(status, headers, body)`` of a stored entry; a 304 when the client's copy is current.

    A HEAD gets the same status and headers (``Content-Length`` included) with no body.
    ``Cache-Control`` is shortened to what is left until the entry's ``valid_until``.
    """
    _since, status, headers, content, until, _tags = entry
    headers = _bound_headers(headers, seconds_left(until))
    if _not_modified(environ, headers):
        kept = [(k, v) for k, v in headers if k.lower() in NOT_MODIFIED_HEADERS]
        return 304, [*kept, (ContentCacheMiddleware.header, "hit")], b""
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    headers += [("Content-Length", str(len(content))), (ContentCacheMiddleware.header, "hit")]
    return status, headers, b"" if environ.get("REQUEST_METHOD") == "HEAD" else content


class ContentCacheApp:
    """WSGI wrapper that answers content-cache hits before Django handles the request.

    A hit costs building the key and one cache round trip: no request object, no
    middleware, no URL resolving. The stored response already carries every header
    the full stack added below the compression (the middleware that stores it is
    the outermost but one), and ``compress`` applies the same gzip rule as
    ``cms.compression.CompressionMiddleware``, so a hit is the response Django
    would send. A miss goes on to Django
    with the lookup in the environ, so the middleware does not look again.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        key, timeout = cache_key(environ)
        if key:
            version, entry = lookup(key, environ.get("PATH_INFO", ""))
            if entry is not None:
                status, headers, body = replay(environ, entry)
                headers, body = compress(environ.get("HTTP_ACCEPT_ENCODING"), status, headers, body)
                start_response(f"{status} {HTTPStatus(status).phrase}", headers)
                return [body]
            environ[ENVIRON_KEY] = (key, timeout, version)
        return self.application(environ, start_response)


def content_tags(response):
    """Tag a content response for purging (``cms.cache``); every one also carries ``site``.

    A response that names no tag (the sitemap, another endpoint) may show pages without
    saying which: ``pages``, purged by any document change. Lists of pages name theirs
    (``cms.cache.list_tags``).
    """
    tags = content_cache.tags_of(response) or [content_cache.PAGES]
    return content_cache.set_tags(response, [*tags, content_cache.SITE])


class ContentCacheMiddleware:
    """Store anonymous GETs of public pages and API reads in Django's cache; serve the hits.

    It sits right below ``CompressionMiddleware``, so what it stores is the final,
    uncompressed response with every header. Only responses that are the same for
    every anonymous reader are stored: 200s without cookies and not marked
    private, for requests without a session (editors see the user bar). Each
    entry carries its tags (the response's ``Surrogate-Key``, see ``cms.cache``) and
    the purge counter read before it was made, so a publish, unpublish, move or delete
    purges the responses that show that page, and only those, on the very next request.
    In production ``ContentCacheApp``
    (``cms.wsgi``) answers hits before Django runs; this middleware answers them
    where the WSGI layer is not in front (the test client, ``runserver``). A hit
    still answers ``If-None-Match`` and ``If-Modified-Since`` with a 304.
    """

    header = "X-Cache"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        looked_up = request.META.pop(ENVIRON_KEY, None)
        if looked_up is not None:
            key, timeout, version = looked_up
        else:
            key, timeout = cache_key(request.META)
            if not key:
                response = self.get_response(request)
                if is_content(request.path_info) and response.status_code == 200:
                    content_tags(response)
                if is_content(request.path_info) and response.has_header("Cache-Control"):
                    complete = content_cache.bound_is_complete(response)
                    version = None if complete else content_cache.counter()
                    self.bound_lifetime(request, response, version)
                return response
            version, entry = lookup(key, request.path)
            if entry is not None:
                status, headers, body = replay(request.META, entry)
                if status == 304:
                    response = HttpResponseNotModified()
                else:
                    response = HttpResponse(body, status=status)
                for name, value in headers:
                    response[name] = value
                return response
        response = self.get_response(request)
        if response.status_code == 200:
            content_tags(response)
        until = self.bound_lifetime(request, response, version)
        if until is False or version is None or not self.storable(request, response):
            return response  # not a 200, the cache is down, or not the same for everyone
        remaining = seconds_left(until)
        if remaining is not None:
            timeout = min(timeout, remaining)
        if timeout > 0:
            tags = content_cache.tags_of(response)
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            entry = (version, response.status_code, headers, response.content, until, tags)
            content_cache.store(key, entry, timeout)
            response[self.header] = "miss"
        return response

    @staticmethod
    def bound_lifetime(request, response, version):
        """Shorten a content 200's ``Cache-Control`` to the next go-live or expiry, or to
        the response's own end (``cms.cache.set_valid_until``) when sooner.

        Every public page, sitemap and API read, stored here or not (a page asked for
        with a query string is rendered each time, yet a downstream cache keeps it for
        its ``max-age``). Returns that moment (None: none ahead), or False when there
        is nothing to bound or it cannot be read (then nothing may be stored).
        """
        if response.status_code != 200 or response.streaming:
            return False
        try:
            # A stored document's end is its own (``cms.cache.set_valid_until``).
            until = None if content_cache.bound_is_complete(response) else valid_until(version)
        except DATABASE_ERRORS:
            logger.exception("Could not read the next go-live or expiry for %s.", request.path)
            return False
        own = content_cache.valid_until_of(response)  # e.g. a review falling due
        if own is not None:
            until = own if until is None else min(until, own)
        if response.has_header("Cache-Control"):
            remaining = seconds_left(until)
            response["Cache-Control"] = bound_cache_control(response["Cache-Control"], remaining)
        return until

    @staticmethod
    def storable(request, response):
        """True when ``response`` is the same for every anonymous reader, by its own headers.

        Not for a signed-in user (editor bar, admin links, previews), not with cookies
        set, not when its ``Cache-Control`` says private, no-store, no-cache or no
        lifetime, not when it varies on everything (``Vary: *``) or on cookies the
        request actually sent.
        """
        if request.META.get("REQUEST_METHOD") != "GET":  # a HEAD's response has no body
            return False
        user = getattr(request, "user", None)
        if response.cookies or (user is not None and user.is_authenticated):
            return False
        control = {
            part.split("=", 1)[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if control & {"private", "no-store", "no-cache"}:
            return False
        if response.has_header("Cache-Control") and not get_max_age(response):
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
        if "*" in vary or ("cookie" in vary and request.COOKIES):
            return False
        return True


class HeadMiddleware:
    """HEAD answered as GET without the body (RFC 9110 §9.3.2); the read-only API's 405s in JSON.

    Django's views answer HEAD where they allow it, but django-ninja's operations
    allow only the methods they declare, so every API read answered HEAD with an
    HTML 405. Here a HEAD runs as a GET, everywhere, and loses its body on the way
    out (WSGI servers are not all trusted to drop it), keeping the GET's
    ``Content-Length``. Under ``/api/``, any other method is a JSON 405 naming
    the allowed ones, like every other API error.
    """

    API_ALLOWED = "GET, HEAD"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            response = self.get_response(request)
            if response.status_code == 405 and request.path_info.startswith("/api/"):
                return self._api_method_not_allowed(request)
            return response
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.streaming_content = []
        else:
            length = len(response.content)
            response.content = b""
            if response.status_code != 304:
                response["Content-Length"] = str(length)
        return response

    def _api_method_not_allowed(self, request):
        detail = f"{request.method} is not allowed: the API is read-only ({self.API_ALLOWED})."
        response = JsonResponse({"detail": detail}, status=405)
        response["Allow"] = self.API_ALLOWED
        return response


DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER = "5"
# SQLite raises OperationalError for mistakes in a query too (FTS5's included): those are
# bugs to see as 500s in the logs, not an outage to hide behind a 503.
QUERY_MISTAKES = (
    "no such column",
    "no such table",
    "syntax error",
    "has no column named",
    "unterminated string",
    "fts5:",
)


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
    database options that happens fast, so the reader gets a quick 503. Django closes a
    connection whose request raised such an error when the request ends, so the next
    request after the database is back reconnects (no ``CONN_HEALTH_CHECKS`` needed).
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


ADMIN_PREFIX = "/admin/"
# What the database (or a model's clean, run again at save) says when a write is refused.
REFUSALS = (IntegrityError, ProtectedError, RestrictedError, ValidationError)


class AdminRefusalMiddleware:
    """A write the admin's forms could not foresee ends in a message, never a 500.

    Forms and hooks check what they can (``cms.slugs``, ``cms.deletion``, model
    ``clean``/``validate_constraints``); what is left is a race (another editor
    took the slug or reviewed with the doctor a moment ago) or a path Wagtail
    runs without a form (approving a workflow publishes a revision). Each admin
    POST runs in one transaction, so a refusal rolls back everything the request
    wrote; the editor is sent back to the page they came from with the reason.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def applies(request):
        return request.method not in ("GET", "HEAD", "OPTIONS") and request.path_info.startswith(
            ADMIN_PREFIX
        )

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
        refusal = getattr(request, "_admin_refusal", None)
        # Worded once the transaction is rolled back: describing the refusal reads the database.
        return self.refused(request, refusal) if refusal is not None else response

    def process_exception(self, request, exception):
        if not self.applies(request) or not isinstance(exception, REFUSALS):
            return None
        transaction.set_rollback(True)
        logger.warning("Admin write refused at %s: %r", request.path, exception)
        request._admin_refusal = exception
        return HttpResponse(status=409)  # replaced in __call__

    def refused(self, request, exception):
        from wagtail.admin.utils import get_valid_next_url_from_request

        message = refusal_message(exception)
        if not request.accepts("text/html"):
            return JsonResponse({"success": False, "error": str(message)}, status=409)
        messages.error(request, message)
        back = get_valid_next_url_from_request(request)
        referer = request.META.get("HTTP_REFERER", "")
        if not back and is_safe(referer, request):
            back = referer
        return HttpResponseRedirect(back or request.get_full_path())


class AdminSearchLengthMiddleware:
    """Every admin search reads at most Wagtail's own query length (255 characters).

    Wagtail bounds a query only where it stores one (search promotions); its admin
    listings, choosers and the page search hand whatever ``q`` holds to the query
    parser and the search backend, so a 10 KB query costs a 10 KB parse and index scan
    (the class of CVE-2024-39317). One rule for every admin view: ``q`` is cut to
    ``MAX_QUERY_STRING_LENGTH`` before any view reads it, and the search box shows
    what was searched for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            query = request.GET.get("q")
            if query is not None and len(query) > MAX_QUERY_STRING_LENGTH:
                bounded = request.GET.copy()
                bounded["q"] = query[:MAX_QUERY_STRING_LENGTH]
                request.GET = QueryDict(bounded.urlencode())
        return self.get_response(request)


def refusal_message(exception):
    """The editor's explanation of a refused write, in the admin language."""
    from cms.deletion import refusal_message as deletion_refusal

    if isinstance(exception, ProtectedError):
        return deletion_refusal(None, exception.protected_objects)
    if isinstance(exception, RestrictedError):
        return deletion_refusal(None, exception.restricted_objects)
    nothing_saved = gettext(
        "Nothing was saved: another change made at the same moment conflicts with yours."
    )
    if isinstance(exception, ValidationError):
        return format_html(
            "{} {} {}",
            nothing_saved,
            " ".join(_validation_messages(exception)),
            gettext("Check the content and try again."),
        )
    return format_html("{} {}", nothing_saved, gettext("Check the content and try again."))


def _validation_messages(error):
    if hasattr(error, "error_dict"):
        return [str(m) for messages_ in error.message_dict.values() for m in messages_]
    return [str(m) for m in error.messages]
