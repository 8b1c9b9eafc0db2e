"""Glue between the API's ``?lang=`` / ``Accept-Language`` and :mod:`cms.language`.

The decision itself is made in ``cms.language.negotiate``; this module only
adds ``lang=all`` and turns an unsupported code into a 400 naming the
supported languages.
"""

import re

from cms.language import SUPPORTED_LANGUAGES, UnsupportedLanguage, negotiate

from .errors import ApiError

ALL = "all"
LANG_DESCRIPTION = (
    "Content language: "
    + ", ".join(SUPPORTED_LANGUAGES)
    + ". Wins over Accept-Language; without either, English. Regional codes such as vi-VN are "
    "accepted, and any case (`VI`, `ALL`). `all` returns every language of a single page in one "
    "response."
)


def _any_case(word):
    """``vi`` → ``[vV][iI]``: language codes are case-insensitive (RFC 5646), and ECMA
    regular expressions in the OpenAPI schema have no inline flag to say so."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_CODES = "|".join(_any_case(code) for code in SUPPORTED_LANGUAGES)
# Part of the OpenAPI schema; a code that does not match is answered (in cms.api.errors) with
# the same 400 naming the supported languages as a well-formed but unsupported one.
LANG_PATTERN = rf"^({_CODES})([-_][A-Za-z0-9]{{1,8}})?$"
LANG_OR_ALL_PATTERN = rf"^({_any_case(ALL)}|({_CODES})([-_][A-Za-z0-9]{{1,8}})?)$"


def lang_query(allow_all=False, description=None):
    """The ``lang`` query parameter, documented with the codes it accepts."""
    from ninja import Query

    return Query(
        None,
        description=description or LANG_DESCRIPTION,
        max_length=35,
        pattern=LANG_OR_ALL_PATTERN if allow_all else LANG_PATTERN,
    )


def unsupported_language(code, allow_all=False):
    supported = ", ".join(SUPPORTED_LANGUAGES)
    return ApiError(
        400,
        f"Unsupported language {code!r}. Supported languages: {supported}"
        + (" (or 'all')." if allow_all else "."),
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
        raise unsupported_language(exc.code, allow_all) from None
