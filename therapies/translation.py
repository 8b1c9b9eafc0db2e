"""Field-level translation registration (django-modeltranslation): title_en / title_vi …"""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import ArticleIndexPage, ArticlePage, Doctor, TherapyIndexPage, TherapyPage


@register(Doctor)
class DoctorTR(TranslationOptions):
    fields = ("credentials", "bio")


@register(TherapyIndexPage)
class TherapyIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(TherapyPage)
class TherapyPageTR(TranslationOptions):
    fields = (
        "summary",
        "what_it_is",
        "personalisation",
        "common_uses",
        "regulatory_status",
        "safety_notes",
        "body",
    )


@register(ArticleIndexPage)
class ArticleIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(ArticlePage)
class ArticlePageTR(TranslationOptions):
    fields = ("lead", "body")
