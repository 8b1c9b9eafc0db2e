"""What every bilingual page does: preview per language, and a sitemap entry per language."""

from django.utils import translation
from django.utils.translation import get_language_info

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.translations import page_translations
from cms.visibility import is_expired


class BilingualPageMixin:
    """Page behaviour that follows from having one page in two languages.

    Preview: "English" and "Tiếng Việt" in the editor's preview-mode menu; each
    mode renders the unsaved page with that content language active, whatever
    the editor's admin language, so both sides can be checked.

    Sitemap: one URL per language the page really exists in, each listing its
    alternates and ``x-default``, so an English fallback is never announced as
    Vietnamese; an expired page is left out even before the scheduler runs.
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

    def get_sitemap_urls(self, request=None):
        if is_expired(self):
            return []
        languages = page_translations(self, request=request)
        available = [item for item in languages.values() if item["available"] and item["full_url"]]
        alternates = [{"location": item["full_url"], "lang_code": item["lang"]} for item in available]
        alternates.append({"location": languages[DEFAULT_LANGUAGE]["full_url"], "lang_code": "x-default"})
        lastmod = self.last_published_at or self.latest_revision_created_at
        return [
            {"location": item["full_url"], "lastmod": lastmod, "alternates": alternates}
            for item in available
        ]
