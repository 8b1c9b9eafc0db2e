"""The public site's serve view: Wagtail's, with the page at a URL found by an indexed lookup.

Wagtail finds the page at a URL with ``Page.route``, one path component at a time, and
wagtail-modeltranslation gives every translated page model a ``route`` that reads all the
children of a section to compare their slugs in Python: an article among 10,000 took
seconds. This view asks the document store (``cms.api.documents``: the read model keeps
each page's public path per language, its state and publication window, indexed) for the
page at the path in the active language, and loads it: two queries, whatever the depth or
the size of the section. Serving is then Wagtail's own: the ``before_serve_page`` hooks
(a private page's password or login form), the ``on_serve_page`` hooks and ``page.serve``.

A path no document answers falls back on the page table: the deepest published page whose
translated ``url_path`` starts the path (one indexed query). That serves page types the API
does not publish, a page published a moment ago whose document is not built yet, and the
routes of a ``RoutablePageMixin`` page below its own path.

Readers reach a page only while it is live and inside its publication window
(``cms.visibility``: ``published``); privacy is left to Wagtail's hooks, so a private page
routes and answers with its password or login form.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from cms.api import documents
from cms.language import DEFAULT_LANGUAGE, normalize_code
from cms.text import nfc
from cms.visibility import ReaderPageQuerySet, reader_page


def composed_address_redirect(request):
    """A permanent redirect to the composed (NFC) form of the request's address, or None.

    An address written with decomposed letters (NFD: "e" and a combining accent, as some
    systems type Vietnamese) is the same address as its composed form, which slugs are stored
    in and pages link to; URL patterns do not even match it (a combining accent is not a
    word character). The query string is kept.
    """
    composed = nfc(request.path)
    if composed == request.path:
        return None
    query = request.META.get("QUERY_STRING", "")
    location = "/" + iri_to_uri(composed).lstrip("/")  # a path on this site, never //host
    return HttpResponsePermanentRedirect(location + (f"?{query}" if query else ""))


def serve(request, path):
    """Wagtail's ``wagtail.views.serve``, with the page found by ``route_for_request``."""
    route = route_for_request(request, path)
    if route is None:
        raise Http404
    page, args, kwargs = route

    def serve_chain(page, request, args, kwargs):
        return page.serve(request, *args, **kwargs)

    on_serve_chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        on_serve_chain = fn(on_serve_chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return on_serve_chain(page, request, args, kwargs)


def route_for_request(request, path):
    """The ``RouteResult`` of the page readers reach at ``path`` in the active language, or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    lang = normalize_code(get_language()) or DEFAULT_LANGUAGE
    components = [component for component in path.split("/") if component]
    try:
        page, remaining = _documented_page(site, lang, components) or _published_page(
            site, lang, components
        )
        # Readers get the page as composed for them: each language's text as released
        # (cms.visibility.reader_page; None while its default language was never released).
        page = reader_page(page)
        if page is None:
            raise Http404
        return _route(page, request, remaining)
    except Http404:
        return None


def _url_path(components):
    return "/" + "".join(f"{component}/" for component in components)


def _documented_page(site, lang, components):
    """``(page, [])`` from the document at the path, or None (one query, two when found)."""
    found = documents.store().page_at(site, lang, _url_path(components))
    if found is None:
        return None
    page_id, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model and model.objects.filter(pk=page_id, live=True).first()
    return (page, []) if page is not None else None


def _published_page(site, lang, components):
    """``(page, components below it)``: the deepest published page starting the path.

    Its translated ``url_path`` in ``lang`` (wagtail-modeltranslation fills it with the
    English slug where the page has none in ``lang``), on ``site``.
    """
    root = site.root_page
    field = f"url_path_{lang}"
    root_path = (
        getattr(root, field, None)
        or getattr(root, f"url_path_{DEFAULT_LANGUAGE}", None)
        or root.url_path
    )
    prefixes = [root_path + _url_path(components[:n])[1:] for n in range(len(components) + 1)]
    pages = (
        ReaderPageQuerySet(Page)
        .published()
        .filter(path__startswith=root.path, **{f"{field}__in": prefixes})
        .order_by("-depth", "path")
    )
    page = pages.first()
    if page is None:
        raise Http404
    remaining = components[prefixes.index(getattr(page, field)) :]
    if remaining and not issubclass(page.specific_class or Page, RoutablePageMixin):
        raise Http404  # nothing below a page but its children, and none matched
    return page.specific, remaining


def _route(page, request, remaining):
    """What ``Page.route`` answers for ``page`` with ``remaining`` components below it.

    A ``RoutablePageMixin`` page resolves them with its own routes (as its ``route`` does);
    any other page has nothing below it that is not a page.
    """
    if isinstance(page, RoutablePageMixin):
        match = page.resolve_subpage(_url_path(remaining))  # Http404 when no route matches
        request.routable_resolver_match = match
        view, args, kwargs = match
        return RouteResult(page, args=(view, args, kwargs))
    if remaining:
        raise Http404
    return RouteResult(page)
