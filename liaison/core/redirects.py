"""Where a ``next`` parameter may send someone: this site only.

Every view that redirects to an address it was given (sign-in, the second factor, forms that
return to the page they were sent from) asks here. A ``next`` of ``https://evil.example``,
``//evil.example`` or ``/\\evil.example`` (which browsers read as ``//evil.example``) is replaced
by the view's own destination, so a link in a phishing mail cannot borrow the site's address to
send a signed-in officer elsewhere.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request: HttpRequest, url: str | None) -> bool:
    """``url`` stays on this site (a path, or one of ``ALLOWED_HOSTS`` over this scheme)."""
    if not url:
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, fallback: str, *, url: str | None = None) -> str:
    """The ``next`` of the request (POST, then GET) or ``url``, if it stays here; else ``fallback``.

    ``fallback`` is a URL name or a path, as ``redirect()`` takes.
    """
    if url is None:
        url = request.POST.get("next") or request.GET.get("next")
    return url if is_safe(request, url) else resolve_url(fallback)
