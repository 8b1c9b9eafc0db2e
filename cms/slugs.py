"""A bilingual page's slugs: unique among its siblings in every language, as readers reach them.

Each language has its own URL space (``/en/…``, ``/vi/…``) and a page's path in a
language (``url_path_<lang>``, which routing matches: ``cms.serving``) is made of its
slugs in that language, or its English slug where it has none. So two siblings clash in a
language when their *effective* slugs there are equal: an empty Vietnamese slug
clashes through the English one. The page form, the copy form, moving and
publishing a revision all ask ``conflicts`` before the database or
wagtail-modeltranslation's ``clean`` would refuse the save with a 500.
"""

from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.forms.pages import WagtailAdminPageForm

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence


def slug_field(lang):
    return build_localized_fieldname("slug", lang)


def effective_slugs(slugs):
    """``{lang: slug}`` as routing reads them: empty falls back to the default language."""
    default = slugs.get(DEFAULT_LANGUAGE) or ""
    return {lang: slugs.get(lang) or default for lang in SUPPORTED_LANGUAGES}


class SlugConflict:
    """``lang``'s effective slug ``slug`` is already the address of ``sibling`` in that language."""

    def __init__(self, lang, slug, sibling, fallback):
        self.lang = lang
        self.slug = slug
        self.sibling = sibling
        self.fallback = fallback  # the page's own slug in ``lang`` is empty

    @property
    def field(self):
        return slug_field(self.lang)

    def message(self):
        """The editor's explanation, in the active (admin) language."""
        language = language_in_sentence(self.lang)
        values = {
            "slug": self.slug,
            "language": language,
            "title": self.sibling.title,
            "default_language": language_in_sentence(DEFAULT_LANGUAGE),
        }
        if self.fallback:
            return (
                gettext(
                    "With no %(language)s slug, the %(language)s address uses the "
                    "%(default_language)s slug “%(slug)s”, which the page “%(title)s” already "
                    "uses in %(language)s. Enter a different %(language)s slug."
                )
                % values
            )
        return (
            gettext(
                "The page “%(title)s” already uses the slug “%(slug)s” in %(language)s, "
                "under the same parent page. Choose a different slug."
            )
            % values
        )


def conflicts(parent, slugs, exclude=None):
    """Conflicts of a page with ``slugs`` (``{lang: slug}``) among ``parent``'s other children.

    One query, whatever the number of siblings. ``exclude`` is the page itself.
    """
    if parent is None:
        return []
    wanted = effective_slugs(slugs)
    fields = [slug_field(lang) for lang in SUPPORTED_LANGUAGES]
    siblings = parent.get_children()
    if exclude is not None and exclude.pk:
        siblings = siblings.exclude(pk=exclude.pk)
    candidates = {slug for slug in wanted.values() if slug}
    if not candidates:
        return []
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__in": candidates})
    found = []
    titles = [build_localized_fieldname("title", lang) for lang in SUPPORTED_LANGUAGES]
    rows = list(siblings.filter(match).only("pk", *titles, *fields).order_by("path"))
    for lang in SUPPORTED_LANGUAGES:
        slug = wanted[lang]
        if not slug:
            continue
        for sibling in rows:
            theirs = effective_slugs({code: getattr(sibling, slug_field(code)) for code in wanted})
            if theirs[lang] == slug:
                found.append(SlugConflict(lang, slug, sibling, fallback=not slugs.get(lang)))
                break
    return found


def page_slugs(page):
    return {lang: getattr(page, slug_field(lang), "") or "" for lang in SUPPORTED_LANGUAGES}


def conflict_list(page_conflicts):
    """The conflicts as an HTML list for an admin message."""
    return format_html(
        "<ul>{}</ul>",
        format_html_join("", "<li>{}</li>", ((c.message(),) for c in page_conflicts)),
    )


def page_conflicts(page, parent=None):
    """Conflicts of ``page`` as it stands (a revision's content, say) under ``parent``."""
    parent = parent if parent is not None else page.get_parent()
    return conflicts(parent, page_slugs(page), exclude=page)


class BilingualPageForm(WagtailAdminPageForm):
    """The page editor's form: a slug that clashes in any language is an error on its field.

    wagtail-modeltranslation wraps this form with its own check, which compares only
    the slugs the editor typed; an empty slug that falls back to a taken English one
    passed it and failed at save (a 500), once the new page had a parent to compare with.
    """

    def clean(self):
        cleaned_data = super().clean()
        fields = {lang: slug_field(lang) for lang in SUPPORTED_LANGUAGES}
        if not all(field in self.fields for field in fields.values()):
            return cleaned_data
        failed = {lang for lang, field in fields.items() if field in self.errors}
        if DEFAULT_LANGUAGE in failed:
            return cleaned_data  # fallbacks are unknown until the default slug is valid
        slugs = {lang: cleaned_data.get(field) or "" for lang, field in fields.items()}
        found = conflicts(self.parent_page, slugs, exclude=self.instance)
        default_clashes = any(c.lang == DEFAULT_LANGUAGE for c in found)
        for conflict in found:
            if conflict.lang in failed or (conflict.fallback and default_clashes):
                continue  # a fallback clash goes away with the default slug's own
            self.add_error(conflict.field, conflict.message())
        return cleaned_data


def restore_page_cleans():
    """Undo wagtail-modeltranslation's slug checks, which read every sibling of the page.

    With translated slugs it wraps each page model's ``clean`` with ``_validate_slugs``, and
    its ``base_form_class`` with a form whose ``clean`` does the same: all of the page's
    siblings loaded as page objects, in every language. A publish cleans twice (the
    revision, then the page), through the wrapper of the page's class and the one on
    ``Page``; an admin save adds the form's. Under an index of 10,000 articles a publish
    took 3.4-3.9 s, almost all of it there. ``conflicts`` checks the same slugs, fallbacks
    included, in one query (``BilingualPageForm`` and ``BilingualPageMixin.full_clean``),
    and Wagtail's own ``Page.clean`` still checks the active language's slug.

    Each wrapped ``clean`` is put back to the function it wrapped, which
    ``inspect.getclosurevars`` reads from the wrapper's closure (``old_clean``); each
    wrapped form class to the class it subclassed.
    """
    import inspect

    from django.apps import apps
    from wagtail.models import Page

    for model in apps.get_models():  # wagtailcore.Page among them
        if not issubclass(model, Page):
            continue
        wrapper = model.__dict__.get("clean")
        if getattr(wrapper, "__module__", None) == "wagtail_modeltranslation.patch_wagtailadmin":
            original = inspect.getclosurevars(wrapper).nonlocals.get("old_clean")
            if original is not None:
                model.clean = original
        form = model.__dict__.get("base_form_class")
        if getattr(form, "__module__", None) == "wagtail_modeltranslation.patch_wagtailadmin_forms":
            model.base_form_class = form.__bases__[0]
