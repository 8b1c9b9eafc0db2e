"""The one place that decides which content language a request gets.

Order: an explicit ``?lang=`` wins, then the URL prefix (``/vi/…``), then
``Accept-Language`` (q-values honoured, ``vi-VN`` → ``vi``), then the default.
The admin starts in ``ADMIN_DEFAULT_LANGUAGE``; Wagtail applies each editor's preference.
Models, templates and serializers only read the active language.
"""

from django.conf import settings
from django.utils.translation import pgettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
# The admin's language for editors without a preference, and for its pages before login.
ADMIN_DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
ADMIN_PATH = "/admin/"
SUPPORTED_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# Language and territory, as Open Graph's ``og:locale`` names them (``ll_TT``).
REGIONAL_LOCALES = {"en": "en_US", "vi": "vi_VN"}


class UnsupportedLanguage(ValueError):
    """Raised for a language code the site does not publish in."""

    def __init__(self, code):
        self.code = code
        super().__init__(
            f"Unsupported language '{code}'. Supported: {', '.join(SUPPORTED_LANGUAGES)}."
        )


def normalize_code(code):
    """``vi-VN`` → ``vi``; returns None for a code we do not publish in."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in SUPPORTED_LANGUAGES else None


def from_accept_language(header):
    """Best supported language in an ``Accept-Language`` header, or None.

    A language with ``q=0`` is not acceptable (RFC 9110, 12.5.4): never chosen, not even
    for ``*``, which stands for any other language.
    """
    ranges = parse_accept_lang_header(header or "")  # highest q first
    refused = {normalize_code(code) for code, q in ranges if not q} - {None}
    for code, q in ranges:
        if not q:
            break
        if code == "*":
            return next((c for c in SUPPORTED_LANGUAGES if c not in refused), None)
        found = normalize_code(code)
        if found and found not in refused:
            return found
    return None


def negotiate(explicit=None, accept_language=None):
    """Return the language for a request, raising UnsupportedLanguage for a bad explicit code."""
    if explicit:
        found = normalize_code(explicit)
        if not found:
            raise UnsupportedLanguage(explicit)
        return found
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE


def unprefixed_request_language(path, accept_language=None):
    """The language a request outside ``/en/`` and ``/vi/`` starts in.

    The admin starts in its default, and Wagtail's views then apply the editor's
    preference; documents, the API and the sitemap follow ``Accept-Language``.
    """
    if path.startswith(ADMIN_PATH):
        return ADMIN_DEFAULT_LANGUAGE
    return negotiate(accept_language=accept_language)


def regional_locale(lang):
    """``vi`` → ``vi_VN``: the locale a sharing card announces for a content language."""
    return REGIONAL_LOCALES.get(lang, lang)


def other_languages(lang):
    return [code for code in SUPPORTED_LANGUAGES if code != lang]


# A language's name inside a sentence: Vietnamese writes "bản tiếng Anh", lowercase, while a
# heading or a menu says "Tiếng Anh" (``LANGUAGES``).
LANGUAGE_NAMES_IN_SENTENCE = {
    "en": pgettext_lazy("language name inside a sentence", "English"),
    "vi": pgettext_lazy("language name inside a sentence", "Vietnamese"),
}


def language_in_sentence(code):
    """The language's name as it reads mid-sentence in the active language."""
    return LANGUAGE_NAMES_IN_SENTENCE.get(code, code)
