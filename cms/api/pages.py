"""Page endpoints: list, detail, find by public URL, and headless preview."""

import re
from typing import Annotated, Literal, Union
from urllib.parse import unquote, urlencode, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from ninja import Path, Query, Router
from pydantic import Field
from wagtail.models import Page

from cms import cache as cache_tags
from cms import clock
from cms.cache import set_tags
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.text import nfc
from cms.translations import DRAFT, LIVE
from cms.visibility import reader_page

from . import documents, registry, representation
from .caching import PRIVATE_CACHE_CONTROL, body_response, etag_of, to_json
from .errors import ApiError, ErrorOut
from .language import ALL, lang_query, request_language
from .params import MAX_ID, Number, OptionalNumber, api_context, reject_unknown_params
from .preview import read_token
from .schemas import OutSchema, PageListOut, PageSummaryOut
from .visibility import visible_pages, visible_pages_of

router = Router(tags=["pages"])

MAX_PAGE_SIZE = 100
PageTypeName = Literal["therapy", "article", "home", "therapy_index", "article_index"]
PageOrder = Literal[
    "path",
    "title",
    "-title",
    "first_published_at",
    "-first_published_at",
    "last_published_at",
    "-last_published_at",
    "id",
    "-id",
]
# Control characters never appear in a URL or a search; PostgreSQL rejects NUL outright.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NO_CONTROL_PATTERN = r"^[^\x00-\x1f\x7f]*$"
PATH_PATTERN = r"^(/|https?://)[^\x00-\x1f\x7f]*$"


# Built from the registry (apps register their page types in their api.py, imported
# by cms.api.urls before this module), so a new page type only registers itself.
PageDetailOut = Annotated[
    Union[tuple(dict.fromkeys(registry.detail_schemas()))],  # noqa: UP007
    Field(discriminator="type"),
]


class PageAllLanguagesOut(OutSchema):
    """``lang=all``: the page once per language, keyed by language code."""

    id: int
    type: str
    lang: Literal["all"]
    languages: dict[str, PageDetailOut]


PageResponse = Union[PageDetailOut, PageAllLanguagesOut]  # noqa: UP007
ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MovedOut(OutSchema):
    """The page has moved: ``location`` (also the ``Location`` header) finds it at its address."""

    detail: str
    path: str
    location: str


def _clean_text(value, name):
    if value is not None and _CONTROL.search(value):
        raise ApiError(400, f"{name} must not contain control characters.")
    return value


@router.get("/pages/", response={200: PageListOut, 304: None, **ERRORS}, url_name="list_pages")
def list_pages(
    request,
    type: PageTypeName | None = Query(None, description="Only pages of this type."),
    child_of: OptionalNumber = Query(
        None, ge=1, le=MAX_ID, description="Only children of this page id."
    ),
    search: str | None = Query(
        None,
        max_length=200,
        description="Words to find in the page's text in the requested language; accents "
        "are optional (`lieu phap` finds `liệu pháp`).",
        pattern=NO_CONTROL_PATTERN,
    ),
    order: PageOrder = Query("path", description="Sort order; `-` for descending."),
    limit: Number = Query(20, ge=1, le=MAX_PAGE_SIZE, description=f"At most {MAX_PAGE_SIZE}."),
    offset: Number = Query(0, ge=0, le=MAX_ID),
    lang: str | None = lang_query(),
):
    """Live, public pages in the requested language, with filters, search and paging.

    Returns `{count, limit, offset, items}`; each item carries the fields every
    page has plus a short `summary`. Fetch `/pages/{id}/` for the body.
    """
    reject_unknown_params(
        request, {"type", "child_of", "search", "order", "limit", "offset", "lang"}
    )
    lang = request_language(request, lang)
    _clean_text(search, "search")
    api = api_context(request, lang)
    found = documents.store().list(
        api.site_key,
        lang,
        page_type=type,
        child_of=child_of,
        search=search,
        order=order,
        limit=limit,
        offset=offset,
    )
    if found is None:
        raise ApiError(404, f"No visible page with id {child_of}.")
    count, items = found.count, found.items
    head = to_json(dict, {"count": count, "limit": limit, "offset": offset})
    body = head[:-1] + b',"items":[' + b",".join(item for _id, item in items) + b"]}"
    response = body_response(request, body, content_language=lang, etag=etag_of(lang, body))
    # Purged when an item changes, and when a change can alter which pages the list holds or
    # their order (cms.cache.list_tags).
    tags = cache_tags.list_tags(
        lang, page_type=type, child_of=child_of, order=order, search=search is not None
    )
    set_tags(response, [*tags, *(cache_tags.page_tag(pk) for pk, _i in items)])
    # The list's own end counts every page of its scope going live or expiring: the
    # site-wide next go-live (and the purge counter it is kept by) is not read.
    return cache_tags.set_valid_until(response, found.valid_until, complete=True)


def summary_item(page, api):
    """The JSON of ``page`` as a list item in ``api.lang`` (stored with its documents)."""
    representation.prefetch_summaries([page])
    return to_json(PageSummaryOut, representation.summary(page, api))


