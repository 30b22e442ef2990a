"""The REST API (django-ninja): /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Every operation needs an authenticated client unless it says ``auth=None``: a bearer token for
machine clients (laboratories), or a staff session (``core/api_auth.py``, which also holds the
area check). This module only builds the API and mounts each desk's router.
"""

import json

from django.utils import translation
from ninja import NinjaAPI, Schema
from ninja.errors import Throttled
from ninja.responses import NinjaJSONEncoder

from liaison.core import api_errors
from liaison.core.access import SIGNED_IN
from liaison.core.api_auth import StaffSessionAuth, TokenAuth, api_area, docs_for_staff


class LiaisonAPI(NinjaAPI):
    """The schema is built once per process, language and prefix, then handed out as a copy.

    It depends only on the code, and building it walks every operation's models: about a second
    per request otherwise, for the docs page and every client that reads ``openapi.json``.
    """

    _schemas: dict[tuple[str | None, str, str | None], str] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (
            path_prefix,
            json.dumps(path_params or {}, sort_keys=True),
            translation.get_language(),
        )
        if key not in self._schemas:
            built = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            self._schemas[key] = json.dumps(built, cls=NinjaJSONEncoder)
        return json.loads(self._schemas[key])


api = LiaisonAPI(
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
@api_area(SIGNED_IN)
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
    from liaison.agenda.api import router as agenda
    from liaison.aid.api import router as aid
    from liaison.arrivals.api import router as arrivals
    from liaison.arrivals.api import too_many_requests
    from liaison.arrivals.list_api import router as travelers
    from liaison.assistance.api import router as assistance
    from liaison.contacts.api import router as contacts
    from liaison.contacts.search_api import router as search
    from liaison.directory.api import router as directory
    from liaison.duty.api import router as duty
    from liaison.duty.flights_api import router as duty_flights
    from liaison.exchanges.api import router as exchanges
    from liaison.handover.api import router as handover
    from liaison.handover.queue_api import router as handover_queues
    from liaison.incidents.api import router as incidents
    from liaison.jobs.api import router as jobs
    from liaison.leadership.api import router as leadership
    from liaison.media.api import router as media
    from liaison.media.release_api import router as media_releases
    from liaison.notifications.api import router as notifications
    from liaison.policy.api import router as policy
    from liaison.retention.api import router as retention
    from liaison.screening.alarms_api import router as alarms
    from liaison.screening.api import router as screening
    from liaison.screening.queue_api import router as screening_queues

    api.add_router("/", arrivals)
    api.add_router("/", assistance)
    api.add_router("/", directory)
    api.add_router("/", contacts)
    api.add_router("/", search)
    api.add_router("/", aid)
    api.add_router("/", media)
    api.add_router("/", media_releases)
    api.add_router("/", policy)
    api.add_router("/", screening)
    api.add_router("/", handover)
    api.add_router("/", travelers)
    api.add_router("/", screening_queues)
    api.add_router("/", handover_queues)
    api.add_router("/", alarms)
    api.add_router("/", exchanges)
    api.add_router("/", agenda)
    api.add_router("/", jobs)
    api.add_router("/", notifications)
    api.add_router("/", duty)
    api.add_router("/", duty_flights)
    api.add_router("/", incidents)
    api.add_router("/", leadership)
    api.add_router("/", retention)
    api.add_exception_handler(Throttled, too_many_requests)


_mount_routers()
