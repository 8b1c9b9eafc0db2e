"""Publish, unpublish and delete of a page notify every active endpoint, after the commit.

Nothing here may break an editor's action: the event is built inside a
``try``, sending is queued with ``transaction.on_commit(robust=True)`` so a
rolled-back publish sends nothing, and the delivery itself runs as a
background task.
"""

import logging

from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.visibility import visible_ids

from .delivery import encode, new_event_id, page_event

logger = logging.getLogger(__name__)


def enqueue_event(payload):
    """Queue one delivery task per active endpoint (called after the commit)."""
    from .models import WebhookEndpoint
    from .tasks import deliver_webhook

    body = encode(payload)
    for endpoint_id in WebhookEndpoint.objects.filter(active=True).values_list("pk", flat=True):
        try:
            deliver_webhook.enqueue(endpoint_id, new_event_id(), body)
        except Exception:
            logger.exception("Could not queue webhook %s to endpoint %s", payload, endpoint_id)


def notify(event, page, with_urls=True):
    try:
        payload = page_event(event, page, with_urls=with_urls)
    except Exception:
        logger.exception("Could not build webhook event %s for page %s", event, page.pk)
        return
    if payload is not None:
        transaction.on_commit(lambda: enqueue_event(payload), robust=True)


def _on_published(sender, instance, **kwargs):
    # A page published as private, expired or not yet live is not there for readers: its
    # receivers hear that it is gone, without its addresses (cms.visibility decides).
    try:
        visible = bool(visible_ids([instance.pk]))
    except Exception:
        logger.exception("Could not check the visibility of page %s", instance.pk)
        return
    if visible:
        notify("page.published", instance)
    else:
        notify("page.unpublished", instance, with_urls=False)


def _on_unpublished(sender, instance, **kwargs):
    notify("page.unpublished", instance)


def _on_delete(sender, instance, **kwargs):
    # Deleting a page deletes its base Page row too: notify once, for the specific row.
    if not isinstance(instance, Page) or type(instance) is Page:
        return
    notify("page.deleted", instance)


page_published.connect(_on_published, dispatch_uid="webhooks_page_published")
page_unpublished.connect(_on_unpublished, dispatch_uid="webhooks_page_unpublished")
pre_delete.connect(_on_delete, dispatch_uid="webhooks_page_deleted")
