"""The gate: every publish, whatever its path, releases the languages it approves.

The publish button, workflow approval, bulk publish, scheduled publishing
(``publish_scheduled``), ``revision.publish()`` in code and a copy kept live all send
``page_published`` with the page holding the published revision's content.
"""

from wagtail.log_actions import get_active_log_context
from wagtail.signals import page_published

from cms.visibility import reader_languages_changed

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


def connect():
    page_published.connect(_gate, dispatch_uid="releases_gate")
