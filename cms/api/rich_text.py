"""Rich text for the API: internal page links become absolute public URLs in the active language."""

from django.utils.html import escape
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.pages import PageLinkHandler

from cms.visibility import visible_pages

from .context import current


class ApiAwarePageLinkHandler(PageLinkHandler):
    """Wagtail's page link handler, linking only to pages readers may see.

    A link to a page that is deleted, a draft, unpublished, private, expired or
    not yet live keeps its text, unlinked (``<a>`` without ``href``): its title,
    slug and URL never reach the reader (``cms.references``). Inside an API
    response links are absolute URLs in the response's language, looked up once
    per response; on the site they are the page's URL in the active language.
    A link whose page id is not a number (only a hand-made POST can store one)
    is unlinked too.
    """

    @classmethod
    def get_many(cls, attrs_list):
        ids = [attrs.get("id") for attrs in attrs_list]
        wanted = [int(i) for i in ids if str(i).isdigit()]
        found = visible_pages().filter(pk__in=wanted).defer_streamfields().specific()
        pages = {str(page.pk): page for page in found} if wanted else {}
        return [pages.get(str(i)) for i in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        api = current()
        if api is None:
            return super().expand_db_attributes_many(attrs_list)
        pages = api.linked_pages([attrs.get("id") for attrs in attrs_list])
        # An id that is not a number cannot be looked up: keep the list aligned.
        pages = iter(pages)
        result = []
        for attrs in attrs_list:
            page = next(pages) if str(attrs.get("id")).isdigit() else None
            url = api.page_url(page)
            result.append(f'<a href="{escape(url)}">' if url else "<a>")
        return result


def api_rich_text(html):
    """Display HTML of database rich text, links resolved for the current API context."""
    return expand_db_html(html or "")
