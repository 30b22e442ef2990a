"""Who an API request acts as, and whether they may use an operation: the API's side of the one
access layer (``access.ROLE_AREAS``). ``liaison/api.py`` only mounts the desks' routers."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import render
from ninja.errors import HttpError
from ninja.openapi.views import openapi_json
from ninja.security import HttpBearer, SessionAuth

from liaison.core import audit, services
from liaison.core.access import API_DENIED, Area, can, is_second_factor_satisfied
from liaison.core.models import AuditEntry


class TokenAuth(HttpBearer):
    """A machine client's bearer token (a laboratory), hashed in the database."""

    def authenticate(self, request: HttpRequest, token: str):
        user = services.authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """A signed-in officer's browser session (the API docs page, small page scripts)."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is None or not user.role or not is_second_factor_satisfied(user):
            return None
        return user


def require_area(request: HttpRequest, *areas: Area) -> None:
    """Let the client through if its role may use any of ``areas``; otherwise one refusal,
    logged in the audit trail like a page's, and a 403."""
    if any(can(request.auth, area) for area in areas):
        return
    user = request.auth if getattr(request.auth, "pk", None) else None
    with audit.acting_as(user, ip_address=request.META.get("REMOTE_ADDR"), path=request.path[:300]):
        audit.record(AuditEntry.Action.DENIED, object_type="api", note=f"area {areas[0]}")
    raise HttpError(403, str(API_DENIED))


def docs_for_staff(view):
    """Guard the interactive docs; the schema itself is public, for laboratories to integrate."""
    if getattr(view, "func", None) is openapi_json:
        return view

    def guarded(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can(user, Area.API_DOCS) or not is_second_factor_satisfied(user):
            return render(request, "core/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return guarded
