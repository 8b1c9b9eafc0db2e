"""Field-level translation registration for the home app."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import ClinicSettings, HomePage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("intro",)


@register(ClinicSettings)
class ClinicSettingsTR(TranslationOptions):
    fields = ("clinic_name", "address")
