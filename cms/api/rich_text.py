"""Rich text for the API: internal page links become absolute public URLs in the active language."""

from django.utils.html import escape
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.pages import PageLinkHandler

from .context import current


class ApiAwarePageLinkHandler(PageLinkHandler):
    """Wagtail's page link handler; inside an API response it links to absolute URLs.

    Outside the API (the public site, the admin) it behaves like Wagtail's own
    handler, except that a link whose page id is not a number (only a hand-made
    POST can store one) renders as a plain ``<a>`` instead of raising a 500.
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        api = current()
        if api is None:
            numeric = [attrs for attrs in attrs_list if str(attrs.get("id")).isdigit()]
            expanded = iter(super().expand_db_attributes_many(numeric))
            return [
                next(expanded) if str(attrs.get("id")).isdigit() else "<a>" for attrs in attrs_list
            ]
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
