"""The contact log's API: the same services and rules as the pages, the one error shape."""

import json

import pytest

from liaison.contacts.models import Commitment, Contact
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _body(consul_general, liaison_officer, **overrides):
    body = {
        "kind": "video_call",
        "starts_at": "2020-03-24T15:00:00+08:00",
        "ends_at": "2020-03-24T18:00:00+08:00",
        "counterpart_time_zone": "Europe/Kyiv",
        "medium": "Zoom, arranged by the Ministry",
        "topics": ["Treatment", "Testing"],
        "participants": [
            {"role": "led", "person_id": consul_general.pk},
            {"role": "interpreted", "user_id": liaison_officer.pk},
        ],
        "outcomes": [
            {
                "kind": "commitment",
                "text": "Send the testing guidelines in Russian",
                "side": "ours",
                "owner_user_id": liaison_officer.pk,
                "due_on": in_days(6).isoformat(),
            }
        ],
    }
    body.update(overrides)
    return body


def test_log_read_and_list_a_contact(signed_in, liaison_officer, consul_general, korea_chengdu):
    client = signed_in(liaison_officer)
    created = post(client, "/api/v1/contacts", _body(consul_general, liaison_officer))
    assert created.status_code == 201, created.content
    contact = created.json()
    assert contact["time_zone"] == "Asia/Shanghai"
    assert contact["counterpart_time_zone"] == "Europe/Kyiv"
    assert [p["side"] for p in contact["participants"]] == ["ours", "theirs"]
    assert contact["outcomes"][0]["commitment_id"]
    assert [r["kind"] for r in contact["revisions"]] == ["logged"]
    listed = client.get(f"/api/v1/contacts?organization={korea_chengdu.pk}").json()
    assert [c["id"] for c in listed] == [contact["id"]]
    detail = client.get(f"/api/v1/contacts/{contact['id']}").json()
    assert detail["topics"] == ["Treatment", "Testing"]
    commitments = client.get("/api/v1/commitments?side=ours").json()
    assert [c["description"] for c in commitments] == ["Send the testing guidelines in Russian"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"participants": []}, "participants"),
        ({"ends_at": "2020-03-24T14:00:00+08:00"}, "ends_at"),
        (
            {"participants": [{"role": "led", "person_id": 1, "organization_id": 987654}]},
            "participants.0.organization",
        ),
        ({"kind": "telepathy"}, "kind"),
        ({"starts_at": "not a time"}, "starts_at"),
    ],
)
def test_bad_bodies_answer_400_in_the_error_shape_and_write_nothing(
    signed_in, liaison_officer, consul_general, overrides, field
):
    client = signed_in(liaison_officer)
    response = post(client, "/api/v1/contacts", _body(consul_general, liaison_officer, **overrides))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and errors[0]["message"]
    assert Contact.objects.count() == 0 and Commitment.objects.count() == 0


def test_a_commitment_due_in_the_past_is_a_400(signed_in, liaison_officer, consul_general):
    body = _body(consul_general, liaison_officer)
    body["outcomes"][0]["due_on"] = "2020-03-01"
    response = post(signed_in(liaison_officer), "/api/v1/contacts", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "outcomes.0.due_on"
    assert Contact.objects.count() == 0


def test_correct_withdraw_and_move_through_the_api(signed_in, liaison_officer, korea_call):
    client = signed_in(liaison_officer)
    path = f"/api/v1/contacts/{korea_call.pk}"
    corrected = post(client, f"{path}/corrections", {"reason": "Venue", "place": "By phone"})
    assert corrected.status_code == 200, corrected.content
    revision = corrected.json()["revisions"][-1]
    assert revision["changes"]["place"]["after"] == "By phone"
    assert post(client, f"{path}/corrections", {"reason": ""}).status_code == 400
    commitment = korea_call.commitments.get(owner_user=liaison_officer)
    moved = post(client, f"/api/v1/commitments/{commitment.pk}/moves", {"to": "done"})
    assert moved.json()["status"] == "done"
    again = post(client, f"/api/v1/commitments/{commitment.pk}/moves", {"to": "dropped"})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "status"
    added = post(
        client,
        f"{path}/commitments",
        {
            "side": "theirs",
            "description": "Confirm the charter flight",
            "due_on": in_days(3).isoformat(),
            "owner_organization_id": korea_call.participants.filter(side="theirs")
            .first()
            .organization_id,
        },
    )
    assert added.status_code == 201
    withdrawn = post(client, f"{path}/withdrawal", {"reason": "Logged twice"})
    assert withdrawn.json()["withdrawn"] is True
    assert post(client, f"{path}/corrections", {"reason": "x", "place": "y"}).status_code == 409


def test_unknown_records_answer_404(signed_in, liaison_officer, korea_call):
    client = signed_in(liaison_officer)
    assert client.get("/api/v1/contacts/987654").status_code == 404
    assert client.get("/api/v1/commitments/987654").status_code == 404
    assert client.get("/api/v1/contacts?since=2020-02-30").status_code == 400
