from django.apps import AppConfig


class TherapiesConfig(AppConfig):
    name = "therapies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import reference

        from .blocks import load_doctors

        # Quoted in bodies and named by reviews: read once per request (cms.reference).
        reference.register("doctors", load_doctors)
