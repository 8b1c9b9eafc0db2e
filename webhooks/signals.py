"""Publish, unpublish and delete of a page notify every active endpoint, after the commit.

A publish is announced once its languages' releases are decided
(``cms.visibility.reader_languages_changed``, sent by the release gate), and so is a
language released or withdrawn on its own: the payload says which languages readers get
and which of them changed.

Nothing here may break an editor's action: the event is built inside a
``try``, sending is queued with ``transaction.on_commit(robust=True)`` so a
rolled-back publish sends nothing, and the delivery itself runs as a
background task.
"""

import logging

from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_unpublished

from cms.visibility import reader_languages_changed, visible_ids

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


def _listened():
    """True when an endpoint is active: without one, no event is built at all."""
    from .models import WebhookEndpoint

    return WebhookEndpoint.objects.filter(active=True).exists()


def notify(event, page, with_urls=True, changed_languages=None):
    try:
        listened = _listened()
    except Exception:
        logger.exception("Could not read the webhook endpoints for page %s", page.pk)
        return
    if listened:
        _notify(event, page, with_urls, changed_languages)


def _notify(event, page, with_urls=True, changed_languages=None):
    try:
        payload = page_event(event, page, with_urls=with_urls, changed_languages=changed_languages)
    except Exception:
        logger.exception("Could not build webhook event %s for page %s", event, page.pk)
        return
    if payload is not None:
        transaction.on_commit(lambda: enqueue_event(payload), robust=True)


# What a change of the languages readers get is announced as: a publish, or one language
# released or withdrawn on its own (``releases``).
EVENTS = {"published": "page.published"}
LANGUAGES_CHANGED = "page.languages_changed"


def _on_languages_changed(sender, instance, languages=(), action="published", **kwargs):
    # A page published as private, expired, not yet live or whose default language did not
    # go live is not there for readers: its receivers hear that it is gone, without its
    # addresses (cms.visibility decides).
    try:
        if not _listened():
            return
        visible = bool(visible_ids([instance.pk]))
    except Exception:
        logger.exception("Could not check the visibility of page %s", instance.pk)
        return
    if visible:
        event = EVENTS.get(action, LANGUAGES_CHANGED)
        _notify(event, instance, changed_languages=list(languages))
    elif action == "published":
        _notify("page.unpublished", instance, with_urls=False)


def _on_unpublished(sender, instance, **kwargs):
    notify("page.unpublished", instance)


def _on_delete(sender, instance, **kwargs):
    # Deleting a page deletes its base Page row too: notify once, for the specific row.
    if not isinstance(instance, Page) or type(instance) is Page:
        return
    notify("page.deleted", instance)


reader_languages_changed.connect(_on_languages_changed, dispatch_uid="webhooks_languages")
page_unpublished.connect(_on_unpublished, dispatch_uid="webhooks_page_unpublished")
pre_delete.connect(_on_delete, dispatch_uid="webhooks_page_deleted")
