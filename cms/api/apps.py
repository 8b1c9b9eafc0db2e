from django.apps import AppConfig


class ContentApiConfig(AppConfig):
    """Installed so that Wagtail finds ``cms/api/wagtail_hooks.py`` (headless preview, links)."""

    name = "cms.api"
    label = "cms_api"
    verbose_name = "Content API"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's api.py registers its page types and its router on import, in the order
        # of INSTALLED_APPS (the read model's sync schema, after the page types it names).
        # Webhooks and search need the registry before the first request arrives.
        autodiscover_modules("api")
        from . import urls  # noqa: F401
