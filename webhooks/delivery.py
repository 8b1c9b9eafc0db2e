"""Building, signing and sending one webhook POST."""

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from cms.api import registry
from cms.language import SUPPORTED_LANGUAGES
from cms.translations import reader_states

from . import destinations

SIGNATURE_HEADER = "X-Webhook-Signature"
USER_AGENT = "clinic-cms-webhooks/1"
# The delivery log keeps this much of a failed response and of an error, no more.
EXCERPT_CHARS = 200
ERROR_CHARS = 300
EXCERPT_READ_BYTES = 1024


def options():
    defaults = {"TIMEOUT": 5.0, "MAX_ATTEMPTS": 5, "BACKOFF_SECONDS": 10.0}
    return {**defaults, **getattr(settings, "WEBHOOKS", {})}


def sign(secret, body):
    """``sha256=<hex>``: HMAC-SHA256 of the exact request body with the endpoint's secret."""
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def backoff_seconds(attempt):
    """Delay before the attempt after ``attempt``: doubles each time."""
    return options()["BACKOFF_SECONDS"] * (2 ** (attempt - 1))


def page_event(event, page, with_urls=True, changed_languages=None):
    """The payload of ``event`` for ``page``: ``{event, id, type, urls, timestamp}``, or None.

    Pages the API does not publish (the tree root, unknown types) raise no event.
    ``with_urls=False`` (a page readers may not see) sends every URL as null.
    ``changed_languages`` (a publish, or a language released or withdrawn): the payload
    adds ``languages`` (each language's state for readers, as the API's
    ``translations[lang].state``) and ``changed_languages`` (whose text readers get changed).
    """
    page_type = registry.for_page(page)
    if page_type is None:
        return None
    urls = {lang: None for lang in SUPPORTED_LANGUAGES}
    for lang in SUPPORTED_LANGUAGES if with_urls else ():
        with translation.override(lang):
            try:
                urls[lang] = page.get_full_url()
            except Exception:  # a page outside any site has no public URL
                urls[lang] = None
    payload = {
        "event": event,
        "id": page.pk,
        "type": page_type.name,
        "urls": urls,
        "timestamp": timezone.now().isoformat(),
    }
    if changed_languages is not None:
        states = reader_states(page)
        payload["languages"] = {lang: states[lang]["state"] for lang in SUPPORTED_LANGUAGES}
        payload["changed_languages"] = [
            lang for lang in SUPPORTED_LANGUAGES if lang in changed_languages
        ]
    return payload


def encode(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def new_event_id():
    return str(uuid.uuid4())


def post(endpoint, event_id, body):
    """Send one signed POST to the addresses ``destinations.check`` approved; an ``Attempt``.

    The connection goes to a checked address while the request names the endpoint's host
    (Host header, TLS server name and certificate check); redirects are not followed.
    """
    payload = json.loads(body)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(endpoint.secret, body),
        "X-Webhook-Event": payload.get("event", ""),
        "X-Webhook-Id": event_id,
    }
    timeout = options()["TIMEOUT"]
    started = time.monotonic()
    # The log is read in English whatever language the editor who published uses.
    with translation.override("en"):
        try:
            destination = destinations.check(endpoint.url)
        except destinations.NotFound as exc:
            return Attempt(None, excerpt(str(exc.message), ERROR_CHARS), "", _ms(started))
        except destinations.Refused as exc:
            message = excerpt(f"Refused: {exc.message}", ERROR_CHARS)
            return Attempt(None, message, "", _ms(started), final=True)
    try:
        response_code, text = _send(destination, body.encode(), headers, timeout)
    except TimeoutError:
        return Attempt(None, f"Timed out after {timeout} s", "", _ms(started))
    except (OSError, http.client.HTTPException) as exc:
        return Attempt(None, excerpt(f"{type(exc).__name__}: {exc}", ERROR_CHARS), "", _ms(started))
    if 200 <= response_code < 300:
        return Attempt(response_code, "", "", _ms(started))
    error = f"HTTP {response_code}"
    if 300 <= response_code < 400:
        error += ": redirects are not followed"
    return Attempt(response_code, error, excerpt(text), _ms(started))


@dataclass(frozen=True)
class Attempt:
    """What one POST came to: the log keeps all of it. ``final``: retrying cannot help."""

    response_code: int | None
    error: str
    response_excerpt: str
    duration_ms: int
    final: bool = False


def excerpt(text, limit=EXCERPT_CHARS):
    """``text`` as one short line: control and format characters out, at most ``limit`` long.

    Receivers' answers are theirs: the log keeps only this much of one, to explain a failure.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


class PinnedConnection(http.client.HTTPConnection):
    """HTTP to one checked address; the request still names the endpoint's host."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedTLSConnection(PinnedConnection):
    """HTTPS to one checked address, with SNI and the certificate checked for the host name."""

    default_port = 443

    def connect(self):
        super().connect()
        self.sock = tls_context().wrap_socket(self.sock, server_hostname=self.host)


def tls_context():
    """Certificates are verified against the system's trusted authorities and the host name."""
    return ssl.create_default_context()


def _send(destination, data, headers, timeout):
    """POST to the first checked address that accepts a connection; ``(status, excerpt bytes)``."""
    connection_class = PinnedTLSConnection if destination.scheme == "https" else PinnedConnection
    last_error = None
    for address in destination.addresses:
        connection = connection_class(destination.host, destination.port, address, timeout)
        try:
            connection.connect()
        except TimeoutError:
            connection.close()
            raise
        except OSError as exc:
            connection.close()
            last_error = exc
            continue
        try:
            connection.request("POST", destination.target, body=data, headers=headers)
            response = connection.getresponse()
            # Only the start of the answer is read: the log never holds a whole body.
            return response.status, response.read(EXCERPT_READ_BYTES)
        finally:
            connection.close()
    raise last_error


def _ms(started):
    return int((time.monotonic() - started) * 1000)
