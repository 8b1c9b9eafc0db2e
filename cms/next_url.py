"""Where a view may send the browser next: only this site's own addresses.

Every ``next``-style parameter the project reads (``next``, ``return_url``) goes
through :func:`next_url`, so an attacker's link cannot turn a form of this site
into a redirect to theirs. Django's ``url_has_allowed_host_and_scheme`` refuses
other hosts, scheme-relative ``//host`` and ``/\\host``, ``javascript:`` and the
like, and (on HTTPS) a downgrade to plain HTTP.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(url, request):
    """True when ``url`` stays on the host ``request`` was made to."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request, default, param="next"):
    """``param`` from the POST body or the query string when it is safe, else ``default``."""
    url = (request.POST.get(param) or request.GET.get(param) or "").strip()
    return url if is_safe(url, request) else default
