"""Response headers of the API: ETag and 304, Cache-Control, Content-Language, Vary.

The ETag is a hash of the exact JSON sent plus its language, so it changes
whenever a republish changes the content, a linked page changes its title or
URL, or the language changes, and never otherwise.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from pydantic import TypeAdapter

DEFAULT_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
PRIVATE_CACHE_CONTROL = "private, no-store"


@cache
def _adapter(schema):
    return TypeAdapter(schema)


def to_json(schema, data):
    """``data`` validated against the documented schema, as compact UTF-8 JSON.

    Written by pydantic-core in one step: no separators' spaces, no ``\\u`` escapes
    (Vietnamese is sent as UTF-8), dates and times in ISO 8601.
    """
    adapter = _adapter(schema)
    return adapter.dump_json(adapter.validate_python(data), by_alias=True)


def _etag_matches(request, etag):
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    candidates = [c.strip() for c in header.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == etag for c in candidates)


def etag_of(content_language, body):
    """The ETag of ``body`` sent in ``content_language`` (quoted)."""
    digest = hashlib.sha256(content_language.encode() + b"\n" + body).hexdigest()[:32]
    return f'"{digest}"'


def json_response(request, schema, data, *, content_language, cacheable=True):
    """A JSON response with the API's caching headers; 304 when the client's copy is current."""
    body = to_json(schema, data)
    etag = etag_of(content_language, body) if cacheable else None
    return body_response(request, body, content_language=content_language, etag=etag)


def body_response(request, body, *, content_language, etag=None):
    """A response of JSON ``body`` already made; cacheable when it has an ``etag``."""
    headers = {"Content-Language": content_language}
    if etag is not None:
        headers["ETag"] = etag
        headers["Cache-Control"] = getattr(settings, "API_CACHE_CONTROL", DEFAULT_CACHE_CONTROL)
    else:
        headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    if etag is not None and _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ["Accept-Language"])
    return response
