from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    """Each language of a page goes live on its own, once its content is approved.

    Comes before the apps that react to a publish in ``INSTALLED_APPS``: its
    ``page_published`` receiver (the gate) decides what went live before theirs run.
    """

    name = "releases"
    verbose_name = _("Language releases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import compose, signals

        compose.register()
        signals.connect()
