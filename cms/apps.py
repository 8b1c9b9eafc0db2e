from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project's own wiring that must run after every other app is ready.

    Listed last in ``INSTALLED_APPS``: it replaces handlers that Wagtail's apps connect
    in their own ``ready()``.
    """

    name = "cms"
    verbose_name = "CMS"

    def ready(self):
        from cms import checks  # noqa: F401  (registers the project's system checks)
        from cms.redirects import connect_signals
        from cms.slugs import restore_page_cleans

        # A moved or renamed page redirects from its old address in every language.
        connect_signals()
        # Saving a page checks its slugs in one query, not by loading every sibling.
        restore_page_cleans()
