"""Turns a page into the API's dict, in the context's language.

Common fields come from here (translations and fallbacks from
``cms.translations``, the single source for them); type-specific fields, the
body and JSON-LD come from the page type registered by its app.
"""

from functools import cache

from django.db.models import prefetch_related_objects

from cms.language import SUPPORTED_LANGUAGES
from cms.translations import (
    LIVE,
    fallbacks,
    page_translations,
    reader_states,
    segment_counts,
    stale_fields,
)

from . import registry
from .language import ALL

# What apps add to the common fields of every page (``register_common_prefetch``).
_common_prefetches = []


def register_common_prefetch(prefetch_for):
    """Load a relation the common fields read of every page: ``prefetch_for(scope)`` -> Prefetch.

    Editorial registers its freshness rows (``cms.translations.stale_fields`` reads them) so
    that listings and details read them in one query, whatever the pages' types.
    """
    _common_prefetches.append(prefetch_for)
    _common_lookups.cache_clear()


@cache
def _common_lookups(scope=LIVE):
    return tuple(prefetch_for(scope) for prefetch_for in _common_prefetches)


def prefetch_summaries(pages):
    """Load what listing items read for all ``pages`` at once (one query, whatever their types)."""
    pages = [page for page in pages if getattr(page, "pk", None)]
    if pages:
        prefetch_related_objects(pages, *_common_lookups())
    return pages


def prefetch_detail(page, reference, scope=LIVE):
    """Load what ``detail`` reads of ``page`` (any language, ``lang=all`` included) up front.

    One query per relation: what apps registered for every page (``scope``) and what the page
    type declares in ``detail_prefetch``.
    """
    if not getattr(page, "pk", None):
        return page
    page_type = registry.for_page(page)
    lookups = (*_common_lookups(scope), *(page_type.detail_prefetch if page_type else ()))
    prefetch_related_objects([page], *lookups)
    return page


def _translations(page, api):
    result = {}
    states = reader_states(page)  # what readers get of each language (released or not)
    for lang, info in page_translations(page, request=api.request).items():
        stale = stale_fields(page, lang)  # editorial's freshness rows (prefetched, see below)
        result[lang] = {
            "lang": lang,
            "url": info["full_url"],
            "path": info["url"],
            "title": info["title"] or "",
            "available": info["available"],
            "complete": not info["missing"],
            "missing": info["missing"],
            "stale": bool(stale),
            "stale_fields": stale,
            # Segment counts of the live text, recorded at publish (the prefetched rows).
            "segments": segment_counts(page, lang),
            "state": states[lang]["state"],
            "live_since": states[lang]["live_since"],
        }
    return result


def common_fields(page, api, page_type):
    translations = _translations(page, api)
    return {
        "id": page.pk,
        "type": page_type.name,
        "lang": api.lang,
        "title": page.title or "",
        "slug": page.slug or "",
        "url": translations[api.lang]["url"],
        "seo": {
            "title": page.seo_title or page.title or "",
            "description": page.search_description or "",
        },
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "translations": translations,
        "fallbacks": fallbacks(page, api.lang),
    }


def summary(page, api):
    """A page as a listing item, in ``api.lang``."""
    page_type = registry.for_page(page)
    with api.active():
        data = common_fields(page, api, page_type)
        data["summary"] = page_type.summary(page) or ""
    return data


def detail(page, api):
    """A page with its type-specific fields, body and JSON-LD, in ``api.lang``."""
    page_type = registry.for_page(page)
    with api.active():
        data = common_fields(page, api, page_type)
        data.update(page_type.fields(page, api))
        data["json_ld"] = page_type.json_ld(page, api)
    return data


def detail_in(page, api, lang):
    """``detail`` for one language, or every language for ``lang=all``."""
    if lang != ALL:
        return detail(page, api.for_language(lang))
    return {
        "id": page.pk,
        "type": registry.for_page(page).name,
        "lang": ALL,
        "languages": {code: detail(page, api.for_language(code)) for code in SUPPORTED_LANGUAGES},
    }


def content_language(lang):
    return ", ".join(SUPPORTED_LANGUAGES) if lang == ALL else lang
