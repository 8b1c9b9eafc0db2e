"""Keep the cached red-flag phrase list in step with the snippet, and the live status of pages
in step with what is published."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from cms.visibility import reader_page

from .claims import forget_phrases
from .models import RedFlagClaim
from .pages import EditorialPageMixin
from .status import forget_live_status, record_live_status


@receiver(post_save, sender=RedFlagClaim)
@receiver(post_delete, sender=RedFlagClaim)
def _forget_cached_phrases(**kwargs):
    forget_phrases()


@receiver(page_published, dispatch_uid="editorial_live_status_published")
def _record_live_status(sender, instance, revision=None, **kwargs):
    # Every publish path sends this (edit view, bulk, scheduled, copy, aliases) with the
    # published content in ``instance``; the live status describes what readers get of it,
    # each language as released (``cms.visibility.reader_page``, after the release gate).
    if not isinstance(instance, EditorialPageMixin):
        return
    reader = reader_page(instance)
    if reader is None:
        forget_live_status(instance)
    else:
        record_live_status(reader, revision=revision)


@receiver(page_unpublished, dispatch_uid="editorial_live_status_unpublished")
def _forget_live_status(sender, instance, **kwargs):
    forget_live_status(instance)
