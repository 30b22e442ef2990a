"""Nobody takes over a traveler's declaration (issue 11, point 1).

Declaring a document, flight and day that someone already declared, without the private status
link's token, changes nothing of that declaration and shows nothing of it: it is kept as a
conflicting declaration for the desk, which resolves it with a written reason. The traveler amends
their own with the token, while it is still "declared".
"""

import json
import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from liaison.arrivals import conflicts, services, states
from liaison.arrivals.models import (
    Arrival,
    ConflictingDeclaration,
    DeclarationRevision,
    Source,
)
from liaison.arrivals.states import ArrivalState
from liaison.core import audit, reference
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from tests.arrivals.conftest import valid_payload
from tests.arrivals.test_pages import form_data
from tests.concurrency import Overlap, message, remove_the_lock

pytestmark = pytest.mark.django_db
API = "/api/v1/declarations"
Resolution = ConflictingDeclaration.Resolution

# Someone who knows Kim's passport number, flight and day, and wants him elsewhere.
TAKEOVER = {
    "surname_latin": "MALLORY",
    "given_names_latin": "EVE",
    "surname_native": "",
    "given_names_native": "",
    "phone": "+86 138 0013 8000",
    "email": "eve@example.net",
    "jurisdiction": "500105",  # Jiangbei, not Yubei
    "address": "江北区 99 号",
}


def post(client, body, *, key=None):
    return client.post(
        API,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
    )


def token_of(answer: dict) -> str:
    return answer["status_url"].rstrip("/").rsplit("/", 1)[1]


def as_kim_declared() -> tuple:
    arrival = Arrival.objects.select_related("jurisdiction").get()
    return (
        arrival.surname_latin,
        arrival.phone,
        arrival.address,
        arrival.jurisdiction.code,
        arrival.state,
        arrival.revisions.count(),
        arrival.facts,
        arrival.updated_at,
    )


def shows_nothing_of(text: str, arrival: Arrival) -> None:
    for secret in (arrival.code, arrival.display_code, arrival.status_token, "KIM", "MINJUN"):
        assert secret not in text
    assert "/declare/status/" not in text


# --- the takeover attempt ---------------------------------------------------------------------


def test_a_takeover_through_the_api_changes_nothing_and_reveals_nothing(client, city):
    original = post(client, valid_payload())
    assert original.status_code == 201
    before = as_kim_declared()

    response = post(client, valid_payload(**TAKEOVER))

    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"reference", "display_reference", "state", "message"}
    arrival = Arrival.objects.get()
    shows_nothing_of(response.content.decode(), arrival)
    assert body["reference"] != arrival.code and "health desk" in body["message"]
    # Kim's declaration, state and jurisdiction are as he made them.
    assert as_kim_declared() == before
    conflict = ConflictingDeclaration.objects.get()
    assert (conflict.arrival, conflict.reference, conflict.resolution) == (
        arrival,
        body["reference"],
        Resolution.OPEN,
    )
    assert conflict.data["surname_latin"] == "MALLORY" and conflict.data["jurisdiction"] == "500105"
    assert (conflict.source, conflict.client_address) == (Source.API, "127.0.0.1")
    assert AuditEntry.objects.filter(
        object_type="arrivals.conflictingdeclaration", object_id=str(conflict.pk), action="create"
    ).exists()


