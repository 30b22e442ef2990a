"""Request middleware: who is acting (for the audit trail), may they open this page, is their
session still alive, and may the answer be kept by a browser or a proxy."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

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


# Public pages tied to one traveler: whoever holds the address sees their declaration.
TRAVELER_PATHS = ("/declare/status/",)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer that may carry personal data.

    One rule rather than a decorator per view, so that a new page cannot forget it: every answer
    to a signed-in staff member (pages, exports, PDFs), every API answer, every traveler's own
    page (status, receipt, QR code), and every answer to a form sent (it echoes what was typed).
    Static files and the public form's empty page stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._personal(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _personal(request) -> bool:
        path = request.path_info
        if path.startswith("/api/") or path.startswith(TRAVELER_PATHS):
            return True
        if request.method not in ("GET", "HEAD"):
            return True
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated


class SessionIdleMiddleware:
    """Sign out a session left idle longer than ``LIAISON_SESSION_IDLE_MINUTES`` (ASVS 3.3.2).

    ``SESSION_COOKIE_AGE`` bounds a session's whole life; this bounds the time between two
    requests. The time of the last request is kept in the session, rewritten at most once a
    minute so that a busy desk does not write its session row on every click.
    """

    KEY = "liaison_last_seen"
    GRANULARITY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        idle_limit = settings.LIAISON_SESSION_IDLE_MINUTES * 60
        if idle_limit > 0 and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if isinstance(last_seen, int) and now - last_seen > idle_limit:
                response = self._sign_out(request, user)
                if response is not None:
                    return response
            elif not isinstance(last_seen, int) or now - last_seen >= self.GRANULARITY:
                request.session[self.KEY] = now
        return self.get_response(request)

    def _sign_out(self, request, user):
        with audit.acting_as(user, ip_address=request.META.get("REMOTE_ADDR"), path=request.path):
            audit.record(AuditEntry.Action.LOGOUT, user, note="idle timeout")
        request.session.flush()
        request.user = AnonymousUser()
        if request.path_info.startswith("/api/"):
            return None  # the API answers 401 in its own shape
        AccessMiddleware._use_staff_language(request)
        messages.info(
            request,
            _("You were signed out after %(minutes)d minutes without activity. Sign in again.")
            % {"minutes": settings.LIAISON_SESSION_IDLE_MINUTES},
        )
        return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
