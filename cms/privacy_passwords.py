"""Wagtail's page and collection privacy passwords, throttled like the admin login.

django-axes watches Django's ``authenticate()``; Wagtail's privacy password forms
compare a shared password themselves, so nothing counted their failures. These
wrappers around Wagtail's two views (mounted on the same URLs in ``cms.urls``)
report each wrong password to axes as a failed login of a pseudo-username that
names the restriction (``page-restriction:12``; Django usernames cannot hold a
colon, so it never meets an editor's). The admin login's rules then apply: after
``AXES_FAILURE_LIMIT`` failures from one address for one restriction, that address
is refused for that restriction (HTTP 429, the lockout page in the reader's
language) until ``AXES_COOLOFF_TIME`` passes, even with the right password;
other addresses and other restrictions are unaffected; a success resets the
count; ``axes_reset`` and axes' admin listing see them like any login.
"""

import functools

from axes.conf import settings  # Django's settings, with axes' defaults filled in
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed
from wagtail import views as page_views
from wagtail.documents.views import serve as document_views
from wagtail.models import Page

from cms.next_url import next_url

PAGE = "page-restriction"
COLLECTION = "collection-restriction"


def _page_url(request, restriction_id, page_id):
    page = Page.objects.filter(pk=page_id).first()
    return (page and page.get_url(request)) or "/"


def _site_root(request, restriction_id):
    return "/"


def throttled(view, kind, fallback):
    """``view`` (a Wagtail password form) behind the axes count for ``kind`` restrictions.

    ``fallback(request, restriction_id, **kwargs)`` is where a valid password leads when the
    form's ``return_url`` is not an address of this site.
    """

    @functools.wraps(view)
    def wrapper(request, restriction_id, **kwargs):
        if request.method != "POST":
            return view(request, restriction_id, **kwargs)
        username = f"{kind}:{restriction_id}"
        credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            # Locked: the form is not even checked, so the right password gets no session.
            return get_lockout_response(request, None, credentials)
        request.POST = request.POST.copy()
        request.POST["return_url"] = next_url(request, None, param="return_url") or fallback(
            request, restriction_id, **kwargs
        )
        response = view(request, restriction_id, **kwargs)
        if response.status_code == 302:  # Wagtail redirects only once the password is right
            if settings.AXES_RESET_ON_SUCCESS:
                AxesProxyHandler.reset_attempts(
                    ip_address=request.axes_ip_address, username=username
                )
        else:
            # Axes counts it and, at the limit, flags the request: AxesMiddleware answers 429.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return response

    return wrapper


page_password_view = throttled(page_views.authenticate_with_password, PAGE, _page_url)
document_password_view = throttled(
    document_views.authenticate_with_password, COLLECTION, _site_root
)
