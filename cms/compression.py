"""gzip for HTML, JSON, XML and text responses: one rule for Django's responses and cache hits.

``CompressionMiddleware`` is the outermost middleware, above the content cache, so
the cache stores the uncompressed response (its key does not hold Accept-Encoding)
and each request gets it compressed or not as it asks. ``cms.wsgi.ContentCacheApp``
answers hits before Django runs and calls ``compress`` itself.

Compressed bodies get a few random bytes in the gzip header (Django's BREACH
mitigation, as its ``GZipMiddleware``), and a strong ETag becomes weak: the bytes
differ from the uncompressed representation's.
"""

from django.utils.text import compress_string

# Shorter bodies are not worth compressing (Django's GZipMiddleware uses the same bound).
MIN_LENGTH = 200
MAX_RANDOM_BYTES = 100
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/javascript")


def accepts_gzip(accept_encoding):
    """True when ``Accept-Encoding`` allows gzip: named (or ``*``) without ``q=0``."""
    allowed = {}
    for item in (accept_encoding or "").split(","):
        coding, _, params = item.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        allowed[coding] = quality
    if "gzip" in allowed:
        return allowed["gzip"] > 0
    return allowed.get("*", 0) > 0


def _compressible(content_type):
    media = (content_type or "").split(";")[0].strip().lower()
    return media.startswith(COMPRESSIBLE) or media.endswith(("+json", "+xml"))


def compress(accept_encoding, status, headers, body):
    """``(headers, body)`` of a response as this request should get it.

    ``headers`` is a list of ``(name, value)``. Responses that could be compressed
    say ``Vary: Accept-Encoding`` either way; a body that does not shrink is sent as is.
    """
    names = {name.lower(): value for name, value in headers}
    if (
        status == 304
        or len(body) < MIN_LENGTH
        or "content-encoding" in names
        or not _compressible(names.get("content-type"))
    ):
        return headers, body
    vary = [v.strip() for v in names.get("vary", "").split(",") if v.strip()]
    if "accept-encoding" not in {v.lower() for v in vary} and "*" not in vary:
        vary.append("Accept-Encoding")
    headers = [(k, v) for k, v in headers if k.lower() != "vary"] + [("Vary", ", ".join(vary))]
    if not accepts_gzip(accept_encoding):
        return headers, body
    compressed = compress_string(body, max_random_bytes=MAX_RANDOM_BYTES)
    if len(compressed) >= len(body):
        return headers, body
    kept = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == "content-length":
            continue
        if lowered == "etag" and not value.startswith("W/"):
            value = f"W/{value}"
        kept.append((name, value))
    kept += [("Content-Encoding", "gzip"), ("Content-Length", str(len(compressed)))]
    return kept, compressed


class CompressionMiddleware:
    """gzip for Django's responses (``compress``); streaming responses pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming:
            return response
        before = list(response.items())
        headers, body = compress(
            request.META.get("HTTP_ACCEPT_ENCODING"),
            response.status_code,
            before,
            response.content,
        )
        if body is not response.content:
            response.content = body
        if headers is not before:  # only what changed (a header set costs its encoding)
            after = dict(headers)
            for name, _value in before:
                if name not in after:
                    del response.headers[name]
            for name, value in headers:
                if response.headers.get(name) != value:
                    response[name] = value
        return response
