"""The background task that delivers a webhook, records the attempt and schedules a retry."""

import json
import logging
import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .delivery import backoff_seconds, options, post
from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)


@task(backend="webhooks")
def deliver_webhook(endpoint_id, event_id, body, attempt=1):
    """POST ``body`` to the endpoint once; on failure schedule the next attempt with backoff."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, active=True).first()
    if endpoint is None:
        return "endpoint inactive or deleted"
    payload = json.loads(body)
    result = post(endpoint, event_id, body)
    # A refused destination fails at once: it breaks a rule, it is not an outage.
    last = result.final or attempt >= options()["MAX_ATTEMPTS"]
    if not result.error:
        status = WebhookDelivery.Status.SUCCEEDED
    else:
        status = WebhookDelivery.Status.FAILED if last else WebhookDelivery.Status.RETRYING
    delay = backoff_seconds(attempt)
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=event_id,
        event=payload.get("event", ""),
        page_id=payload.get("id") or 0,
        payload=payload,
        attempt=attempt,
        status=status,
        response_code=result.response_code,
        error=result.error,
        response_excerpt=result.response_excerpt,
        duration_ms=result.duration_ms,
        next_attempt_at=timezone.now() + timedelta(seconds=delay)
        if status == WebhookDelivery.Status.RETRYING
        else None,
    )
    if status == WebhookDelivery.Status.RETRYING:
        _retry(endpoint_id, event_id, body, attempt + 1, delay)
    return status


def _retry(endpoint_id, event_id, body, attempt, delay):
    backend = deliver_webhook.get_backend()
    if backend.supports_defer:
        deliver_webhook.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            endpoint_id, event_id, body, attempt
        )
    else:
        # A backend without deferral (the immediate one, in tests) retries in place.
        time.sleep(delay)
        deliver_webhook.call(endpoint_id, event_id, body, attempt)
