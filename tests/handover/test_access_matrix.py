"""Every role × every page and API operation of the arrival pipeline × own and other jurisdiction.

The pages are found by walking the URL patterns of the ``arrivals``, ``screening`` and
``handover`` namespaces, and the API operations by walking the API's patterns, so a new page
without an entry in ``PAGE_PARAMS`` fails here. URL parameters are filled with real records of
Yubei (the jurisdiction-bound officer's own) and of Jiangbei (another one). What a role may not
reach answers 403 or 404, and the refusal is in the audit trail.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from liaison.arrivals.models import ConflictingDeclaration, Flight, Source, new_code
from liaison.core.access import ROLE_AREAS, area_of_view
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from liaison.handover import services
from liaison.screening.alarms import ALARM_AREAS
from liaison.screening.results_import import stage_results_file
from tests.conftest import make_user, sign_in
from tests.handover.conftest import ready, staff

pytestmark = pytest.mark.django_db
NAMESPACES = ("arrivals", "screening", "handover")


@dataclass
class Side:
    """The records of one jurisdiction that URL parameters point to."""

    arrival: object  # in a departed batch
    received: object  # received, for the quarantine pages
    batch: object
    incident: object
    flight: object
    results_file: object
    jurisdiction: object
    conflict: object  # a declaration that claimed ``arrival`` without its proof


# How to fill each page's URL parameters from one side's records.
PAGE_PARAMS = {
    "arrivals:detail": lambda s: {"pk": s.arrival.pk},
    "arrivals:flight": lambda s: {"pk": s.flight.pk},
    "arrivals:resolve_conflict": lambda s: {"pk": s.arrival.pk, "conflict_pk": s.conflict.pk},
    "screening:desk_arrival": lambda s: {"pk": s.arrival.pk},
    "screening:timeline": lambda s: {"pk": s.arrival.pk},
    "screening:lab_preview": lambda s: {"pk": s.results_file.pk},
    "screening:lab_save": lambda s: {"pk": s.results_file.pk},
    "handover:ready_group": lambda s: {
        "jurisdiction_id": s.jurisdiction.pk,
        "disposition": "centralized_quarantine",
    },
    "handover:batch": lambda s: {"pk": s.batch.pk},
    "handover:depart": lambda s: {"pk": s.batch.pk},
    "handover:remove_member": lambda s: {"pk": s.batch.pk, "arrival_pk": s.arrival.pk},
    "handover:manifest": lambda s: {"pk": s.batch.pk},
    "handover:manifest_pdf": lambda s: {"pk": s.batch.pk},
    "handover:resolve_incident": lambda s: {"pk": s.incident.pk},
    "handover:see_off": lambda s: {"arrival_pk": s.arrival.pk},
    "handover:to_hospital": lambda s: {"arrival_pk": s.arrival.pk},
    "handover:receiving_batch": lambda s: {"pk": s.batch.pk},
    "handover:report_incident": lambda s: {"pk": s.batch.pk},
    "handover:quarantine": lambda s: {"arrival_pk": s.received.pk},
    "handover:release": lambda s: {"arrival_pk": s.received.pk},
    "handover:receiving_hospital": lambda s: {"arrival_pk": s.received.pk},
    "handover:board_group": lambda s: {"group": "in_transit"},
    "handover:board_traveler": lambda s: {"pk": s.arrival.pk},
}


def _pages():
    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace in NAMESPACES:
                yield f"{namespace}:{entry.name}", entry

    return sorted(walk(get_resolver(), "", ""), key=lambda item: item[0])


PAGES = _pages()


def _side(code: str, dispatcher, officer) -> Side:
    """A departed batch of two to ``code``'s jurisdiction, one traveler received, an incident."""
    travelers = [ready(jurisdiction=code) for _ in range(3)]
    batch = services.make_batch(
        destination=travelers[0].jurisdiction,
        disposition="centralized_quarantine",
        vehicle="渝A·7",
        escort="Liu",
        planned_departure=timezone.now(),
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    services.mark_departed(batch=batch, dispatcher=dispatcher)
    services.receive(batch=batch, arrival_code=travelers[2].code, officer=officer)
    incident = services.report_incident(
        batch=batch, kind="unexpected", officer=officer, note="one more on the bus"
    )
    lab = staff("test-lab", Role.LAB)
    results_file = stage_results_file(
        file=b"barcode,result,tested_at\n", filename=f"{code}.csv", lab="CDC", uploaded_by=lab
    )
    claimed = travelers[0].revisions.get()
    conflict = ConflictingDeclaration.objects.create(
        arrival=travelers[0],
        reference=new_code(),
        fingerprint=f"test-{code}",
        data={**claimed.data, "phone": "+821099999999"},
        source=Source.API,
    )
    return Side(
        conflict=conflict,
        arrival=travelers[0],
        received=travelers[2],
        batch=batch,
        incident=incident,
        flight=Flight.objects.get(pk=travelers[0].flight_id),
        results_file=results_file,
        jurisdiction=travelers[0].jurisdiction,
    )


@pytest.fixture
def sides(dispatcher, yubei_receiving_officer, jiangbei_receiving_officer):
    return {
        "own": _side("500112", dispatcher, yubei_receiving_officer),
        "other": _side("500105", dispatcher, jiangbei_receiving_officer),
    }


def _user_of(role: Role, yubei):
    """Each role's officer; the district officer is bound to Yubei (the "own" side)."""
    jurisdiction = yubei if role == Role.DISTRICT_RECEIVING else None
    return make_user(f"m-{role}", role, jurisdiction=jurisdiction)


def _denied(response) -> bool:
    return response.status_code in (403, 404)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_page_answers_only_its_role_and_jurisdiction(role, sides, yubei, client):
    user = _user_of(role, yubei)
    sign_in(client, user)
    allowed_areas = ROLE_AREAS[role]
    problems = []
    for name, pattern in PAGES:
        area = area_of_view(pattern.callback)
        assert area is not None, name
        has_params = bool(pattern.pattern.converters)
        for side_name, side in sides.items():
            if side_name == "other" and not has_params:
                continue  # the same page: no record of either side in it
            params = PAGE_PARAMS[name](side) if has_params else {}
            url = reverse(name, kwargs=params)
            before = AuditEntry.objects.filter(action="denied", path=url).count()
            response = client.get(url)
            if response.status_code == 405:
                # A form's target: a POST with nothing in it is enough to meet the gate.
                response = client.post(url, {})
            denied = _denied(response)
            logged = AuditEntry.objects.filter(action="denied", path=url).count() > before
            bound_elsewhere = user.jurisdiction_id and side_name == "other"
            # The board's group lists city-wide numbers: it has no jurisdiction to compare.
            must_deny = area not in allowed_areas or (
                bound_elsewhere and name != "handover:board_group"
            )
            if must_deny and not (denied and logged):
                problems.append((name, side_name, response.status_code, "not denied/logged"))
            if not must_deny and response.status_code in (403, 500):
                problems.append((name, side_name, response.status_code, "wrongly denied"))
    assert problems == []


# --- The API ------------------------------------------------------------------------------------

API_CALLS = [
    # (method, path template, body, areas that may call it)
    ("get", "/api/v1/handover/batches", None, {"arrivals.dispatch", "arrivals.receiving"}),
    ("get", "/api/v1/handover/batches/{batch}", None, {"arrivals.dispatch", "arrivals.receiving"}),
    (
        "post",
        "/api/v1/handover/batches/{batch}/receive",
        {"code": "{code}"},
        {"arrivals.receiving"},
    ),
    ("get", "/api/v1/handover/board", None, {"arrivals.board"}),
    # The desks' queues: each desk's own, a district officer's receiving queue their own district's.
    ("get", "/api/v1/arrivals", None, {"arrivals.desk"}),
    ("get", "/api/v1/screening/queues/desk", None, {"arrivals.desk"}),
    ("get", "/api/v1/screening/queues/sampling", None, {"arrivals.sampling"}),
    ("get", "/api/v1/screening/queues/lab", None, {"arrivals.lab"}),
    ("get", "/api/v1/handover/queues/dispatch", None, {"arrivals.dispatch"}),
    ("get", "/api/v1/handover/queues/receiving", None, {"arrivals.receiving"}),
    (
        "get",
        "/api/v1/alarms",
        None,
        {str(area) for area in ALARM_AREAS},
    ),
    (
        "post",
        "/api/v1/results",
        {
            "barcode": "NOPE",
            "result": "negative",
            "tested_at": "2020-03-20T10:00:00+08:00",
            "lab": "x",
        },
        {"arrivals.lab"},
    ),
]


def test_the_api_table_covers_every_operation_of_the_pipeline():
    from liaison.api import api

    paths = set()
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                public = operation.auth_param is None  # auth=None: the traveler's own form
                module = operation.view_func.__module__
                if not public and any(f"liaison.{n}." in module for n in NAMESPACES):
                    paths.add("/api/v1" + path)
    assert "/api/v1/results" in paths and "/api/v1/handover/board" in paths
    known = {call[1].split("{")[0].rstrip("/") for call in API_CALLS}
    missing = {p for p in paths if p.split("{")[0].rstrip("/") not in known}
    assert missing == set()


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_api_operation_answers_only_its_role_and_jurisdiction(role, sides, yubei, client):
    user = _user_of(role, yubei)
    sign_in(client, user)
    problems = []
    for method, template, body, areas in API_CALLS:
        for side_name, side in sides.items():
            code = side.arrival.code
            path = template.format(batch=side.batch.pk, code=code)
            data = (
                {k: v.format(code=code) if isinstance(v, str) else v for k, v in body.items()}
                if body
                else None
            )
            before = AuditEntry.objects.filter(action="denied").count()
            if method == "get":
                response = client.get(path)
            else:
                response = client.post(path, data, content_type="application/json")
            # One refusal, one entry (a refused call once wrote two).
            logged = AuditEntry.objects.filter(action="denied").count() == before + 1
            allowed = bool(areas & {str(a) for a in ROLE_AREAS[role]})
            bound_elsewhere = user.jurisdiction_id and side_name == "other"
            per_batch = "{batch}" in template
            must_deny = not allowed or (bound_elsewhere and per_batch)
            if must_deny and not (_denied(response) and logged):
                problems.append((template, side_name, response.status_code, logged))
            if not must_deny and response.status_code in (401, 403, 500):
                problems.append((template, side_name, response.status_code, "wrongly denied"))
            if bound_elsewhere and template == "/api/v1/handover/batches":
                assert side.batch.pk not in [b["id"] for b in response.json()]
    assert problems == []
