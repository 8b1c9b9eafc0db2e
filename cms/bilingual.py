"""What every bilingual page does: preview per language, and a sitemap entry per language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import get_language, get_language_info
from modeltranslation.utils import build_localized_fieldname

from cms import cache as content_cache
from cms.crawlers import page_headers
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_code
from cms.slugs import BilingualPageForm, page_conflicts
from cms.translations import page_translations

# The other language's title, after the editor's own, in the admin's page titles.
TITLE_HINT_SEPARATOR = " · "
TITLE_HINT_LENGTH = 40


class BilingualPageMixin(models.Model):
    """Page behaviour that follows from having one page in two languages.

    Admin titles: Wagtail's ``draft_title`` (explorer, choosers, breadcrumbs, page
    header) holds one language, whichever the last save had active. ``draft_titles``
    keeps the latest revision's title in every language, written with ``draft_title``
    (``save_revision``, creation) and kept, like it, when a revision is restored, so
    ``get_admin_display_title`` shows the editor's language and the other as a hint.

    Preview: "English" and "Tiếng Việt" in the editor's preview-mode menu; each
    mode renders the unsaved page with that content language active, whatever
    the editor's admin language, so both sides can be checked.

    Slugs: a slug that clashes with a sibling's in either language, fallbacks
    included, is refused by the editor's form and, on every other way to save
    (workflow approval, bulk publish, scheduled publish), by ``full_clean``, with
    the same explanation (``cms.slugs``).

    Serving: ``Cache-Control`` and ``Last-Modified`` on every public page.

    Sitemap: one URL per language the page really exists in, each listing its
    alternates and ``x-default``, so an English fallback is never announced as
    Vietnamese (which pages are listed is the visibility rule of ``cms.sitemap``).
    """

    base_form_class = BilingualPageForm

    draft_titles = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self._state.adding or (update_fields is not None and "draft_title" in update_fields):
            self.draft_titles = self.titles_by_language()
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "draft_titles"]
        return super().save(*args, **kwargs)

    def titles_by_language(self):
        return {
            lang: getattr(self, build_localized_fieldname("title", lang)) or ""
            for lang in SUPPORTED_LANGUAGES
        }

    def with_content_json(self, content):
        # Like Wagtail's draft_title, the latest draft's titles belong to the page, not a revision.
        obj = super().with_content_json(content)
        obj.draft_titles = self.draft_titles
        return obj

    def get_admin_display_title(self):
        """The latest draft's title in the editor's admin language, the other one as a hint.

        Reads the page row only: an ancestor loaded with deferred specific fields (Wagtail's
        breadcrumbs) shows its current titles rather than costing a query each.
        """
        if "draft_titles" in self.get_deferred_fields():
            titles = self.titles_by_language()
        else:
            titles = {**self.titles_by_language(), **(self.draft_titles or {})}
        lang = normalize_code(get_language()) or DEFAULT_LANGUAGE
        own = titles.get(lang) or titles.get(DEFAULT_LANGUAGE)
        if not own:
            return super().get_admin_display_title()
        hints = [
            titles[other]
            for other in SUPPORTED_LANGUAGES
            if other != lang and titles.get(other) and titles[other] != own
        ]
        if not hints:
            return own
        hint = Truncator(hints[0]).chars(TITLE_HINT_LENGTH)
        return f"{own}{TITLE_HINT_SEPARATOR}{hint}"

    def minimal_clean(self):
        """Wagtail's check for draft saves, then each language's title as the editor left it.

        Wagtail's writes ``self.title = clean(self.title)``: in Vietnamese an empty
        ``title_vi`` reads as the English title and is written back into it. Each title is
        put back, cleaned where it has a value (English is required).
        """
        titles = {
            lang: getattr(self, build_localized_fieldname("title", lang))
            for lang in SUPPORTED_LANGUAGES
        }
        super().minimal_clean()
        for lang, value in titles.items():
            name = build_localized_fieldname("title", lang)
            if value or lang == DEFAULT_LANGUAGE:
                value = self._meta.get_field(name).clean(value, self)
            setattr(self, name, value)

    def full_clean(self, *args, **kwargs):
        # Ahead of wagtail-modeltranslation's check, which names neither page nor language.
        parent = self.get_parent() if self.path else None
        found = page_conflicts(self, parent=parent) if parent is not None else []
        if found:
            raise ValidationError({conflict.field: conflict.message() for conflict in found})
        super().full_clean(*args, **kwargs)

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

    def serve(self, request, *args, **kwargs):
        # Rendered here, so that every page the template shows (a listing, related articles)
        # is recorded and tags the response: a change of one of them purges it (cms.cache).
        with content_cache.recording_shown() as shown:
            response = super().serve(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        # Crawlers and browsers revalidate instead of downloading again (cms.crawlers).
        return page_headers(self, request, response, shown=shown)

    def get_sitemap_urls(self, request=None):
        languages = page_translations(self, request=request)
        available = [item for item in languages.values() if item["available"] and item["full_url"]]
        alternates = [
            {"location": item["full_url"], "lang_code": item["lang"]} for item in available
        ]
        alternates.append(
            {"location": languages[DEFAULT_LANGUAGE]["full_url"], "lang_code": "x-default"}
        )
        lastmod = self.last_published_at or self.latest_revision_created_at
        return [
            {"location": item["full_url"], "lastmod": lastmod, "alternates": alternates}
            for item in available
        ]
