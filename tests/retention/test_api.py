"""Holds through the API: placed and lifted with a reason, audited; bad input is a clear 4xx and
changes nothing."""

import pytest

from liaison.core.models import AuditEntry
from liaison.retention.models import Hold
from tests.retention.conftest import declare

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def traveler(city):
    return declare()


@pytest.fixture
def admin_client(administrator, signed_in):
    return signed_in(administrator)


def _place(client, **body):
    return client.post("/api/v1/retention/holds", body, content_type=JSON)


def test_a_hold_is_placed_listed_and_lifted(admin_client, traveler):
    placed = _place(admin_client, kind="arrival", record_id=traveler.pk, reason="Consulate dispute")
    assert placed.status_code == 201, placed.content
    hold_id = placed.json()["id"]
    listed = admin_client.get("/api/v1/retention/holds", {"active": "true"}).json()
    assert [h["id"] for h in listed] == [hold_id]
    lifted = admin_client.post(
        f"/api/v1/retention/holds/{hold_id}/lift", {"reason": "Settled"}, content_type=JSON
    )
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]
    assert (
        AuditEntry.objects.filter(object_type="retention.hold", object_id=str(hold_id)).count() == 2
    )


def test_lifting_twice_is_a_409(admin_client, traveler):
    hold_id = _place(admin_client, kind="arrival", record_id=traveler.pk, reason="x").json()["id"]
    path = f"/api/v1/retention/holds/{hold_id}/lift"
    assert admin_client.post(path, {"reason": "a"}, content_type=JSON).status_code == 200
    again = admin_client.post(path, {"reason": "b"}, content_type=JSON)
    assert again.status_code == 409
    assert again.json()["errors"][0]["message"]
    assert Hold.objects.get(pk=hold_id).lift_reason == "a"


def test_a_hold_on_a_record_that_is_not_there_is_a_404(admin_client, city):
    answer = _place(admin_client, kind="arrival", record_id=987654, reason="x")
    assert answer.status_code == 404 and answer.json()["errors"]
    assert not Hold.objects.exists()
    lift = admin_client.post(
        "/api/v1/retention/holds/987654/lift", {"reason": "x"}, content_type=JSON
    )
    assert lift.status_code == 404


def test_a_hold_without_a_reason_is_a_400(admin_client, traveler):
    answer = _place(admin_client, kind="arrival", record_id=traveler.pk, reason="  ")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "reason"
    assert (
        _place(admin_client, kind="nothing", record_id=traveler.pk, reason="x").status_code == 400
    )
    assert not Hold.objects.exists()


def test_a_second_hold_on_a_held_record_is_a_409(admin_client, traveler):
    assert (
        _place(admin_client, kind="arrival", record_id=traveler.pk, reason="x").status_code == 201
    )
    assert (
        _place(admin_client, kind="arrival", record_id=traveler.pk, reason="y").status_code == 409
    )
    assert Hold.objects.count() == 1


def test_an_officer_outside_retention_is_refused(airport_desk_officer, signed_in, traveler):
    client = signed_in(airport_desk_officer)
    answer = _place(client, kind="arrival", record_id=traveler.pk, reason="x")
    assert answer.status_code == 403
    assert client.get("/retention/").status_code == 403
    assert not Hold.objects.exists()


def test_the_officers_page_shows_rules_holds_and_receipts(admin_client, traveler):
    page = admin_client.get("/retention/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "arrival.released" in text and "no-store" in page["Cache-Control"]
    assert admin_client.get("/api/v1/retention/rules").status_code == 200
    due = admin_client.get("/api/v1/retention/due").json()
    assert {d["rule"] for d in due} >= {"arrival.released", "case.closed", "person.left_post"}
    placed = admin_client.post(
        "/retention/holds/", {"kind": "arrival", "record_id": traveler.pk, "reason": "Court"}
    )
    assert placed.status_code == 302
    no_reason = admin_client.post(
        "/retention/holds/", {"kind": "arrival", "record_id": traveler.pk, "reason": ""}
    )
    assert no_reason.status_code == 400
    assert Hold.objects.count() == 1
