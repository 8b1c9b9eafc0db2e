"""What a link to a page shows when it is pasted into Zalo, Facebook or a chat.

Open Graph and Twitter card data: title, description, canonical address, locale
and its alternates, and a picture with its size. The picture is the page's own
(a page type offers one with ``share_image(is_public)``, for example the first
image of its body) as a 1200×630 rendition, else the site's share card.
All addresses are absolute, from the Wagtail Site of the request.
"""

from django.templatetags.static import static
from django.utils.text import Truncator

from .language import SUPPORTED_LANGUAGES, regional_locale
from .translations import is_available

# The size Facebook and Zalo show as a large card (1.91:1); JPEG, which every client reads.
SHARE_FILTER = "fill-1200x630|format-jpeg"
DEFAULT_CARD = "img/share-card.png"
DEFAULT_CARD_SIZE = (1200, 630)
DESCRIPTION_CHARS = 300


def own_image(page, api):
    """The page's own picture as ``{url, width, height, type, alt}``, or None.

    Images in private collections never show, wherever an editor placed them.
    """
    key = ("share_image", page.pk, api.lang)
    if key not in api.memo:
        api.memo[key] = _own_image(page, api)
    return api.memo[key]


def _own_image(page, api):
    offer = getattr(page, "share_image", None)
    found = offer(is_public=api.reference.is_public_image) if callable(offer) else None
    if not found:
        return None
    image, alt = found
    try:
        rendition = image.get_rendition(SHARE_FILTER)
    except OSError:  # the file is gone: fall back to the site's card rather than fail the page
        return None
    return {
        "url": api.absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "type": "image/jpeg",
        "alt": alt or page.title or "",
    }


def site_name(api):
    clinic = api.clinic
    return ((clinic.clinic_name if clinic else "") or api.site.site_name or "").strip()


def default_image(api):
    width, height = DEFAULT_CARD_SIZE
    return {
        "url": api.absolute(static(DEFAULT_CARD)),
        "width": width,
        "height": height,
        "type": "image/png",
        "alt": site_name(api),
    }


def card(page, api, description=""):
    """Open Graph / Twitter card data of ``page`` in ``api.lang`` (the active language).

    ``description``: the page type's own summary, used when the page has no search description.
    """
    text = (page.search_description or description or "").strip()
    return {
        "type": getattr(page, "share_type", "website"),
        "title": page.seo_title or page.title or "",
        "description": Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS),
        "url": page.get_full_url(request=api.request),
        "site_name": site_name(api),
        "locale": regional_locale(api.lang),
        "alternate_locales": [
            regional_locale(lang)
            for lang in SUPPORTED_LANGUAGES
            if lang != api.lang and is_available(page, lang)
        ],
        "image": own_image(page, api) or default_image(api),
    }
