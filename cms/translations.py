"""Which languages a page really exists in, and which fields fall back to the default.

One implementation feeds the public site (hreflang, the "shown in English"
notice), the content API (``translations[lang].complete`` and ``fallbacks``)
and the editors' completeness checks.
"""

from django.utils.translation import override
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

# Fields a reader needs in a language for the page to count as written in it.
DEFAULT_CONTENT_FIELDS = ("title",)

# Where a page's prefetched editorial status rows are (``Prefetch(..., to_attr=...)``): the
# editorial app prefetches them, the functions below read them without a query.
PREFETCHED_STATUSES = "prefetched_statuses"
# Fields an editor is expected to fill in every language before the page is complete.
DEFAULT_REQUIRED_FIELDS = ("title", "slug", "search_description")


def translatable_fields(model):
    """Names of the fields registered for translation on ``model`` (Page fields included)."""
    try:
        names = set(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return ()
    # In the model's own field order: modeltranslation keeps them in a set, whose order
    # changes from one process to the next (a document built by one process and checked by
    # another differed only in the order of its search text).
    order = {field.name: n for n, field in enumerate(model._meta.get_fields())}
    return tuple(sorted(names, key=lambda name: (order.get(name, len(order)), name)))


def is_filled(value):
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    try:
        return len(value) > 0  # StreamValue, lists
    except TypeError:
        return True


def field_value(instance, field, lang):
    """The stored value of ``field`` in ``lang`` (no fallback)."""
    return getattr(instance, build_localized_fieldname(field, lang), None)


def content_fields(page):
    return getattr(page, "translation_content_fields", DEFAULT_CONTENT_FIELDS)


def required_fields(page):
    return getattr(page, "translation_required_fields", DEFAULT_REQUIRED_FIELDS)


def is_available(page, lang):
    """True when the page's title and main content exist in ``lang`` (hreflang-worthy)."""
    return all(is_filled(field_value(page, field, lang)) for field in content_fields(page))


def missing_fields(page, lang):
    """Required-for-readers fields that are empty in ``lang``."""
    return [
        field for field in required_fields(page) if not is_filled(field_value(page, field, lang))
    ]


def fallbacks(page, lang):
    """Translatable fields served in the default language because ``lang`` is empty."""
    if lang == DEFAULT_LANGUAGE:
        return []
    specific = type(page)
    return [
        field
        for field in translatable_fields(specific)
        if field != "url_path"
        and not is_filled(field_value(page, field, lang))
        and is_filled(field_value(page, field, DEFAULT_LANGUAGE))
    ]


def page_translations(page, request=None):
    """For each language: its URL, title, whether the page is written in it, what is missing."""
    result = {}
    for lang in SUPPORTED_LANGUAGES:
        with override(lang):
            url = page.get_url(request=request)
            full_url = page.get_full_url(request=request)
        result[lang] = {
            "lang": lang,
            "url": url,
            "full_url": full_url,
            "title": field_value(page, "title", lang)
            or field_value(page, "title", DEFAULT_LANGUAGE),
            "available": is_available(page, lang),
            "missing": missing_fields(page, lang),
        }
    return result


# What readers get of each language: ``{lang: {"state": "live" | "pending" | "missing",
# "live_since": datetime | None}}``, from the app that records what went live (``releases``).
_language_states = []


def register_language_states(function):
    """``function(page)`` gives the readers' state of each language of ``page`` (see above)."""
    _language_states.append(function)
    return function


def reader_states(page):
    """``{lang: {"state", "live_since"}}`` of ``page`` for readers (the API's ``translations``).

    A page composed for readers (``cms.visibility.reader_page``) carries its states; any
    other page (a preview) asks the registered function. Without one, a language the page
    is written in is live.
    """
    found = getattr(page, "reader_languages", None)
    if found is None and _language_states:
        found = _language_states[-1](page)
    if found is None:
        found = {
            lang: {"state": "live" if is_available(page, lang) else "missing", "live_since": None}
            for lang in SUPPORTED_LANGUAGES
        }
    return found


# Scopes of the editorial status rows: the content readers see, and the latest draft.
LIVE = "live"
DRAFT = "draft"


def _live_row(page, lang):
    """The editorial status row of the live content in ``lang`` (prefetched rows when there
    are: the API prefetches the live rows, its preview the draft ones; of both, the live
    one), or None. One query when nothing is prefetched."""
    if not getattr(page, "pk", None):
        return None
    rows = getattr(page, PREFETCHED_STATUSES, None)
    if rows is None:
        rows = page.editorial_statuses.filter(scope=LIVE)
    found = [row for row in rows if row.lang == lang]
    # Rows of both scopes prefetched (the admin's listings): the live one answers.
    return next((row for row in found if row.scope == LIVE), found[0] if found else None)


def stale_fields(page, lang):
    """Fields of ``lang`` flagged out of date: their default-language text changed after them.

    Read from the editorial status rows of the live content (recorded when a revision is
    published, cleared when an editor confirms the translation), so a draft never changes
    what readers and API clients are told. No query when the rows are prefetched.
    """
    if lang == DEFAULT_LANGUAGE:
        return []
    row = _live_row(page, lang)
    return list(row.stale_fields) if row else []


def segment_counts(page, lang):
    """``{"total", "translated", "missing", "stale"}`` segments of the live ``lang`` text, or
    None when nothing was recorded (a page type without segments, or published before the
    counts existed: ``refresh_editorial_status`` records them).

    Counted when the page is published (``editorial.status.live_segment_counts``) and read
    from the same prefetched live rows as ``stale_fields``: no query of its own. English,
    the source, has every segment: its counts come with any other language's row.
    """
    if lang != DEFAULT_LANGUAGE:
        row = _live_row(page, lang)
        return dict(row.segments) if row is not None and row.segments else None
    for other in SUPPORTED_LANGUAGES:
        if other != DEFAULT_LANGUAGE:
            row = _live_row(page, other)
            if row is not None and (row.segments or {}).get("total") is not None:
                total = row.segments["total"]
                return {"total": total, "translated": total, "missing": 0, "stale": 0}
    return None


def stale(page, lang):
    """True when ``lang`` is out of date against the default language.

    The API's ``translations.vi.stale``.
    """
    return bool(stale_fields(page, lang))
