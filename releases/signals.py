"""The gate: every publish, whatever its path, releases the languages it approves; and what
a deleted released revision takes from readers is rebuilt.

The publish button, workflow approval, bulk publish, scheduled publishing
(``publish_scheduled``), ``revision.publish()`` in code and a copy kept live all send
``page_published`` with the page holding the published revision's content.
"""

from django.db.models.signals import pre_delete
from wagtail.log_actions import get_active_log_context
from wagtail.models import Revision
from wagtail.signals import page_published

from cms.visibility import reader_languages_changed

from .models import LanguageRelease
from .service import mirror_original, release_published


def _gate(sender, instance, revision=None, **kwargs):
    if not instance.live:
        # Published with a go-live date ahead: released when it goes live. Readers get
        # nothing yet, and are told so (webhooks announce it as not there).
        reader_languages_changed.send(
            sender=sender, instance=instance, languages=[], action="published"
        )
        return
    if kwargs.get("alias") or instance.alias_of_id:
        mirror_original(instance)  # an alias shows its original's content, as released
        return
    user = get_active_log_context().user or getattr(revision, "user", None)
    release_published(instance, revision=revision, user=user)


def _revision_deleted(sender, instance, **kwargs):
    """A released revision deleted (with its page, or its content type: ``keep_released``)
    takes its text from readers: the page's documents are rebuilt. Sent for each revision,
    a queryset's ``delete()`` too."""
    from readmodel.outbox import record_pages

    released = LanguageRelease.objects.filter(revision=instance, withdrawn_at__isnull=True)
    record_pages(list(released.values_list("page_id", flat=True)), "released revision deleted")


def connect():
    page_published.connect(_gate, dispatch_uid="releases_gate")
    pre_delete.connect(_revision_deleted, sender=Revision, dispatch_uid="releases_revision_deleted")
