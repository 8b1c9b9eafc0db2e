from django.apps import AppConfig


class TherapiesConfig(AppConfig):
    name = "therapies"
    default_auto_field = "django.db.models.BigAutoField"
