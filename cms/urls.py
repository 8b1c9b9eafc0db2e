"""URL map: the unprefixed paths first, then the public site under /en/ and /vi/.

Unprefixed: the content API, admin, documents, sitemap, robots.txt and /favicon.ico.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import crawlers, privacy_passwords, serving

urlpatterns = [
    # The content API stays outside i18n_patterns: its language comes from ?lang=/Accept-Language.
    path("api/", include("cms.api.urls")),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's collection privacy password form, counted by django-axes (cms.privacy_passwords).
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        privacy_passwords.document_password_view,
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", crawlers.sitemap),
    path("robots.txt", crawlers.robots_txt),
    # Pages name their icon; this is for clients that ask for /favicon.ico without reading one.
    # Not permanent: the hashed static URL changes when the icon does.
    path("favicon.ico", lambda request: redirect(static_url("favicon.svg"))),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    # Wagtail's page privacy password form, counted by django-axes (cms.privacy_passwords).
    path(
        "_util/authenticate_with_password/<int:restriction_id>/<int:page_id>/",
        privacy_passwords.page_password_view,
    ),
    # Wagtail's own public URLs (its login form), and its page serving with the page found by
    # one indexed lookup instead of a walk through each section (cms.serving).
    path("", include([p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"])),
    re_path(wagtail_urls.serve_pattern, serving.serve, name="wagtail_serve"),
)

# Error pages in the site's layout and the reader's language; JSON under /api/ (home.views).
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
