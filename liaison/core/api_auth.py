"""Who an API request acts as, and whether they may use an operation: the API's side of the one
access layer (``access.ROLE_AREAS``). ``liaison/api.py`` only mounts the desks' routers.

Every operation declares its areas under its route, as a page declares its area::

    @router.get("/directory/organizations", ...)
    @api_area(Area.DIRECTORY)
    def list_organizations(request, ...): ...

The client's role is checked as soon as it is authenticated, before any parameter is read, and
the schema shows the areas as ``x-liaison-areas``.
"""

from collections.abc import Callable
from functools import partial, wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import render
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.openapi.views import openapi_json
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import contribute_operation_callback

from liaison.core import audit, services
from liaison.core.access import API_DENIED, Area, can, is_second_factor_satisfied
from liaison.core.models import AuditEntry

# Where the schema lists an operation's areas (every operation has it; "public" for the
# traveler's own form, "signed_in" for any client with a role).
AREAS_KEY = "x-liaison-areas"


class TokenAuth(HttpBearer):
    """A machine client's bearer token (a laboratory), hashed in the database."""

    def authenticate(self, request: HttpRequest, token: str):
        user = services.authenticate_token(token)
        if user is not None:
            request.user = user
            audit.attribute_rest_of_request(request)  # its reads and writes name the officer
            _admit(request, user)
        return user


class StaffSessionAuth(SessionAuth):
    """A signed-in officer's browser session (the API docs page, small page scripts)."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is None or not user.role or not is_second_factor_satisfied(user):
            return None
        _admit(request, user)
        return user


def api_area(*areas: Area | str) -> Callable:
    """Declare which areas' roles may call this operation (any one of them is enough)."""

    def declare(view):
        view.liaison_area = areas
        contribute_operation_callback(view, partial(_show_in_schema, areas=areas))
        return decorate_view(partial(_asking_for, areas))(view)

    return declare


def _show_in_schema(operation, *, areas) -> None:
    operation.openapi_extra = {**(operation.openapi_extra or {}), AREAS_KEY: list(map(str, areas))}


def _asking_for(areas, run):
    """Wrap the operation's run: its authentication (above) then knows what is asked for."""

    @wraps(run)
    def run_for_areas(request, *args, **kwargs):
        request.liaison_areas = areas
        return run(request, *args, **kwargs)

    return run_for_areas


def _admit(request: HttpRequest, user) -> None:
    """Refuse an authenticated client outside the operation's areas, before its parameters are
    read. Ninja answers the HttpError raised from authentication as it is (403)."""
    areas = getattr(request, "liaison_areas", None)
    if areas is not None:
        _refuse_unless(request, user, areas)


def _refuse_unless(request: HttpRequest, client, areas) -> None:
    if any(can(client, area) for area in areas):
        return
    user = client if getattr(client, "pk", None) else None
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
