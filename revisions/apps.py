from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisionsConfig(AppConfig):
    """Concurrent saves of one page: detection, three-way merge and the conflict view."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "revisions"
    verbose_name = _("Revisions")