def detail_body(page, api, lang, scope=LIVE):
    """The JSON body of ``page``'s detail in ``lang`` (or ``all``): the one builder.

    Preview answers with it at once; the read model stores what it returns for each
    published page and language (``readmodel.builder``), and detail and ``find`` send that.
    """
    representation.prefetch_detail(page, api.reference, scope)
    data = representation.detail_in(page, api, lang)
    schema = PageAllLanguagesOut if lang == ALL else PageDetailOut
    return to_json(schema, data)


def _page_response(request, page, api, lang, cacheable=True, scope=LIVE):
    body = detail_body(page, api, lang, scope)
    content_language = representation.content_language(lang)
    etag = etag_of(content_language, body) if cacheable else None
    return body_response(request, body, content_language=content_language, etag=etag)


def _languages(lang):
    return list(SUPPORTED_LANGUAGES) if lang == ALL else [lang]


def _document_response(request, api, found, lang):
    """The stored document(s) of one page as the response, or None when there is none.

    ``lang=all`` joins the stored bodies of every language into the shape of
    ``PageAllLanguagesOut`` (its own ETag). A document past its ``valid_until`` (a medical
    review fell due, a page it shows went live or expired, and the rebuild has not run yet)
    is answered as the builder makes it now.
    """
    by_lang = {document.lang: document for document in found}
    if not by_lang or any(code not in by_lang for code in _languages(lang)):
        return None
    tags = [cache_tags.page_tag(found[0].page_id)]
    now = clock.now()
    if any(d.valid_until is not None and d.valid_until <= now for d in by_lang.values()):
        page = reader_page(_visible_page(api, found[0].page_id))  # as the builder reads it
        if page is None:
            return None
        # Purged with the document it stands in for; its end is the site's next change.
        return set_tags(_page_response(request, page, api, lang), tags)
    ends = [d.valid_until for d in by_lang.values() if d.valid_until is not None]
    if lang != ALL:
        document = by_lang[lang]
        response = body_response(request, document.body, content_language=lang, etag=document.etag)
        return cache_tags.set_valid_until(
            set_tags(response, tags), min(ends, default=None), complete=True
        )
    first = by_lang[SUPPORTED_LANGUAGES[0]]
    head = to_json(dict, {"id": first.page_id, "type": first.page_type, "lang": ALL})
    languages = b",".join(
        to_json(str, code) + b":" + by_lang[code].body for code in SUPPORTED_LANGUAGES
    )
    body = head[:-1] + b',"languages":{' + languages + b"}}"
    content_language = representation.content_language(ALL)
    response = body_response(
        request, body, content_language=content_language, etag=etag_of(content_language, body)
    )
    return cache_tags.set_valid_until(
        set_tags(response, tags), min(ends, default=None), complete=True
    )


@router.get(
    "/pages/find/",
    response={200: PageResponse, 301: MovedOut, 302: MovedOut, 304: None, **ERRORS},
    url_name="find_page",
)
def find_page(
    request,
    path: str = Query(
        ...,
        min_length=1,
        max_length=1000,
        description="A public URL or path of either language, e.g. `/vi/lieu-phap/prp/`.",
        pattern=PATH_PATTERN,
    ),
    lang: str | None = lang_query(
        allow_all=True,
        description="Answer in another language than the URL's (or `all`); default: the URL's.",
    ),
):
    """The live, public page at a public URL, answered in that URL's language.

    `/vi/lieu-phap/prp/` and `/en/therapies/prp/` find the same page; the first
    answers in Vietnamese. A full URL (`https://…/vi/…`) is accepted too.

    An old address that the site redirects (the page moved or its slug changed, or an
    editor added a redirect) answers as the site does: 301 (302 for a temporary redirect)
    with `Location` set to this endpoint for the page's current address.
    """
    reject_unknown_params(request, {"path", "lang"})
    _clean_text(path, "path")
    if not re.match(PATH_PATTERN, path):
        raise ApiError(
            400, "path must be a URL or a path starting with '/', e.g. /vi/lieu-phap/prp/."
        )
    try:
        sent_path = urlsplit(path).path or "/"
    except ValueError:  # e.g. a malformed IPv6 host in a full URL
        raise ApiError(404, "No live, public page at this URL.") from None
    # The path as the site routes it: the page's own `url` is percent-encoded (a slug may
    # hold Vietnamese letters), and a server decodes what a browser sends.
    # Composed (NFC), as slugs are stored: a path typed with decomposed Vietnamese letters
    # ("e" and a combining accent, as some systems write them) finds the same page.
    raw_path = nfc(_clean_text(unquote(sent_path), "path"))
    components = [c for c in raw_path.split("/") if c]
    url_lang = DEFAULT_LANGUAGE
    prefixed = bool(components) and components[0] in SUPPORTED_LANGUAGES
    if prefixed:
        url_lang = components.pop(0)
    answer_lang = request_language(request, lang, allow_all=True) if lang else url_lang
    api = api_context(request, url_lang)
    url_path = "/" + "".join(f"{component}/" for component in components)
    found = documents.store().find(api.site_key, url_lang, url_path, _languages(answer_lang))
    response = _document_response(request, api, found, answer_lang)
    if response is None:
        moved = _moved(request, api, url_lang, raw_path, prefixed, lang)
        if moved is not None:
            return moved
        raise ApiError(404, f"No live, public page at {raw_path}.")
    return response


