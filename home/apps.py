import unicodedata

from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's LANG_INFO spells "Tiếng Việt" in decomposed form (NFD-like), so the
        # language switcher and the admin's language menu would emit text that does not
        # match a composed "Tiếng Việt" typed anywhere else. Store it composed.
        from django.conf.locale import LANG_INFO
        from django.db.models.signals import post_migrate, post_save

        from cms import reference
        from cms.page_indexes import ensure_page_translation_indexes
        from home import contact
        from home.models import ClinicSettings

        # Calls to action and JSON-LD read the site's settings once per request (cms.reference).
        reference.register("clinic_settings", ClinicSettings.for_reference)
        # The 500 page shows the hotline without the database (home.contact).
        post_save.connect(contact.remember, sender=ClinicSettings, dispatch_uid="home-contact")
        # Translated slugs and URL paths of pages are looked up on every request: indexed.
        post_migrate.connect(
            ensure_page_translation_indexes,
            sender=self,
            dispatch_uid="cms-page-translation-indexes",
        )

        for info in LANG_INFO.values():
            if "name_local" in info:
                info["name_local"] = unicodedata.normalize("NFC", info["name_local"])
