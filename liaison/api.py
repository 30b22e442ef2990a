"""The REST API (django-ninja): /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Every operation needs an authenticated client unless it says ``auth=None``: a bearer token for
machine clients (laboratories), or a staff session. Apps add their routers in ``urls.py``.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, Throttled
from ninja.openapi.views import openapi_json
from ninja.security import HttpBearer, SessionAuth

from liaison.core import api_errors, audit, services
from liaison.core.access import API_DENIED, Area, can, is_second_factor_satisfied
from liaison.core.models import AuditEntry


class TokenAuth(HttpBearer):
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


def require_area(request: HttpRequest, area: Area) -> None:
    """The API's gate to the same access table as the pages; a refusal is logged like a page's."""
    if not can(request.auth, area):
        user = request.auth if getattr(request.auth, "pk", None) else None
        with audit.acting_as(
            user, ip_address=request.META.get("REMOTE_ADDR"), path=request.path[:300]
        ):
            audit.record(AuditEntry.Action.DENIED, object_type="api", note=f"area {area}")
        raise HttpError(403, str(API_DENIED))


def _docs_for_staff(view):
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


api = NinjaAPI(
    title="Liaison API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), StaffSessionAuth()],
    docs_decorator=_docs_for_staff,
)
api_errors.install(api)


class Me(Schema):
    username: str
    role: str
    jurisdiction: str | None
    site: str | None


@api.get(
    "/me", response={200: Me, 401: api_errors.Errors}, summary="Who this token or session acts as"
)
def me(request):
    user = request.auth
    return Me(
        username=user.username,
        role=user.role,
        jurisdiction=user.jurisdiction.code if user.jurisdiction_id else None,
        site=user.site.code if user.site_id else None,
    )


# Each desk's operations live in its app; mounted here so the schema lists them all.
def _mount_routers() -> None:
    from liaison.arrivals.api import router as arrivals
    from liaison.arrivals.api import too_many_requests
    from liaison.assistance.api import router as assistance
    from liaison.handover.api import router as handover
    from liaison.policy.api import router as policy
    from liaison.screening.api import router as screening

    api.add_router("/", arrivals)
    api.add_router("/", assistance)
    api.add_router("/", policy)
    api.add_router("/", screening)
    api.add_router("/", handover)
    api.add_exception_handler(Throttled, too_many_requests)


_mount_routers()
