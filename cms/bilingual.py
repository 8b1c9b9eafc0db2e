"""Preview a page in each language from the Wagtail editor (one preview mode per language)."""

from django.utils import translation
from django.utils.translation import get_language_info

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES


class LanguagePreviewMixin:
    """Adds "English" and "Tiếng Việt" to the editor's preview-mode menu.

    The editor's admin language does not decide the preview: each mode renders the
    unsaved page with that content language active, so both sides can be checked.
    """

    @property
    def preview_modes(self):
        return [(code, get_language_info(code)["name_local"]) for code in SUPPORTED_LANGUAGES]

    @property
    def default_preview_mode(self):
        return DEFAULT_LANGUAGE

    def serve_preview(self, request, mode_name):
        lang = mode_name if mode_name in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
            response["Content-Language"] = lang
        return response
