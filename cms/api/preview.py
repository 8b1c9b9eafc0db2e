"""Headless preview: a signed, expiring token that shows one page's latest draft.

The editor clicks "Headless preview" in the page editor; the admin view checks
that they may edit the page, signs ``{"page": id}`` with a TimestampSigner and
redirects to ``settings.HEADLESS_PREVIEW_URL`` with ``token`` and ``lang``.
The external site calls ``GET /api/v1/preview/?token=…`` and gets the latest
revision in the same shape as a published page. The token is the only way to
see a draft; it names the page, so it cannot be used to read another one.
"""

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from wagtail.models import Page

from cms.language import normalize_code

from .errors import ApiError

SALT = "cms.api.preview"


def _signer():
    return signing.TimestampSigner(salt=SALT)


def make_token(page):
    """A token that opens the latest draft of ``page`` until it expires."""
    return _signer().sign_object({"page": page.pk})


def read_token(token):
    """The page id a valid token names; a 403 for a bad, tampered or expired token."""
    max_age = getattr(settings, "HEADLESS_PREVIEW_TOKEN_MAX_AGE", 3600)
    try:
        data = _signer().unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise ApiError(
            403, "Preview token expired: open the preview again from the admin."
        ) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise ApiError(403, "Invalid preview token.") from None
    page_id = data.get("page") if isinstance(data, dict) else None
    if not isinstance(page_id, int):
        raise ApiError(403, "Invalid preview token.")
    return page_id


def preview_url(page, lang):
    """The external site's preview URL for ``page`` with a fresh token."""
    base = settings.HEADLESS_PREVIEW_URL
    parts = urlsplit(base)
    query = parts.query + ("&" if parts.query else "")
    query += urlencode({"token": make_token(page), "lang": lang, "id": page.pk})
    return urlunsplit(parts._replace(query=query))


def headless_preview_view(request, page_id):
    """Admin view: check the editor may edit the page, then send them to the external preview."""
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    lang = normalize_code(request.GET.get("lang")) or translation.get_language() or "en"
    lang = normalize_code(lang) or settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return redirect(preview_url(page, lang))
