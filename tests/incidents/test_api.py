"""The REST API: the same services and rules as the pages; bad input a 4xx that changes nothing."""

import pytest
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.incidents import handovers
from liaison.incidents.models import Handover, Incident, Status

API = "/api/v1"


@pytest.fixture
def officer_api(signed_in, duty_officer):
    return signed_in(duty_officer)


def _report(client, **body):
    payload = {"kind": "security", "severity": 2, "title": "Unattended bag", **body}
    return client.post(f"{API}/incidents", payload, content_type="application/json")


def test_report_list_and_read(officer_api, chain):
    created = _report(officer_api)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["severity"], body["overdue"]) == ("open", 2, False)
    assert [e["code"] for e in body["history"]] == ["reported"]
    listed = officer_api.get(f"{API}/incidents?severity=2").json()
    assert [i["id"] for i in listed] == [body["id"]]
    assert AuditEntry.objects.filter(object_type__icontains="incident", action="read").exists()


@pytest.mark.parametrize(
    "body",
    [{"severity": 0}, {"severity": 6}, {"kind": "earthquake"}, {"title": ""}, {"severity": "x"}],
)
def test_bad_reports_are_400_and_write_nothing(officer_api, body):
    response = _report(officer_api, **body)
    assert response.status_code in (400, 422), response.content
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_a_bad_filter_is_a_400(officer_api):
    assert officer_api.get(f"{API}/incidents?severity=9").status_code == 400


def test_acknowledge_through_the_api_and_by_someone_off_the_chain(
    signed_in, officer_api, chain, incoming_officer
):
    incident_id = _report(officer_api).json()["id"]
    outsider = signed_in(incoming_officer)  # a duty officer, not on the chain
    refused = outsider.post(f"{API}/incidents/{incident_id}/acknowledgement")
    assert refused.status_code == 403
    assert Incident.objects.get(pk=incident_id).status == Status.OPEN
    done = officer_api.post(f"{API}/incidents/{incident_id}/acknowledgement")
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    again = officer_api.post(f"{API}/incidents/{incident_id}/acknowledgement")
    assert again.status_code == 409


def test_close_without_summary_is_400_then_with_it(officer_api, chain):
    incident_id = _report(officer_api).json()["id"]
    officer_api.post(f"{API}/incidents/{incident_id}/acknowledgement")
    url = f"{API}/incidents/{incident_id}/moves"
    assert (
        officer_api.post(url, {"to": "closed"}, content_type="application/json").status_code == 400
    )
    closed = officer_api.post(
        url, {"to": "closed", "text": "Bag was a tourist's."}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["summary"] == "Bag was a tourist's."


def test_leadership_reads_but_cannot_report(signed_in, director_general):
    client = signed_in(director_general)
    assert client.get(f"{API}/incidents").status_code == 200
    assert _report(client).status_code == 403


def test_other_desks_see_nothing(signed_in, airport_desk_officer):
    assert signed_in(airport_desk_officer).get(f"{API}/incidents").status_code == 403


def test_handover_and_countersign_through_the_api(
    signed_in, officer_api, duty_officer, incoming_officer
):
    _report(officer_api)
    written = officer_api.post(
        f"{API}/handovers",
        {"incoming_id": incoming_officer.pk, "note": "One open."},
        content_type="application/json",
    )
    assert written.status_code == 201, written.content
    handover_id = written.json()["id"]
    assert len(written.json()["open_incidents"]) == 1
    url = f"{API}/handovers/{handover_id}/countersignature"
    own = officer_api.post(url, {"confirmed_count": 1}, content_type="application/json")
    assert own.status_code == 403
    incoming = signed_in(incoming_officer)
    wrong = incoming.post(url, {"confirmed_count": 0}, content_type="application/json")
    assert wrong.status_code == 400
    assert Handover.objects.get(pk=handover_id).countersigned_at is None
    signed = incoming.post(url, {"confirmed_count": 1}, content_type="application/json")
    assert signed.status_code == 200 and signed.json()["countersigned_at"]
    assert not handovers.still_on_duty(duty_officer, timezone.now())


def test_the_chain_is_replaced_by_an_administrator_not_by_a_duty_officer(
    signed_in, officer_api, administrator, duty_chief
):
    steps = [
        {"post": "duty_officer"},
        {"post": "duty_chief", "user_id": duty_chief.pk, "after_minutes": 10},
    ]
    assert (
        officer_api.put(
            f"{API}/incidents-chain", steps, content_type="application/json"
        ).status_code
        == 403
    )
    admin = signed_in(administrator)
    saved = admin.put(f"{API}/incidents-chain", steps, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert [s["post"] for s in saved.json()] == ["duty_officer", "duty_chief"]
    bad = admin.put(f"{API}/incidents-chain", [{"post": "mayor"}], content_type="application/json")
    assert bad.status_code == 400
    assert len(officer_api.get(f"{API}/incidents-chain").json()) == 2


def test_an_unknown_incident_is_404(officer_api):
    assert officer_api.get(f"{API}/incidents/999999").status_code == 404
