"""The WSGI application: Django's, with a shorter middleware chain for the public declarations API.

A plane of 300 travelers declares within minutes, from phones, kiosks and airline apps, through
``POST /api/v1/declarations``. That endpoint needs none of the staff middleware: sessions, sign-in
and its second factor, messages, CSRF (API operations are exempt), clickjacking headers (it
answers JSON) or the sign-in lockout. Running them cost about a tenth of a declaration's time
(``bench/declarations.py``). The response headers every answer carries stay: HTTPS and its
headers (nosniff, referrer policy, HSTS), the Content-Security-Policy (whose
``frame-ancestors 'none'`` stands for the clickjacking header) and ``Cache-Control: no-store``
(``tests/core/test_security_headers.py``).

Django has no per-view middleware, so the endpoint gets a handler of its own, built from the same
settings with ``INTAKE_MIDDLEWARE`` instead of ``MIDDLEWARE``. It keeps what any request needs:
the client's address behind the proxy, HTTPS and its headers, the language of
``Accept-Language``, the audit trail's request context, and
``AccessMiddleware``'s deny-by-default check (the API guards itself; a view that declares no
access area is still refused). Every other request goes through the whole chain.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

INTAKE_PATHS = frozenset({"/api/v1/declarations"})
INTAKE_MIDDLEWARE = [
    # The client's address behind the proxy: the rate limit per address and the audit read it.
    "liaison.core.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "liaison.core.content_policy.CSPMiddleware",
    "liaison.core.middleware.NoStoreMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "liaison.core.middleware.AuditContextMiddleware",
    "liaison.core.middleware.AccessMiddleware",
]


class HandlerWith(WSGIHandler):
    """Django's WSGI handler with another middleware list (``bench/_declarations_stack.py``
    builds one with none)."""

    def __init__(self, middleware: list[str]):
        self._middleware = middleware
        super().__init__()  # loads the middleware

    def load_middleware(self, is_async: bool = False) -> None:
        # Django reads the list from settings; it is swapped only while this handler is built,
        # once, when the server starts.
        everyone = settings.MIDDLEWARE
        settings.MIDDLEWARE = self._middleware
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = everyone


def application_with_intake(full: WSGIHandler):
    """``full`` for every request but a POST to the public declarations API."""
    intake = HandlerWith(INTAKE_MIDDLEWARE)

    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") in INTAKE_PATHS:
            return intake(environ, start_response)
        return full(environ, start_response)

    return application
