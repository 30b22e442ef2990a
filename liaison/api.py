"""The REST API (django-ninja): /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Every operation needs an authenticated client unless it says ``auth=None``: a bearer token for
machine clients (laboratories), or a staff session (``core/api_auth.py``, which also holds the
area check). This module only builds the API and mounts each desk's router.
"""

from ninja import NinjaAPI, Schema
from ninja.errors import Throttled

from liaison.core import api_errors
from liaison.core.api_auth import StaffSessionAuth, TokenAuth, docs_for_staff

api = NinjaAPI(
    title="Liaison API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), StaffSessionAuth()],
    docs_decorator=docs_for_staff,
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
