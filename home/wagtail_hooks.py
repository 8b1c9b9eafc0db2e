"""Site-wide hooks of the public site."""

from django.http import Http404
from wagtail import hooks

from cms.visibility import is_expired, seconds_until_expiry


@hooks.register("before_serve_page")
def hide_expired_pages(page, request, serve_args, serve_kwargs):
    """A page past its expiry is gone at once, not when the scheduler next runs."""
    if is_expired(page):
        raise Http404
    # The page cache must not keep it past its expiry either (cms.middleware reads this).
    remaining = seconds_until_expiry(page)
    if remaining is not None:
        request.content_cache_max_seconds = remaining
