from django.apps import AppConfig


class ContentSearchConfig(AppConfig):
    """Accent-folded search text of published pages, per language, in the read model's
    documents (``contentsearch.documents``)."""

    name = "contentsearch"
    verbose_name = "Content search"
    default_auto_field = "django.db.models.BigAutoField"
