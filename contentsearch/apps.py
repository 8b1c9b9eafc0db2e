from django.apps import AppConfig


class ContentSearchConfig(AppConfig):
    """Accent-folded search text of published pages, per language (SQLite and PostgreSQL)."""

    name = "contentsearch"
    verbose_name = "Content search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
