"""Building, signing and sending one webhook POST."""

import hashlib
import hmac
import json
import time
import uuid

import requests
from django.conf import settings
from django.utils import timezone, translation

from cms.api import registry
from cms.language import SUPPORTED_LANGUAGES

SIGNATURE_HEADER = "X-Webhook-Signature"
USER_AGENT = "clinic-cms-webhooks/1"


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


def page_event(event, page):
    """The payload of ``event`` for ``page``: ``{event, id, type, urls, timestamp}``, or None.

    Pages the API does not publish (the tree root, unknown types) raise no event.
    """
    page_type = registry.for_page(page)
    if page_type is None:
        return None
    urls = {}
    for lang in SUPPORTED_LANGUAGES:
        with translation.override(lang):
            try:
                urls[lang] = page.get_full_url()
            except Exception:  # a page outside any site has no public URL
                urls[lang] = None
    return {
        "event": event,
        "id": page.pk,
        "type": page_type.name,
        "urls": urls,
        "timestamp": timezone.now().isoformat(),
    }


def encode(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def new_event_id():
    return str(uuid.uuid4())


def post(endpoint, event_id, body):
    """Send one signed POST; returns ``(response_code or None, error text, duration ms)``."""
    payload = json.loads(body)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(endpoint.secret, body),
        "X-Webhook-Event": payload.get("event", ""),
        "X-Webhook-Id": event_id,
    }
    started = time.monotonic()
    try:
        response = requests.post(
            endpoint.url,
            data=body.encode(),
            headers=headers,
            timeout=options()["TIMEOUT"],
            allow_redirects=False,
        )
    except requests.Timeout:
        return None, f"Timed out after {options()['TIMEOUT']} s", _ms(started)
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:2000], _ms(started)
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}: "
    if error:
        error += response.text[:500]
    return response.status_code, error, _ms(started)


def _ms(started):
    return int((time.monotonic() - started) * 1000)
