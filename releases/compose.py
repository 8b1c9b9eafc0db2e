"""The page readers see: the one function that composes it, registered with ``cms``.

Readers get the page's live row with each language's translated fields taken from the
revision released for that language (``LanguageRelease``); a language with nothing in
force (never released, or withdrawn) has its fields empty, so readers of it get the
default language, reported as a fallback wherever fallbacks are reported. A page whose
default language was never released is not visible (``None``).

Slugs and URL paths are the row's in every language: they are where the page lives
(routing, redirects and the descendants' addresses are built from them), not text a
reader reads.

``cms.visibility.reader_page``/``reader_pages`` call ``reader_pages`` below: the read
model's builder (documents: the API, search, sync), the site's routing (HTML pages,
hreflang) and the sitemap read through it, and the visibility rule adds
``default_released`` (a subquery) to its own conditions.
"""

import copy
from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Prefetch
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page, Revision

from cms import translations, visibility
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.translations import translatable_fields

from .models import LanguageRelease

# ``prefetch_related(RELEASES_PREFETCH)`` spares the query per batch of pages.
PREFETCHED_RELEASES = "prefetched_releases"
RELEASES_PREFETCH = Prefetch("language_releases", to_attr=PREFETCHED_RELEASES)

# Where a page lives, not what readers read: always the row's (see above).
STRUCTURAL_FIELDS = {"slug", "url_path"}

_ROW = "row"
_MISSING = "missing"


def register():
    visibility.register_released_condition(default_released)
    visibility.register_reader_pages(reader_pages)
    translations.register_language_states(reader_states)


def default_released():
    """Page rows whose default language has a release in force (the visibility rule's part)."""
    return Exists(
        LanguageRelease.objects.filter(
            page_id=OuterRef("pk"), lang=DEFAULT_LANGUAGE, withdrawn_at__isnull=True
        )
    )


def _text_digest(page, lang):
    from editorial.status import text_digest

    return text_digest(page, lang)


def _releases_of(pages):
    """``{page id: {lang: release}}`` (``RELEASES_PREFETCH``'s rows when there are)."""
    found, wanted = {}, []
    for page in pages:
        prefetched = getattr(page, PREFETCHED_RELEASES, None)
        if prefetched is not None:
            found[page.pk] = {r.lang: r for r in prefetched}
        else:
            wanted.append(page.pk)
    if wanted:
        for release in LanguageRelease.objects.filter(page_id__in=wanted):
            found.setdefault(release.page_id, {})[release.lang] = release
    return found


def _content(page, revision):
    """``page`` as ``revision`` holds it (text only: no query per foreign key)."""
    return type(page).from_serializable_data(revision.content, check_fks=False)


def _row_revision_id(page):
    """The revision whose content the page's row holds: its live revision. None for an alias:
    Wagtail copies its original's content into its row on every publish of the original,
    released or not, and leaves its ``live_revision`` as the alias was created with."""
    return None if page.alias_of_id else page.live_revision_id


def _latest_revision_id(page):
    """The latest revision editors wrote (an alias's: its original's)."""
    if not page.alias_of_id:
        return page.latest_revision_id
    original = Page.objects.filter(pk=page.alias_of_id)
    return original.values_list("latest_revision_id", flat=True).first()


class _Sources:
    """Where each language of one page comes from: the row, a revision's content, or nowhere."""

    def __init__(self, page, releases, revisions):
        self.page = page
        self.releases = releases
        self.by_lang = {}
        for lang in SUPPORTED_LANGUAGES:
            release = releases.get(lang)
            if release is None or not release.in_force:
                self.by_lang[lang] = _MISSING
            elif release.revision_id is not None and release.revision_id == _row_revision_id(page):
                self.by_lang[lang] = _ROW
            elif release.revision_id is not None and release.revision_id in revisions:
                self.by_lang[lang] = _content(page, revisions[release.revision_id])
            elif not release.text_digest or release.text_digest == _text_digest(page, lang):
                # Released before revisions existed (the migration), or its revision is gone
                # and the row holds that same text.
                self.by_lang[lang] = _ROW
            else:
                self.by_lang[lang] = _MISSING  # its revision is gone, and the text with it

    def source(self, lang):
        found = self.by_lang[lang]
        return self.page if found is _ROW else found


