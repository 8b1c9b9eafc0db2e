from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """Editorial safeguards: red-flag claims, translation completeness and freshness, review."""

    name = "editorial"
    verbose_name = _("Editorial safeguards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
