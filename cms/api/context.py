"""The state one API response is built with: request, site, language and per-request caches.

Blocks receive it as ``context["api"]`` in ``get_api_representation``; the
rich-text link handler finds it through a context variable, so links resolve
to absolute URLs in the requested language without a query per paragraph.
"""

import contextlib
import contextvars
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urljoin

from django.utils import translation

from cms import reference as reference_data
from cms.visibility import visible_pages

_current = contextvars.ContextVar("cms_api_context", default=None)

# <a linktype="page" id="12"> inside rich text, also inside a JSON-encoded stream.
_PAGE_LINK = re.compile(r"<a\b[^>]*?linktype=\\?[\"']page\\?[\"'][^>]*>")
_LINK_ID = re.compile(r"\bid=\\?[\"'](\d{1,10})\\?[\"']")


def current():
    """The API context of the response being built, or None outside the API."""
    return _current.get()


@dataclass
class ApiContext:
    request: object
    site: object
    lang: str
    # The site's id as ``cms.sites`` selects it in SQL (None: ``site.pk``).
    site_id: object = None
    _linked_pages: dict = field(default_factory=dict)
    # Values computed once per response (shared by its languages; key them by language).
    memo: dict = field(default_factory=dict)

    def for_language(self, lang):
        """The same request answered in another language (caches are shared)."""
        return replace(self, lang=lang)

    @property
    def site_key(self):
        """What reads of documents filter ``site_id`` by: no query of its own."""
        return self.site.pk if self.site_id is None else self.site_id

    @property
    def base_url(self):
        return self.site.root_url

    def absolute(self, url):
        return urljoin(self.base_url + "/", url) if url else url

    @contextlib.contextmanager
    def active(self):
        """Activate this context's language and make it visible to rich-text link handlers."""
        token = _current.set(self)
        try:
            with translation.override(self.lang):
                yield self
        finally:
            _current.reset(token)

    @property
    def reference(self):
        """Private sections, doctors, settings: read once for this response."""
        return reference_data.for_request(self.request)

    @cached_property
    def clinic(self):
        """The site's contact settings (calls to action resolve their buttons from them)."""
        return self.reference.read("clinic_settings", self.site)

    def block_context(self):
        return {"api": self}

    def page_url(self, page):
        """Absolute public URL of ``page`` in the active language.

        For pages already selected through the visibility rule (``cms.visibility``);
        pages referenced from content go through ``cms.references`` or ``linked_pages``.
        """
        return page.get_full_url(request=self.request) if page is not None else None

    def page_ref(self, page):
        """``{id, title, url}`` of a visible page in the active language."""
        if page is None:
            return None
        return {"id": page.pk, "title": page.title, "url": self.page_url(page)}

    # Internal links in rich text: fetched once per response, however many paragraphs.
    def prefetch_links(self, *texts):
        ids = set()
        for text in texts:
            for tag in _PAGE_LINK.findall(text or ""):
                found = _LINK_ID.search(tag)
                if found:
                    ids.add(int(found.group(1)))
        self.linked_pages(ids)

    def linked_pages(self, ids):
        """The pages ``ids`` link to, None for each one readers may not see (or gone)."""
        wanted = [int(i) for i in ids if str(i).isdigit()]
        missing = [i for i in wanted if i not in self._linked_pages]
        if missing:
            visible = visible_pages(site=self.site).filter(pk__in=missing)
            found = visible.defer_streamfields().in_bulk()
            for pk in missing:
                self._linked_pages[pk] = found.get(pk)
        return [self._linked_pages.get(i) for i in wanted]