def _needed_revisions(page, releases):
    return {
        release.revision_id
        for release in releases.values()
        if release.in_force and release.revision_id not in (None, _row_revision_id(page))
    }


def _states(page, sources):
    """``{lang: {"state", "live_since"}}``: pending when the latest revision holds other text
    than the one released (the latest revision is read only when the row does not hold it)."""
    latest, latest_id = page, _latest_revision_id(page)
    if latest_id and latest_id != _row_revision_id(page):
        revision = Revision.objects.filter(pk=latest_id).first()
        latest = _content(page, revision) if revision is not None else page
    states = {}
    for lang in SUPPORTED_LANGUAGES:
        source = sources.by_lang[lang]
        if source is _MISSING:
            states[lang] = {"state": "missing", "live_since": None}
            continue
        release = sources.releases[lang]
        if release.revision_id is not None and release.revision_id == latest_id:
            state = "live"
        else:
            released = release.text_digest or _text_digest(sources.source(lang), lang)
            state = "live" if released == _text_digest(latest, lang) else "pending"
        states[lang] = {"state": state, "live_since": release.released_at}
    return states


class _States(Mapping):
    """A composed page's ``reader_languages``, worked out when first read: the site and the
    sitemap never read them, the API's documents do."""

    def __init__(self, page, sources):
        self._args = (page, sources)
        self._found = None

    def _all(self):
        if self._found is None:
            self._found = _states(*self._args)
        return self._found

    def __getitem__(self, lang):
        return self._all()[lang]

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())


def _empty(model, name):
    return model._meta.get_field(name).get_default()


def _compose(page, sources):
    """The live row with each language's text from its source (a copy when any differs)."""
    if all(source is _ROW for source in sources.by_lang.values()):
        return page
    composed = copy.copy(page)
    model = type(page)
    names = [name for name in translatable_fields(model) if name not in STRUCTURAL_FIELDS]
    for lang, source in sources.by_lang.items():
        if source is _ROW:
            continue
        for name in names:
            localized = build_localized_fieldname(name, lang)
            value = _empty(model, localized) if source is _MISSING else getattr(source, localized)
            setattr(composed, localized, value)
    return composed


def reader_pages(pages):
    """Each page (a live row of its specific type) as readers see it; None when they may not
    see it: not live, or its default language was never released (or is gone)."""
    pages = list(pages)
    live = [page for page in pages if page is not None and getattr(page, "live", False)]
    releases = _releases_of(live)
    wanted = set()
    for page in live:
        wanted |= _needed_revisions(page, releases.get(page.pk, {}))
    revisions = Revision.objects.in_bulk(wanted) if wanted else {}
    result = []
    for page in pages:
        if page is None or not getattr(page, "live", False):
            result.append(None)
            continue
        sources = _Sources(page, releases.get(page.pk, {}), revisions)
        if sources.by_lang[DEFAULT_LANGUAGE] is _MISSING:
            result.append(None)
            continue
        composed = _compose(page, sources)
        composed.reader_languages = _States(page, sources)
        result.append(composed)
    return result


def reader_states(page):
    """``{lang: {"state", "live_since"}}`` of ``page`` for readers, whatever content
    ``page`` holds in memory (a preview's draft): read from its stored row and releases."""
    row = Page.objects.filter(pk=page.pk).specific().first() if page.pk else None
    if row is None:
        return {lang: {"state": "missing", "live_since": None} for lang in SUPPORTED_LANGUAGES}
    releases = _releases_of([row]).get(row.pk, {})
    revisions = Revision.objects.in_bulk(_needed_revisions(row, releases))
    return _states(row, _Sources(row, releases, revisions))
