from django.apps import AppConfig


class ContentApiConfig(AppConfig):
    """Installed so that Wagtail finds ``cms/api/wagtail_hooks.py`` (headless preview, links)."""

    name = "cms.api"
    label = "cms_api"
    verbose_name = "Content API"
