"""Every role × every page and every API operation: exactly the roles of its area get in.

Nothing here is listed by hand. The pages are the URL patterns outside admin and the API whose
GET needs no path parameter; each declares its area (``access.requires``). The operations are
those of the OpenAPI schema the API serves; each declares its areas (``api_auth.api_area``) as
``x-liaison-areas``. A role outside the area gets 403 and one logged refusal, before anything is
read or written (so an empty body or an unknown id is enough to ask); a role inside it gets
anything but 403 or 500 (a 404 for an unknown id, a 400 for an empty body).

Then a short table, written from the domain brief, of which roles read and which write each
desk: a wrong ``ROLE_AREAS`` entry, or a desk's write declared with its read area, fails there.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from liaison.api import api
from liaison.core import services as core_services
from liaison.core.access import PUBLIC, ROLE_AREAS, SIGNED_IN, Area, area_of_view, can
from liaison.core.api_auth import AREAS_KEY
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
METHODS = ("get", "post", "put", "patch", "delete")
UNKNOWN_ID = 987654321


# --- What there is -------------------------------------------------------------------------------


def _pages() -> list[tuple[str, object]]:
    """(path, view) of every page outside admin and api whose URL has no parameter."""

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if not isinstance(entry.pattern, RoutePattern) or entry.pattern.converters:
                continue  # a parameter to fill (the handover matrix fills the pipeline's)
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace not in {"admin", "api"}:
                yield "/" + prefix + str(entry.pattern), entry.callback

    # Signing out last: it ends the session the other pages are asked with.
    return sorted(walk(get_resolver(), "", ""), key=lambda page: ("logout" in page[0], page[0]))


def _operations() -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in SCHEMA["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _path_of(path: str, operation: dict) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            integer = parameter.get("schema", {}).get("type") == "integer"
            value = UNKNOWN_ID if integer else "unknown"
            path = path.replace("{" + parameter["name"] + "}", str(value))
    return path


# --- Declared, every one -------------------------------------------------------------------------


def test_every_api_operation_declares_its_areas():
    undeclared = [
        f"{method.upper()} {path}"
        for method, path, operation in _operations()
        if not operation.get(AREAS_KEY)
    ]
    assert undeclared == [], "add @api_area(...) under the route (liaison/core/api_auth.py)"


def test_only_the_public_operations_go_without_sign_in():
    for method, path, operation in _operations():
        public = operation.get(AREAS_KEY) == [PUBLIC]
        assert public == ("security" not in operation), (method, path)


def test_every_declared_area_is_one_a_role_can_have():
    known = {str(area) for area in Area} | {PUBLIC, SIGNED_IN}
    for method, path, operation in _operations():
        assert set(operation.get(AREAS_KEY, [])) <= known, (method, path)


# --- The matrix ----------------------------------------------------------------------------------


@pytest.fixture
def officers(city, settings):
    settings.LIAISON_DECLARATION_RATE = ""  # twelve declarations from one address
    return {role: make_user(f"matrix-{role}", role) for role in Role}


def test_every_page_answers_exactly_the_roles_of_its_area(officers):
    pages = _pages()
    assert len(pages) > 30 and {"/", "/directory/", "/contacts/"} <= {p for p, _ in pages}
    problems = []
    for number, (role, officer) in enumerate(officers.items()):
        client = sign_in(Client(), officer)
        for path, view in pages:
            area = area_of_view(view)
            if area == PUBLIC and number:
                continue  # the same for anyone: the traveler's form is asked once, not twelve times
            denials = AuditEntry.objects.filter(action="denied", path=path).count()
            status = client.get(path).status_code
            logged = AuditEntry.objects.filter(action="denied", path=path).count() - denials
            if can(officer, area):
                # A page (200), a step on to another (302; 301 from a page that moved), a
                # form's target (405 to a GET).
                if status not in (200, 204, 301, 302, 303, 405):
                    problems.append((role, path, area, status, "should be let in"))
            elif status != 403 or logged != 1:
                problems.append((role, path, area, status, f"{logged} refusals logged"))
    assert problems == []


def test_every_api_operation_answers_exactly_the_roles_of_its_areas(officers):
    operations = [op for op in _operations() if op[2].get(AREAS_KEY)]
    assert len(operations) > 40
    headers = {}
    for role, officer in officers.items():
        _token, secret = core_services.create_api_token(
            name="matrix", user=officer, created_by=None
        )
        headers[role] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()
    problems = []
    for method, template, operation in operations:
        path = _path_of(template, operation)
        areas = operation[AREAS_KEY]
        for role, officer in officers.items():
            entries = AuditEntry.objects.count()
            denials = AuditEntry.objects.filter(action="denied").count()
            body = None if method == "get" else "{}"  # an empty body: the gate comes first
            response = getattr(client, method)(
                path, body, content_type="application/json", **headers[role]
            )
            status = response.status_code
            written = AuditEntry.objects.count() - entries
            if any(can(officer, area) for area in areas):
                if status in (401, 403) or status >= 500:
                    problems.append((role, method, template, status, "should be let in"))
            elif status != 403 or written != 1:
                # The one entry written is the refusal: nothing read, nothing changed.
                refused = AuditEntry.objects.filter(action="denied").count() - denials
                problems.append((role, method, template, status, written, refused))
    assert problems == []


# --- Who reads and who writes each desk (shared/domain.md, "Who uses it") ------------------------

R = Role
DESKS = {
    # desk: (area read, area written, roles that read, roles that write, API paths beginning)
    "directory of counterparts": (
        Area.DIRECTORY,
        Area.LIAISON,
        {R.ASSISTANCE, R.LIAISON, R.AID, R.EXCHANGES, R.DUTY, R.LEADERSHIP},
        {R.LIAISON},
        ("/api/v1/directory/",),
    ),
    "contact log and commitments": (
        Area.CONTACTS_READ,
        Area.LIAISON,
        {R.LIAISON, R.LEADERSHIP},
        {R.LIAISON},
        ("/api/v1/contacts", "/api/v1/commitments"),
    ),
    "foreign media": (
        Area.MEDIA_READ,
        Area.LIAISON,
        {R.LIAISON, R.LEADERSHIP},
        {R.LIAISON},
        ("/api/v1/media/",),
    ),
    "aid desk": (
        Area.AID_READ,
        Area.AID,
        {R.AID, R.LEADERSHIP},
        {R.AID},
        ("/api/v1/aid/",),
    ),
    "expert exchanges": (
        Area.EXCHANGES_READ,
        Area.EXCHANGES,
        {R.EXCHANGES, R.LEADERSHIP},
        {R.EXCHANGES},
        ("/api/v1/exchanges/",),
    ),
    # One's own calendar and feed token: what it shows, each desk's own selectors decide.
    "calendar": (
        Area.CALENDAR,
        Area.CALENDAR,
        {R.LIAISON, R.EXCHANGES, R.LEADERSHIP},
        {R.LIAISON, R.EXCHANGES, R.LEADERSHIP},
        ("/api/v1/calendar",),
    ),
    "consular notifications": (
        Area.MISSIONS,
        Area.MISSIONS,
        {R.ASSISTANCE, R.LIAISON},
        {R.ASSISTANCE, R.LIAISON},
        ("/api/v1/notifications/",),
    ),
    "assistance cases": (Area.ASSISTANCE, Area.ASSISTANCE, {R.ASSISTANCE}, {R.ASSISTANCE}, ()),
    "health desk": (Area.ARRIVALS_DESK, Area.ARRIVALS_DESK, {R.AIRPORT_DESK}, {R.AIRPORT_DESK}, ()),
    "sampling": (Area.ARRIVALS_SAMPLING, Area.ARRIVALS_SAMPLING, {R.SAMPLING}, {R.SAMPLING}, ()),
    "laboratory": (Area.ARRIVALS_LAB, Area.ARRIVALS_LAB, {R.LAB}, {R.LAB}, ("/api/v1/results",)),
    "dispatch": (Area.ARRIVALS_DISPATCH, Area.ARRIVALS_DISPATCH, {R.DISPATCH}, {R.DISPATCH}, ()),
    "receiving": (
        Area.ARRIVALS_RECEIVING,
        Area.ARRIVALS_RECEIVING,
        {R.DISTRICT_RECEIVING},
        {R.DISTRICT_RECEIVING},
        ("/api/v1/handover/batches/{batch_id}/receive",),
    ),
    "closed-loop board": (
        Area.ARRIVALS_BOARD,
        None,
        {R.AIRPORT_DESK, R.DISPATCH, R.LEADERSHIP},
        set(),
        ("/api/v1/handover/board",),
    ),
    "screening policy": (
        Area.POLICY,
        Area.POLICY_PUBLISH,
        {R.AIRPORT_DESK, R.LEADERSHIP, R.ADMINISTRATOR},
        {R.ADMINISTRATOR},
        ("/api/v1/policy/in-force",),
    ),
    "duty": (
        Area.DUTY_READ,
        Area.DUTY,
        {R.DUTY, R.LEADERSHIP},
        {R.DUTY},
        ("/api/v1/duty/",),
    ),
    "retention: rules, holds, receipts": (
        Area.RETENTION,
        Area.RETENTION,
        {R.ADMINISTRATOR},
        {R.ADMINISTRATOR},
        (
            "/api/v1/retention/rules",
            "/api/v1/retention/due",
            "/api/v1/retention/receipts",
            "/api/v1/retention/holds",
        ),
    ),
    # Corrections travelers ask for reach the health desk's queue.
    "correction requests": (
        Area.ARRIVALS_DESK,
        Area.ARRIVALS_DESK,
        {R.AIRPORT_DESK},
        {R.AIRPORT_DESK},
        ("/api/v1/retention/corrections",),
    ),
    "daily briefing": (Area.REPORTS, None, {R.LEADERSHIP}, set(), ()),
    "audit trail": (Area.AUDIT, None, {R.ADMINISTRATOR}, set(), ()),
    "API tokens": (Area.TOKENS, Area.TOKENS, {R.ADMINISTRATOR}, {R.ADMINISTRATOR}, ()),
}


@pytest.mark.parametrize("desk", DESKS, ids=str)
def test_who_reads_and_who_writes_each_desk(desk):
    read, write, readers, writers, _prefixes = DESKS[desk]
    assert {role for role in Role if read in ROLE_AREAS[role]} == readers
    if write is not None:
        assert {role for role in Role if write in ROLE_AREAS[role]} == writers
    assert writers <= readers  # who writes a desk reads it too


@pytest.mark.parametrize("desk", [d for d in DESKS if DESKS[d][4]], ids=str)
def test_each_desks_reads_and_writes_declare_its_areas(desk):
    read, write, _readers, _writers, prefixes = DESKS[desk]
    found = []
    for method, path, operation in _operations():
        if not path.startswith(prefixes) or not operation.get(AREAS_KEY):
            continue
        expected = [str(read) if method == "get" else str(write)]
        found.append(path)
        assert operation[AREAS_KEY] == expected, (method, path)
    assert found
