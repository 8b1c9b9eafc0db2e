from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReadModelConfig(AppConfig):
    """Documents of published pages, the outbox that keeps them current, and their reads."""

    name = "readmodel"
    verbose_name = _("Read model")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from cms.api.documents import register_store

        from . import migration, signals
        from .reads import DocumentStore

        signals.connect()
        # Apps say what only they know (search text, what shows their models) in documents.py.
        autodiscover_modules("documents")
        register_store(DocumentStore())
        post_migrate.connect(migration.build_missing, sender=self)
