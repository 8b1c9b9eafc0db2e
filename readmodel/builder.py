"""The one builder of documents: a page's API detail in each language, on each of its sites.

The body is what ``cms.api.pages.detail_body`` makes (the code that answers a headless
preview, from the page's live row instead of its latest draft); the columns are read from
the page with plain ORM. Apps add what only they know through ``register_search_text`` and
``register_valid_until`` (``<app>/documents.py``).

Which revision each language is built from is decided in one place, ``_reader_page``: the
page readers see, as ``cms.visibility.reader_page`` composes it (each language's text from
the revision released for it, a language never released or withdrawn in the default
language; ``releases``). A live page readers may not see at all (its default language never
went live) gets documents without a body, like a draft.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Q
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site

from cms import clock, visibility
from cms.api import registry
from cms.api.caching import etag_of
from cms.api.context import ApiContext
from cms.api.pages import detail_body, summary_item
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

from .models import PageDocument

_search_text = []
_valid_until_functions = []


def register_search_text(function):
    """``function(page, lang)`` gives the searchable text of a live, public page in ``lang``."""
    _search_text.append(function)
    return function


def register_valid_until(function):
    """``function(page)`` gives when the page's body changes with time alone, or None."""
    _valid_until_functions.append(function)
    return function


def _request_for(site):
    """A request to ``site``'s host and port, which ``Site.find_for_request`` answers with it.

    A Site's hostname and port are unique, so Wagtail's lookup finds this very site (one
    query, kept on the request by Wagtail). A new request for each page built: reference
    data read while building (``cms.reference``) lives on it.
    """
    request = HttpRequest()
    request.META = {"SERVER_NAME": site.hostname, "SERVER_PORT": str(site.port)}
    return request


def _live_page(page_id):
    """The page's row (its specific type), or None when it is gone."""
    return Page.objects.filter(pk=page_id).specific().first()


def _reader_page(page):
    """``page`` as readers see it, each language from its release; None when they may not."""
    return visibility.reader_page(page) if page.live else None


def sites_of(page, sites=None):
    """The sites whose tree holds ``page``."""
    sites = sites if sites is not None else Site.objects.select_related("root_page")
    return [site for site in sites if page.path.startswith(site.root_page.path)]


def _is_restricted(page):
    paths = [page.path[:i] for i in range(page.steplen, len(page.path) + 1, page.steplen)]
    return PageViewRestriction.objects.filter(page__path__in=paths).exists()


def _path_in_site(page, site, lang):
    """``page``'s public path in ``lang`` below ``site``'s root, as ``find`` matches it."""
    root = site.root_page
    prefix = (
        getattr(root, f"url_path_{lang}", None)
        or getattr(root, f"url_path_{DEFAULT_LANGUAGE}", None)
        or root.url_path
    )
    url_path = getattr(page, f"url_path_{lang}", None)
    if not url_path or not url_path.startswith(prefix):
        return ""
    return "/" + url_path[len(prefix) :]


def _title_sort(page, lang):
    return getattr(page, f"title_{lang}", None) or getattr(page, f"title_{DEFAULT_LANGUAGE}", "")


def _base_content_type(model):
    """The content type objects of ``model`` are referenced by (a page's: ``Page``), as in
    Wagtail's reference index."""
    parents = model._meta.get_parent_list()
    return ContentType.objects.get_for_model(
        parents[-1] if parents else model, for_concrete_model=False
    )


def shown_by(reader):
    """``{(content type id, object id)}``: what ``reader`` (a page as readers get it) shows in
    its text fields, the rich text and StreamFields of every language, read with Wagtail's own
    ``extract_references``. Its row's foreign keys and child relations are the reference
    index's."""
    shown = set()
    for field in type(reader)._meta.concrete_fields:
        if not hasattr(field, "extract_references"):
            continue
        value = field.value_from_object(reader)
        if value is None:
            continue
        for model, object_id, _model_path, _content_path in field.extract_references(value):
            shown.add((_base_content_type(model).pk, str(object_id)))
    return shown


def shown_in(documents):
    """What the page of ``documents`` (built here) shows its readers; none without documents."""
    return set().union(*(document.shown for document in documents))


def _valid_until(page, now, shown):
    """The next moment the body changes with time alone (None: none ahead).

    A page that the body shows (its descendants in listings, what it links to, compares or
    relates, by the reference index and in the text readers get: ``shown``) going live or
    expiring, or what an app registered.
    """
    page_type = ContentType.objects.get_for_model(Page)
    indexed = ReferenceIndex.get_references_for_object(page).filter(to_content_type=page_type)
    ids = set(indexed.values_list("to_object_id", flat=True))
    ids |= {pk for type_id, pk in shown if type_id == page_type.pk}
    ids = [int(pk) for pk in ids if pk.isdigit()]
    below = Q(path__startswith=page.path, depth__gt=page.depth)
    found = (
        Page.objects.filter(live=True)
        .filter(Q(pk__in=ids) | below)
        .aggregate(
            go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
            expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
        )
    )
    moments = [m for m in found.values() if m is not None]
    moments += [m for function in _valid_until_functions if (m := function(page)) is not None]
    return min(moments) if moments else None


