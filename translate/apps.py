from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslateConfig(AppConfig):
    """The translation workspace: segments, their records, the Translate view."""

    name = "translate"
    verbose_name = _("Translation workspace")
    default_auto_field = "django.db.models.BigAutoField"
