"""The API shape of the home page and of the clinic's contact settings."""

from typing import Literal

from django.utils.html import strip_tags
from ninja import Router
from pydantic import Field

from cms.api import registry
from cms.api.caching import json_response
from cms.api.errors import ErrorOut
from cms.api.language import lang_query, request_language
from cms.api.params import api_context, reject_unknown_params
from cms.api.schemas import JsonLdOut, OutSchema, PageBaseOut, PageRefOut
from cms.translations import fallbacks
from cms.visibility import reader_list, visible_pages
from therapies.models import ArticlePage, TherapyPage

from . import structured_data
from .models import ClinicSettings, HomePage


class HomePageOut(PageBaseOut):
    """The front page: its introduction, the therapies and the latest articles."""

    type: Literal["home"]
    intro: str
    therapies: list[PageRefOut]
    latest_articles: list[PageRefOut]
    json_ld: JsonLdOut


def _home_fields(page, api):
    therapies = visible_pages(TherapyPage, api.site).descendant_of(page).order_by("path")
    articles = (
        visible_pages(ArticlePage, api.site)
        .descendant_of(page)
        .order_by("-first_published_at", "path")[:6]
    )
    return {
        "intro": page.intro or "",
        "therapies": [api.page_ref(p) for p in reader_list(therapies.defer_streamfields())],
        "latest_articles": [api.page_ref(p) for p in reader_list(articles.defer_streamfields())],
    }


registry.register(
    "home",
    HomePage,
    HomePageOut,
    fields=_home_fields,
    summary=lambda page: page.intro,
    json_ld=structured_data.home_page,
)


router = Router(tags=["settings"])
registry.register_router(router)


class ClinicSettingsOut(OutSchema):
    """How readers reach the clinic, localised (name and address are translated)."""

    lang: str
    clinic_name: str
    hotline: str = Field(description="As the clinic writes it, e.g. 079 7479 222.")
    hotline_dial: str = Field(description="Digits only, for tel: links.")
    zalo_url: str
    booking_url: str
    address: str
    fallbacks: list[str] = Field(description="Fields served in English because they are empty.")


@router.get(
    "/settings/",
    response={200: ClinicSettingsOut, 304: None, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def clinic_settings(request, lang: str | None = lang_query()):
    """The clinic's name, hotline, Zalo link, booking page and address in the requested language."""
    reject_unknown_params(request, {"lang"})
    lang = request_language(request, lang)
    api = api_context(request, lang)
    with api.active():
        clinic = ClinicSettings.for_site(api.site)
        data = {
            "lang": lang,
            "clinic_name": clinic.clinic_name or "",
            "hotline": clinic.hotline or "",
            "hotline_dial": clinic.hotline_dial,
            "zalo_url": clinic.zalo_url or "",
            "booking_url": clinic.booking_url or "",
            "address": strip_tags(clinic.address or ""),
            "fallbacks": fallbacks(clinic, lang),
        }
    return json_response(request, ClinicSettingsOut, data, content_language=lang)
