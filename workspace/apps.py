from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The translation workspace: segments, their records, the Translate view."""

    name = "workspace"
    verbose_name = _("Translation workspace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save
        from wagtail.models import Revision

        from revisions.signals import conflict_resolved

        from .workspace import follow_resolved_conflict, follow_saved_revision

        # The records follow every page revision, whatever saved it (the edit form…).
        pre_save.connect(follow_saved_revision, sender=Revision, dispatch_uid="workspace-follow")
        conflict_resolved.connect(follow_resolved_conflict, dispatch_uid="workspace-records")