def build(page_id, sites=None, now=None):
    """The documents of page ``page_id`` (unsaved, ``seq`` unset), one per site and language.

    Empty for a page that is gone or of a type the API does not publish. A page readers may
    not see apart from its window (a draft, unpublished or private) gets documents without
    a body, so that reads select nothing and a later sync can say it left. Each document
    carries ``shown``: what the page shows its readers (``shown_by``; none without a body),
    which ``readmodel.outbox`` stores with the documents (``ShownReference``).
    """
    page = _live_page(page_id)
    if page is None:
        return []
    page_type = registry.for_page(page)
    if page_type is None:
        return []
    now = clock.now() if now is None else now
    built_at = timezone.now()
    restricted = _is_restricted(page)
    reader = _reader_page(page)
    live = reader is not None
    public = live and not restricted
    shown = shown_by(reader) if public else set()
    valid_until = _valid_until(page, now, shown) if public else None
    documents = []
    for site in sites_of(page, sites):
        request = _request_for(site)
        for lang in SUPPORTED_LANGUAGES:
            document = PageDocument(
                site_id=site.pk,
                page_id=page.pk,
                lang=lang,
                state=PageDocument.State.LIVE if live else PageDocument.State.DRAFT,
                view_restricted=restricted,
                go_live_at=page.go_live_at,
                expire_at=page.expire_at,
                page_type=page_type.name,
                content_type_id=page.content_type_id,
                parent_id=page.get_parent().pk if page.depth > 1 else None,
                tree_path=page.path,
                depth=page.depth,
                url_path=_path_in_site(page, site, lang),
                first_published_at=page.first_published_at,
                last_published_at=page.last_published_at,
                title_sort=_title_sort(reader or page, lang)[:255],
                body=b"",
                etag="",
                item=b"",
                valid_until=valid_until,
                built_at=built_at,
            )
            if public:
                api = ApiContext(request, site, lang)
                document.body = detail_body(reader, api, lang)
                document.etag = etag_of(lang, document.body)
                document.item = summary_item(reader, api)
                document.search_text = " ".join(f(reader, lang) for f in _search_text)
            document.shown = shown
            documents.append(document)
    return documents


# What ``same`` compares: everything a read or a sync could see.
COMPARED = (
    "state",
    "view_restricted",
    "go_live_at",
    "expire_at",
    "page_type",
    "content_type_id",
    "parent_id",
    "tree_path",
    "depth",
    "url_path",
    "first_published_at",
    "last_published_at",
    "title_sort",
    "search_text",
    "body",
    "etag",
    "item",
    "valid_until",
)


_BYTES = {"body", "item"}


# What the documents of a page's ancestors show of it: the home page and the sections list
# their children or descendants as ``{id, title, url}``, with their count and order, and
# end when one goes live or expires (``therapies.api``, ``home.api``, ``_valid_until``). A
# change to anything else (the body, the lead, the search text) leaves them as they were.
NOT_LISTED = ("last_published_at", "search_text", "body", "etag", "item", "valid_until")
LISTED = tuple(name for name in COMPARED if name not in NOT_LISTED)


def listed_differently(stored, built):
    """True when the ancestors of a page may show it differently: a document new or gone, or
    one of the ``LISTED`` columns changed."""
    return stored is None or any(getattr(stored, name) != getattr(built, name) for name in LISTED)


def differences(stored, built):
    """The names of the columns in which two documents of one page, site and language differ."""
    return [
        name
        for name in COMPARED
        if (bytes(getattr(stored, name)) if name in _BYTES else getattr(stored, name))
        != (bytes(getattr(built, name)) if name in _BYTES else getattr(built, name))
    ]


def tombstone(stored, built_at):
    """What remains of ``stored`` once its page is gone: no body, state deleted."""
    return PageDocument(
        pk=stored.pk,
        site_id=stored.site_id,
        page_id=stored.page_id,
        lang=stored.lang,
        state=PageDocument.State.DELETED,
        view_restricted=stored.view_restricted,
        go_live_at=stored.go_live_at,
        expire_at=stored.expire_at,
        page_type=stored.page_type,
        content_type_id=stored.content_type_id,
        parent_id=stored.parent_id,
        tree_path=stored.tree_path,
        depth=stored.depth,
        url_path="",
        first_published_at=stored.first_published_at,
        last_published_at=stored.last_published_at,
        title_sort="",
        search_text="",
        body=b"",
        etag="",
        item=b"",
        valid_until=None,
        built_at=built_at,
    )
