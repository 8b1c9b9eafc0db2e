"""A copy of the clinic's contact details that needs no database: for the 500 page.

The 500 page must render while the database is down, and still show the
hotline and the way home. Every save of the clinic settings writes their
contact details to the shared cache (Redis in production) and to this process;
the 500 page reads the cache first (another process may have saved since) and
this process's copy when the cache is unreachable too.
"""

import logging

from django.core.cache import cache

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

CACHE_KEY = "home:clinic-contact"
TRANSLATED = ("clinic_name", "address")
SHARED = ("hotline", "hotline_dial", "zalo_url", "booking_url")

logger = logging.getLogger(__name__)
_kept = {}


def remember(sender=None, instance=None, **kwargs):
    """post_save receiver of ClinicSettings: keep its contact details for the error pages."""
    data = {name: getattr(instance, name, "") or "" for name in SHARED}
    for name in TRANSLATED:
        data[name] = {
            lang: getattr(instance, f"{name}_{lang}", "") or "" for lang in SUPPORTED_LANGUAGES
        }
    _kept.clear()
    _kept.update(data)
    try:
        cache.set(CACHE_KEY, data, timeout=None)
    except Exception:
        logger.exception("Cache unavailable: the 500 page keeps this process's contact details.")


def last_known(lang):
    """The clinic's contact details in ``lang`` (English where a text is missing), or None."""
    try:
        data = cache.get(CACHE_KEY)
    except Exception:
        data = None
    data = data or dict(_kept)
    if not data:
        return None
    contact = {name: data.get(name, "") for name in SHARED}
    for name in TRANSLATED:
        texts = data.get(name) or {}
        contact[name] = texts.get(lang) or texts.get(DEFAULT_LANGUAGE, "")
    return contact
