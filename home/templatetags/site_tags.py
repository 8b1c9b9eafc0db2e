"""Template tags of the public site: language switcher data and navigation."""

from django import template
from django.utils.translation import get_language, get_language_info
from wagtail.models import Site

from cms import reference, references, sharing, structured_data, translations
from cms.api import registry
from cms.api.context import ApiContext
from cms.language import DEFAULT_LANGUAGE, normalize_code
from cms.visibility import reader_list, visible_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context, page):
    """Per-language URL and availability of ``page``, in the order of settings.LANGUAGES."""
    request = context.get("request")
    data = translations.page_translations(page, request=request)
    current = get_language()
    # Each language is named in itself ("Tiếng Việt"), so a reader finds their own.
    return [
        dict(item, name=get_language_info(lang)["name_local"], current=(lang == current))
        for lang, item in data.items()
    ]


@register.simple_tag(takes_context=True)
def page_fallbacks(context, page):
    """Fields of ``page`` shown in the default language in the active language."""
    return translations.fallbacks(page, get_language())


@register.simple_tag
def default_language():
    return DEFAULT_LANGUAGE


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.simple_tag(takes_context=True)
def main_sections(context):
    """The home page's live, public, in-menu children (therapies, articles)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return reader_list(visible_pages(site=site).child_of(site.root_page).in_menu())


@register.simple_tag(takes_context=True)
def public_image(context, image):
    """``image`` if readers may see it, else None (images in private collections never show)."""
    if image is None:
        return None
    return image if reference.for_request(context.get("request")).is_public_image(image) else None


@register.filter
def for_readers(body):
    """A body as readers see it (``cms.references``): gone or hidden references reduced."""
    return references.for_readers(body)


@register.simple_tag(takes_context=True)
def page_head(context, page):
    """What ``<head>`` says about ``page`` to machines: JSON-LD and the sharing card.

    ``json_ld`` is the page type's own schema.org builder (the one the API's
    ``json_ld`` field uses), embedded escaped; ``share`` is ``cms.sharing.card``.
    None without a request or a site (nothing absolute can be said then).
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None or not page:
        return None
    page_type = registry.for_page(page)
    api = ApiContext(request, site, normalize_code(get_language()) or DEFAULT_LANGUAGE)
    with api.active():
        return {
            "json_ld": structured_data.script(page_type.json_ld(page, api)) if page_type else "",
            "share": sharing.card(page, api, page_type.summary(page) if page_type else ""),
        }