def _moved(request, api, url_lang, raw_path, prefixed, lang):
    """The site's redirect from ``raw_path``, as a redirect to ``find`` at the new address.

    Only to a live, public page of this site: a redirect to anything else (a draft, a
    private page, an external link) answers 404, like an address that never existed.
    """
    from wagtail.contrib.redirects.models import Redirect

    paths = [raw_path] if prefixed else [raw_path, f"/{url_lang}{raw_path}"]
    # The site serves /articles/… at /en/articles/…: its redirects are stored that way. An
    # old path is stored decoded (Wagtail's own) or as an editor typed it, percent-encoded:
    # both are looked up, as Wagtail's redirect middleware does.
    old_paths = {Redirect.normalise_path(p) for p in paths} | {
        Redirect.normalise_path(iri_to_uri(p), decode_unicode=False) for p in paths
    }
    redirect = (
        Redirect.get_for_site(api.site)
        .filter(old_path__in=old_paths, redirect_page__isnull=False)
        # A site's own redirect before one for all sites (NULL last on every database).
        .order_by(F("site_id").desc(nulls_last=True), "pk")
        .first()
    )
    if redirect is None:
        return None
    page = _visible_page(api, redirect.redirect_page_id)
    if page is None:
        return None
    with translation.override(url_lang):
        path = page.get_url(request=request)
    if not path:
        return None
    query = {"path": path, **({"lang": lang} if lang else {})}
    location = f"{reverse('content-api:find_page')}?{urlencode(query)}"
    body = to_json(MovedOut, {"detail": f"Moved to {path}.", "path": path, "location": location})
    response = HttpResponse(
        body,
        status=301 if redirect.is_permanent else 302,
        content_type="application/json; charset=utf-8",
    )
    response["Location"] = location
    # Editors change redirects without publishing a page: clients ask again each time.
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


# Page id -> its specific model: a page never changes its type, so this is never stale. It
# saves the query for the type on every detail of a page this process has answered before.
_page_models = {}
_PAGE_MODELS_MAX = 50_000


def _visible_page(api, pk):
    """The visible page with id ``pk`` as its specific type, in one query (two the first time)."""
    model = _page_models.get(pk)
    if model is not None:
        page = visible_pages_of(model, api.site).filter(pk=pk).first()
        if page is not None:
            return page
        # Not visible, or (SQLite can reuse the id of a deleted page) of another type now.
    found = visible_pages(api.site).filter(pk=pk).values_list("content_type_id", flat=True)
    content_type_id = found.first()
    if content_type_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    if len(_page_models) >= _PAGE_MODELS_MAX:
        _page_models.clear()
    _page_models[pk] = model
    return visible_pages_of(model, api.site).filter(pk=pk).first()


@router.get("/pages/{id}/", response={200: PageResponse, 304: None, **ERRORS})
def get_page(
    request,
    id: Number = Path(..., ge=1, le=MAX_ID, description="Page id."),
    lang: str | None = lang_query(allow_all=True),
):
    """One live, public page with its type-specific fields, typed body blocks and JSON-LD."""
    reject_unknown_params(request, {"lang"})
    lang = request_language(request, lang, allow_all=True)
    api = api_context(request, DEFAULT_LANGUAGE if lang == ALL else lang)
    found = documents.store().detail(api.site_key, id, _languages(lang))
    response = _document_response(request, api, found, lang)
    if response is None:
        raise ApiError(404, f"No live, public page with id {id}.")
    return response


@router.get(
    "/preview/",
    response={200: PageResponse, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def preview_page(
    request,
    token: str = Query(..., max_length=500, description="Token from the admin's headless preview."),
    lang: str | None = lang_query(allow_all=True),
):
    """The latest draft of the page a preview token names, in the same shape as `/pages/{id}/`.

    Tokens are signed and expire (``HEADLESS_PREVIEW_TOKEN_MAX_AGE``); responses
    are never cached (`Cache-Control: private, no-store`).
    """
    reject_unknown_params(request, {"token", "lang", "id"})
    lang = request_language(request, lang, allow_all=True)
    page_id = read_token(token)
    api = api_context(request, DEFAULT_LANGUAGE if lang == ALL else lang)
    page = Page.objects.filter(pk=page_id).specific().first()
    if page is None or registry.for_page(page) is None:
        raise ApiError(404, "The page of this preview no longer exists.")
    draft = page.get_latest_revision_as_object()
    return _page_response(request, draft, api, lang, cacheable=False, scope=DRAFT)
