from django.apps import AppConfig


class ContentApiConfig(AppConfig):
    """Installed so that Wagtail finds ``cms/api/wagtail_hooks.py`` (headless preview, links)."""

    name = "cms.api"
    label = "cms_api"
    verbose_name = "Content API"

    def ready(self):
        # Building the API imports each app's api.py, which registers its page types; webhooks
        # and search need the registry before the first request arrives.
        from . import urls  # noqa: F401
