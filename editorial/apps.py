from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """Editorial safeguards: red-flag claims, translation completeness and freshness, review."""

    name = "editorial"
    verbose_name = _("Editorial safeguards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from cms.api.representation import register_common_prefetch

        from . import migration, signals  # noqa: F401
        from .status import freshness_prefetch

        # Every page the API shows says whether its translations are stale: read at once.
        register_common_prefetch(freshness_prefetch)
        # Pages published before segment counts existed get them after migrate (not null).
        post_migrate.connect(
            migration.count_missing_segments, sender=self, dispatch_uid="editorial-segments"
        )
