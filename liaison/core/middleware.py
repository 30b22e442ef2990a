"""Request middleware: who is acting (for the audit trail) and may they open this page."""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import translation

from liaison.core import audit
from liaison.core.access import (
    PUBLIC,
    SIGNED_IN,
    area_of_view,
    can,
    is_second_factor_satisfied,
    view_mark,
)
from liaison.core.models import AuditEntry

logger = logging.getLogger(__name__)

# These namespaces guard themselves: the admin site demands a verified staff user
# (django-otp's OTPAdminSite) and every API operation an authenticated client (NinjaAPI auth).
SELF_GUARDED_NAMESPACES = {"admin", "api"}


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.request_context(request):
            return self.get_response(request)


class AccessMiddleware:
    """Deny by default: a view must declare its area, and the user must be allowed there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            match is not None
            and match.namespaces
            and match.namespaces[0] in SELF_GUARDED_NAMESPACES
        ):
            self._use_staff_language(request)
            return None
        area = area_of_view(view_func)
        if area is None:
            logger.error("View %s declares no access area; refused.", match and match.view_name)
            return self._deny(request, reason="view without area")
        if area == PUBLIC:
            return None

        self._use_staff_language(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        exempt = view_mark(view_func, "second_factor_exempt", False)
        if not exempt and not is_second_factor_satisfied(user):
            return redirect("core:second_factor")
        if area == SIGNED_IN:
            return None
        if not user.role:
            return render(request, "core/no_role.html", status=403)
        if not can(user, area):
            return self._deny(request, reason=f"area {area}")
        return None

    @staticmethod
    def _use_staff_language(request):
        # Staff pages exist in Chinese and English only; a browser asking for Korean gets the
        # office's default rather than a page half in one language and half in another.
        if translation.get_language() not in settings.STAFF_LANGUAGES:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE

    @staticmethod
    def _deny(request, *, reason: str):
        with audit.request_context(request):
            audit.record(AuditEntry.Action.DENIED, object_type="page", note=reason)
        return render(request, "core/forbidden.html", status=403)