def test_a_takeover_through_the_form_changes_nothing_and_reveals_nothing(client, city):
    kim = client.post("/declare/", form_data(client))
    assert kim.status_code == 302
    before = as_kim_declared()

    eve = type(client)()
    response = eve.post("/declare/", form_data(eve, **TAKEOVER), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 202
    html = response.content.decode()
    arrival = Arrival.objects.get()
    shows_nothing_of(html, arrival)
    conflict = ConflictingDeclaration.objects.get()
    assert conflict.display_reference in html and "health desk" in html
    assert conflict.source == Source.SELF
    assert as_kim_declared() == before
    # Kim's own link still shows Kim.
    assert "KIM" in client.get(kim["Location"]).content.decode()


def test_a_takeover_after_screening_changes_neither_state_nor_jurisdiction(
    client, city, airport_desk_officer
):
    kim = services.declare(data=valid_payload(), source=Source.API).arrival
    states.move(kim, ArrivalState.SCREENED, actor=airport_desk_officer)
    before = as_kim_declared()
    result = services.declare(data=valid_payload(**TAKEOVER), source=Source.API)
    assert isinstance(result, services.Received) and not hasattr(result, "arrival")
    assert as_kim_declared() == before and before[4] == ArrivalState.SCREENED


def test_the_same_conflicting_data_again_is_the_same_submission(client, city):
    post(client, valid_payload())
    one = post(client, valid_payload(**TAKEOVER)).json()
    two = post(client, valid_payload(**TAKEOVER)).json()
    other = post(client, valid_payload(**{**TAKEOVER, "address": "江北区 100 号"})).json()
    assert one["reference"] == two["reference"] != other["reference"]
    assert ConflictingDeclaration.objects.count() == 2


def test_a_wrong_token_is_refused_and_changes_nothing(client, city):
    post(client, valid_payload())
    before = as_kim_declared()
    response = post(client, valid_payload(**TAKEOVER, status_token="guessed-token-0000"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status_token"
    assert as_kim_declared() == before and not ConflictingDeclaration.objects.exists()


# --- the traveler amends their own --------------------------------------------------------------


def test_the_traveler_amends_through_the_api_with_the_token_while_declared(client, city):
    answer = post(client, valid_payload()).json()
    response = post(client, valid_payload(address="Hotel B", status_token=token_of(answer)))
    assert response.status_code == 201, response.content
    assert response.json()["code"] == answer["code"] and response.json()["version"] == 2
    assert Arrival.objects.get().address == "Hotel B"
    assert not ConflictingDeclaration.objects.exists()


def test_an_amendment_after_screening_is_refused_and_changes_nothing(
    client, city, airport_desk_officer
):
    answer = post(client, valid_payload()).json()
    states.move(Arrival.objects.get(), ArrivalState.SCREENED, actor=airport_desk_officer)
    before = as_kim_declared()
    response = post(client, valid_payload(address="Hotel B", status_token=token_of(answer)))
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["field"] == "status_token" and "health desk" in error["message"]
    assert as_kim_declared() == before
    # The form says the same.
    page = client.get(reverse("declare:amend", args=[token_of(answer)]))
    assert 'data-testid="amend-refused"' in page.content.decode()
    assert "/amend/" not in client.get(answer["status_url"]).content.decode()
    data = form_data(client, "/declare/", address="Hotel B")
    refused = client.post(reverse("declare:amend", args=[token_of(answer)]), data)
    assert refused.status_code == 409 and as_kim_declared() == before


def test_an_amendment_cannot_move_the_declaration_to_another_document(client, city):
    answer = post(client, valid_payload()).json()
    before = as_kim_declared()
    response = post(
        client, valid_payload(document_number="X9999999", status_token=token_of(answer))
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["document_number"]
    assert as_kim_declared() == before and Arrival.objects.count() == 1


def test_the_traveler_amends_on_their_status_page(client, city):
    kim = client.post("/declare/", form_data(client))
    status = client.get(kim["Location"]).content.decode()
    amend_url = re.search(r'href="([^"]+/amend/)"', status).group(1)
    page = client.get(amend_url)
    assert page.status_code == 200
    html = page.content.decode()
    # The form comes filled in with the declaration on file.
    assert 'value="KIM"' in html and "渝北区 1 号" in html
    data = form_data(client, amend_url, address="Hotel C", phone="+82 10-9999-0000")
    response = client.post(amend_url, data)
    assert response.status_code == 302 and "amended=1" in response["Location"]
    arrival = Arrival.objects.get()
    assert (arrival.address, arrival.phone, arrival.revisions.count()) == (
        "Hotel C",
        "+821099990000",
        2,
    )
    assert arrival.revisions.get(number=2).source == Source.SELF


def test_an_onward_traveler_finds_the_departure_filled_in(client, city):
    body = valid_payload(
        destination_kind="onward",
        jurisdiction="",
        address="",
        onward_destination="Chengdu",
        onward_departure=f"{valid_payload()['arrival_date']}T23:30",
    )
    arrival = services.declare(data=body, source=Source.API).arrival
    html = client.get(reverse("declare:amend", args=[arrival.status_token])).content.decode()
    assert f'value="{body["onward_departure"]}"' in html


def test_the_openapi_schema_documents_the_proof_and_the_receipt(client, city):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/declarations"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "status_token" in body["properties"] and "status_token" not in body["required"]
    assert "202" in operation["responses"] and "status_token" in operation["description"]


# --- the desk sees and resolves it --------------------------------------------------------------


@pytest.fixture
def held(city):
    """Kim declared; someone else then declared his passport for Jiangbei."""
    kim = services.declare(data=valid_payload(), source=Source.API).arrival
    with audit.acting_as(ip_address="203.0.113.7"):
        received = services.declare(data=valid_payload(**TAKEOVER), source=Source.API)
    return kim, ConflictingDeclaration.objects.get(reference=received.reference)


def test_the_conflict_is_flagged_on_the_desk_page_the_traveler_page_and_the_timeline(
    held, airport_desk_officer, signed_in
):
    kim, conflict = held
    client = signed_in(airport_desk_officer)
    desk = client.get(reverse("screening:desk_arrival", args=[kim.pk])).content.decode()
    assert 'data-testid="conflict-flag"' in desk
    page = client.get(reverse("arrivals:detail", args=[kim.pk])).content.decode()
    assert 'data-testid="conflict-flag"' in page and 'data-resolution="open"' in page
    # Beside the original: what is on file and what was submitted, and from where.
    assert "渝北区 1 号" in page and "江北区 99 号" in page and "MALLORY" in page
    assert "203.0.113.7" in page and 'data-testid="resolve-form"' in page
    timeline = client.get(reverse("screening:timeline", args=[kim.pk])).content.decode()
    assert 'data-testid="conflict-flag"' in timeline and conflict.display_reference in timeline
    # The reference on the submitter's receipt, scanned at the desk, finds the traveler.
    found = client.get(reverse("screening:desk"), {"q": conflict.display_reference})
    assert found.status_code == 302 and found["Location"].endswith(f"/desk/{kim.pk}/")


def test_the_desk_dismisses_it_with_a_reason(held, airport_desk_officer, signed_in):
    kim, conflict = held
    client = signed_in(airport_desk_officer)
    url = reverse("arrivals:resolve_conflict", args=[kim.pk, conflict.pk])
    response = client.post(url, {"outcome": "dismissed", "reason": "Kim has his passport here."})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert (conflict.resolution, conflict.reason, conflict.resolved_by) == (
        Resolution.DISMISSED,
        "Kim has his passport here.",
        airport_desk_officer,
    )
    assert conflict.resolved_at is not None
    kim.refresh_from_db()
    assert (kim.surname_latin, kim.jurisdiction.code) == ("KIM", "500112")
    assert AuditEntry.objects.filter(
        object_type="arrivals.conflictingdeclaration",
        object_id=str(conflict.pk),
        action="update",
        actor_username="li-desk",
    ).exists()
    desk = client.get(reverse("screening:desk_arrival", args=[kim.pk])).content.decode()
    assert 'data-testid="conflict-flag"' not in desk
    timeline = client.get(reverse("screening:timeline", args=[kim.pk])).content.decode()
    assert "Kim has his passport here." in timeline


def test_a_resolution_without_a_reason_is_refused(held, airport_desk_officer, signed_in):
    kim, conflict = held
    client = signed_in(airport_desk_officer)
    url = reverse("arrivals:resolve_conflict", args=[kim.pk, conflict.pk])
    response = client.post(url, {"outcome": "applied", "reason": "   "})
    assert response.status_code == 400
    with pytest.raises(Refused) as refused:
        conflicts.resolve_conflict(
            conflict=conflict, by=airport_desk_officer, reason="", outcome="dismissed"
        )
    assert refused.value.field == "reason"
    conflict.refresh_from_db()
    kim.refresh_from_db()
    assert conflict.is_open and kim.jurisdiction.code == "500112"


def test_applying_it_makes_a_staff_version_with_the_reason(held, airport_desk_officer):
    kim, conflict = held
    conflicts.resolve_conflict(
        conflict=conflict,
        by=airport_desk_officer,
        reason="Passport checked: Eve Mallory is this traveler; Kim was a typo.",
        outcome="applied",
    )
    kim.refresh_from_db()
    conflict.refresh_from_db()
    assert (kim.surname_latin, kim.jurisdiction.code) == ("MALLORY", "500105")
    version = kim.revisions.get(number=2)
    assert (version.source, version.entered_by, version.reason) == (
        Source.STAFF,
        airport_desk_officer,
        conflict.reason,
    )
    assert (conflict.resolution, conflict.revision) == (Resolution.APPLIED, version)
    with pytest.raises(Conflict):
        conflicts.resolve_conflict(
            conflict=conflict, by=airport_desk_officer, reason="again", outcome="dismissed"
        )


def test_it_cannot_be_applied_once_the_disposition_is_decided(held, airport_desk_officer):
    kim, conflict = held
    states.move(kim, ArrivalState.SCREENED, actor=airport_desk_officer)
    states.move(kim, ArrivalState.DISPOSED, actor=airport_desk_officer)
    with pytest.raises(Conflict):
        conflicts.resolve_conflict(
            conflict=conflict, by=airport_desk_officer, reason="checked", outcome="applied"
        )
    conflict.refresh_from_db()
    kim.refresh_from_db()
    assert conflict.is_open and kim.surname_latin == "KIM" and kim.revisions.count() == 1
    # Dismissing it still closes it.
    conflicts.resolve_conflict(
        conflict=conflict, by=airport_desk_officer, reason="checked", outcome="dismissed"
    )


def test_a_desk_entry_for_a_declared_traveler_is_held_beside_it(
    client, city, airport_desk_officer, signed_in
):
    kim = services.declare(data=valid_payload(), source=Source.API).arrival
    desk = signed_in(airport_desk_officer)
    data = form_data(desk, "/arrivals/declare/", address="Desk says: hotel D")
    response = desk.post("/arrivals/declare/", data)
    assert response.status_code == 302
    assert response["Location"] == reverse("arrivals:detail", args=[kim.pk])
    kim.refresh_from_db()
    assert kim.address == "渝北区 1 号" and kim.revisions.count() == 1
    conflict = ConflictingDeclaration.objects.get()
    assert (conflict.source, conflict.entered_by) == (Source.STAFF, airport_desk_officer)


# --- 50 at once ---------------------------------------------------------------------------------


@pytest.fixture
def kim_committed(settings):
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    return services.declare(data=valid_payload(), source=Source.API).arrival


def _fifty_conflicting_at_once(monkeypatch, *, locked=True) -> tuple[Overlap, list]:
    """The first is held where the conflict is kept (``_hold``, the traveler's row locked) until
    the 49 others have started."""
    body = valid_payload(**TAKEOVER)
    overlap = Overlap(50, wait_for_entry=not locked)
    overlap.hold_first(monkeypatch, services, "_hold")
    results = overlap.run(
        *(
            lambda i=i: services.declare(
                data=body, source=Source.API, idempotency_key=f"eve-{i:05d}"
            )
            for i in range(50)
        )
    )
    return overlap, results


@pytest.mark.django_db(transaction=True)
def test_fifty_identical_conflicting_declarations_at_once_are_one_conflict(
    kim_committed, monkeypatch
):
    before = as_kim_declared()
    overlap, results = _fifty_conflicting_at_once(monkeypatch)
    overlap.assert_serialized()
    assert [r for r in results if not isinstance(r, services.Received)] == []
    (conflict,) = ConflictingDeclaration.objects.all()
    assert {r.reference for r in results} == {conflict.reference}
    assert conflict.is_open and conflict.arrival_id == kim_committed.pk
    assert as_kim_declared() == before
    assert (Arrival.objects.count(), DeclarationRevision.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_conflicting_declarations_fail(kim_committed, monkeypatch):
    """The race above has teeth: on SQLite without the IMMEDIATE transaction, the others keep
    the conflict while the first is inside, and the first fails when it comes to write."""
    if connection.vendor != "sqlite":
        pytest.skip(
            "On PostgreSQL the unique constraint on the conflict's arrival and data, and the "
            "retry after it, keep one conflict even without the row lock: nothing to see."
        )
    remove_the_lock(monkeypatch)
    overlap, results = _fifty_conflicting_at_once(monkeypatch, locked=False)
    assert overlap.entered_while_first_inside()
    assert message(results[overlap.first]) == "database is locked"
