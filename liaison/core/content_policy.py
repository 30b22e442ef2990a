"""The Content-Security-Policy header, built once instead of once per response.

django-csp builds the header from ``CONTENT_SECURITY_POLICY`` for every response: it copies
every directive, sorts and joins them. Liaison's pages use no nonce and no per-view policy (none
of django-csp's decorators), so nearly every response carries the same header.
``CSPMiddleware`` is django-csp's middleware, which hands a response that asks for nothing of
its own the header it built from the settings the first time; anything else — a nonce used, a
per-view policy, an exemption, Django's debug pages — goes through django-csp as it is. The
header is built again when the settings change (tests override them).
"""

from __future__ import annotations

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a response may carry to ask for a policy of its own (django-csp's decorators set them).
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_DEBUG_PAGES = {http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND}

_built: dict[str, tuple[str, tuple[str, ...]]] = {}  # header -> (its value, excluded prefixes)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


def _settings_policy(header: str) -> tuple[str, tuple[str, ...]]:
    """The header's value from the settings alone, and the path prefixes it is not sent on."""
    if header not in _built:
        name = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if header == HEADER_REPORT_ONLY else "")
        policy = getattr(settings, name, None) or {}
        value = build_policy(report_only=header == HEADER_REPORT_ONLY)
        _built[header] = (value, tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ()))
    return _built[header]


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the settings' own policy built once."""

    def process_response(self, request, response):
        asks_its_own = getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _OWN_POLICY
        )
        if asks_its_own or (settings.DEBUG and response.status_code in _DEBUG_PAGES):
            return super().process_response(request, response)
        for header in (HEADER, HEADER_REPORT_ONLY):
            value, excluded = _settings_policy(header)
            if value and header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
