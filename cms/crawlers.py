"""What crawlers and browser caches read: robots.txt, the sitemap's validators, page freshness.

Every public HTML page and the sitemap say how long they may be kept
(``Cache-Control``) and when they last changed (``Last-Modified``);
``ConditionalGetMiddleware`` adds an ``ETag`` and answers ``If-None-Match`` and
``If-Modified-Since`` with 304 (``cms.middleware.replay`` does the same for cache
hits).

A page shows more than its own fields (navigation, related articles, doctors,
the clinic's hotline), and every change to any of them purges cached content
(``cms.cache``). So ``Last-Modified`` is the later of the page's own publication
and the last purge: never earlier than a change the reader would see, so a
client that only sends ``If-Modified-Since`` never gets a stale 304.

A served page is tagged with its own page, the navigation and the site
(``cms.cache``): its cached copy is purged when its document, the menu's pages or
the site's settings change, not when another article is published.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Site

from cms import cache as content_cache
from cms.sitemap import ReaderSitemap
from cms.visibility import visible_ids

PRIVATE_CACHE_CONTROL = "private, no-cache"
# robots.txt hides the editors' and the machines' paths; readers' pages are all allowed.
ROBOTS_DISALLOW = ("/admin/", "/api/")


def content_changed_at():
    """When cached content was last purged (an aware datetime), or None."""
    moment = content_cache.changed_at()
    if not isinstance(moment, int | float):
        return None
    return datetime.fromtimestamp(moment, tz=UTC)


def _set_last_modified(response, *moments):
    known = [moment for moment in moments if moment is not None]
    if known:
        response["Last-Modified"] = http_date(max(known).timestamp())


def page_headers(page, request, response, shown=()):
    """``Cache-Control``, ``Last-Modified`` and tags of a served public page.

    Public caches may keep a page for ``PAGE_CACHE_CONTROL`` (never past its expiry);
    a page in a private section, or one served to a signed-in editor (the user
    bar), is private to that reader. Tagged with its own page, the navigation and the
    pages it shows (``shown``: ids, ``cms.cache.shown_tags``).
    """
    if response.status_code != 200:
        return response
    signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
    if signed_in or not visible_ids([page.pk]):  # a private page, behind its password or login
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
    # Shortened to the next go-live or expiry by cms.middleware.ContentCacheMiddleware.
    response["Cache-Control"] = settings.PAGE_CACHE_CONTROL
    content_cache.set_tags(
        response,
        [
            content_cache.page_tag(page.pk),
            content_cache.MENU,
            *content_cache.shown_tags(set(shown) - {page.pk}),
        ],
    )
    if page.last_published_at is not None:
        _set_last_modified(response, page.last_published_at, content_changed_at())
    return response


def sitemap(request):
    """Wagtail's sitemap, with ``Cache-Control`` and a ``Last-Modified`` that follows the content.

    Django's view sets ``Last-Modified`` to the latest page's ``lastmod``; an
    unpublished page or a new site address changes the sitemap without that, so the
    content version's moment counts too.
    """
    response = wagtail_sitemap(request, sitemaps={"pages": ReaderSitemap})
    if hasattr(response, "render"):
        response.render()
    published = parse_http_date_safe(response.get("Last-Modified") or "")
    published = datetime.fromtimestamp(published, tz=UTC) if published else None
    _set_last_modified(response, published, content_changed_at())
    response["Cache-Control"] = settings.PAGE_CACHE_CONTROL
    return response


@require_safe
def robots_txt(request):
    """robots.txt: the site's sitemap at its absolute address, admin and API left out."""
    site = Site.find_for_request(request)
    base = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /"]
    lines += ["", f"Sitemap: {base}/sitemap.xml", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = settings.PAGE_CACHE_CONTROL
    _set_last_modified(response, content_changed_at())
    return response
