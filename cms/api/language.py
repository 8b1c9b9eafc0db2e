"""Glue between the API's ``?lang=`` / ``Accept-Language`` and :mod:`cms.language`.

The decision itself is made in ``cms.language.negotiate``; this module only
adds ``lang=all`` and turns an unsupported code into a 400 naming the
supported languages.
"""

from cms.language import SUPPORTED_LANGUAGES, UnsupportedLanguage, negotiate

from .errors import ApiError

ALL = "all"
LANG_DESCRIPTION = (
    "Content language: "
    + ", ".join(SUPPORTED_LANGUAGES)
    + ". Wins over Accept-Language; without either, English. Regional codes such as vi-VN are "
    "accepted. `all` returns every language of a single page in one response."
)


def request_language(request, lang=None, allow_all=False):
    """The language this request is answered in (``all`` where allowed), or a 400."""
    if lang is not None and lang.strip().lower() == ALL:
        if allow_all:
            return ALL
        raise ApiError(400, "lang=all is only available for a single page, not for listings.")
    try:
        return negotiate(lang, request.headers.get("Accept-Language"))
    except UnsupportedLanguage as exc:
        supported = ", ".join(SUPPORTED_LANGUAGES)
        raise ApiError(
            400,
            f"Unsupported language {exc.code!r}. Supported languages: {supported}"
            + (" (or 'all')." if allow_all else "."),
        ) from None
