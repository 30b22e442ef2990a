"""The media desk's API: the same services and rules as the pages, the one error shape."""

import json

import pytest

from liaison.media.models import MediaRequest, MediaRequestEvent, PressRelease, ReleaseRecipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(signed_in):
    """A staff session reading the API in English (messages, rendered events)."""

    def english(user):
        client = signed_in(user)
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        return client

    return english


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _body(kyodo, correspondent, officer=None, **overrides):
    body = {
        "kind": "interview",
        "bureau_id": kyodo.pk,
        "correspondent_id": correspondent.pk,
        "received_at": "2020-04-02T09:30:00+08:00",
        "deadline": "2020-04-04T18:00:00+08:00",
        "subject": "Measures for foreigners arriving in Chongqing",
        "question": "How are foreign residents quarantined?",
    }
    if officer is not None:
        body["assigned_to_id"] = officer.pk
    body.update(overrides)
    return body


def test_the_interview_through_the_api(signed_in, media_officer, kyodo, kyodo_correspondent):
    client = signed_in(media_officer)
    created = post(
        client, "/api/v1/media/requests", _body(kyodo, kyodo_correspondent, media_officer)
    )
    assert created.status_code == 201, created.content
    request = created.json()
    assert request["status"] == "assigned"
    assert [e["kind"] for e in request["events"]] == ["received", "assigned"]
    assert request["events"][1]["text"] == "Assigned to he-media"
    path = f"/api/v1/media/requests/{request['id']}"
    answered = post(
        client,
        path + "/answer",
        {
            "answer": "Designated hotels; notices in 14 languages.",
            "answered_by_user_id": media_officer.pk,
            "answered_at": "2020-04-03T16:00:00+08:00",
        },
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    assert answered.json()["events"][-1]["data"] == {"on_time": True}
    listed = client.get("/api/v1/media/requests", {"status": "answered", "bureau": kyodo.pk}).json()
    assert [r["id"] for r in listed] == [request["id"]]
    assert client.get("/api/v1/media/requests", {"kind": "filming"}).json() == []
    again = post(client, path + "/answer", {"answer": "x", "answered_by_user_id": media_officer.pk})
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "status"


def test_the_filming_request_declined_and_a_correction(
    signed_in, media_officer, yonhap, yonhap_correspondent
):
    client = signed_in(media_officer)
    body = _body(yonhap, yonhap_correspondent, media_officer, kind="filming", subject="Filming")
    request = post(client, "/api/v1/media/requests", body).json()
    path = f"/api/v1/media/requests/{request['id']}"
    assert post(client, path + "/decline", {"reason": ""}).status_code == 400
    corrected = post(
        client,
        path + "/corrections",
        {"reason": "The bureau's own words", "subject": "Filming in a quarantine hotel"},
    )
    assert corrected.status_code == 200, corrected.content
    last = corrected.json()["events"][-1]
    assert last["kind"] == "corrected"
    assert last["changes"] == [
        {"field": "subject", "before": "Filming", "after": "Filming in a quarantine hotel"}
    ]
    declined = post(client, path + "/decline", {"reason": "Not allowed in quarantine sites."})
    assert declined.json()["status"] == "declined"
    assert declined.json()["closed_reason"] == "Not allowed in quarantine sites."


@pytest.mark.parametrize(
    "bad",
    [
        {"deadline": "2020-04-01T09:00:00+08:00"},
        {"subject": "x" * 301},
        {"question": "x" * 5001},
        {"bureau_id": 10**12},
        {"bureau_id": 0},
        {"bureau_id": "kyodo"},
        {"correspondent_id": 10**12},
        {"kind": "press_tour"},
        {"received_at": "2020-02-30T09:00:00+08:00"},
        {"received_at": "1776-07-04T09:00:00+00:00"},
    ],
)
def test_bad_input_is_a_400_in_the_error_shape_and_changes_nothing(
    signed_in, media_officer, kyodo, kyodo_correspondent, bad
):
    client = signed_in(media_officer)
    response = post(client, "/api/v1/media/requests", _body(kyodo, kyodo_correspondent, **bad))
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["message"]
    assert not MediaRequest.objects.exists()
    assert not MediaRequestEvent.objects.exists()


def test_a_correspondent_of_another_bureau_and_a_consulate_are_refused(
    signed_in, media_officer, kyodo, yonhap_correspondent, korea_consulate, consul
):
    client = signed_in(media_officer)
    response = post(client, "/api/v1/media/requests", _body(kyodo, yonhap_correspondent))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "correspondent", "message": "This correspondent is not of that bureau."}
    ]
    response = post(client, "/api/v1/media/requests", _body(korea_consulate, consul))
    assert response.json()["errors"][0]["field"] == "bureau"
    assert not MediaRequest.objects.exists()


def test_an_unknown_request_is_a_404(signed_in, media_officer):
    client = signed_in(media_officer)
    assert client.get("/api/v1/media/requests/999999").status_code == 404
    assert client.get(f"/api/v1/media/requests/{10**20}").status_code in (400, 404)
    response = post(client, "/api/v1/media/requests/999999/withdrawal", {"reason": "x"})
    assert response.status_code == 404


def test_bureaus_with_their_press_cards(
    signed_in, director_general, kyodo, kyodo_correspondent, expired_correspondent
):
    listed = signed_in(director_general).get("/api/v1/media/bureaus").json()
    bureau = next(b for b in listed if b["code"] == "JP-KYODO-BJ")
    cards = {c["card_number"]: c["expired"] for c in bureau["correspondents"]}
    assert cards == {"J2020-0173": False, "J2018-0042": True}


def test_a_release_sent_to_three_bureaus_through_the_api(
    signed_in, media_officer, kyodo, yonhap, dpa, korea_consulate
):
    client = signed_in(media_officer)
    created = post(
        client,
        "/api/v1/media/releases",
        {
            "title_zh": "重庆市加强境外输入疫情防控",
            "title_en": "Chongqing steps up measures against imported cases",
            "body_zh": "所有入境人员集中隔离14天。",
            "body_en": "Every arriving traveler spends 14 days in centralized quarantine.",
        },
    )
    assert created.status_code == 201, created.content
    path = f"/api/v1/media/releases/{created.json()['id']}"
    assert post(client, path + "/recipients", {"bureau_ids": [kyodo.pk]}).status_code == 409
    assert post(client, path + "/publication", {}).status_code == 200
    wrong = post(client, path + "/recipients", {"bureau_ids": [kyodo.pk, korea_consulate.pk]})
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["field"] == "bureau_ids.1"
    assert not ReleaseRecipient.objects.exists()
    sent = post(client, path + "/recipients", {"bureau_ids": [kyodo.pk, yonhap.pk, dpa.pk]})
    assert sent.status_code == 201
    assert len(sent.json()["sent_to"]) == 3
    edit = post(client, path + "/edits", {"title_en": "Changed"})
    assert edit.status_code == 409
    assert PressRelease.objects.get().title_en.startswith("Chongqing steps up")
    listed = client.get("/api/v1/media/releases").json()
    assert [(r["published"], r["recipients"]) for r in listed] == [(True, 3)]
    detail = client.get(path).json()
    assert [e["kind"] for e in detail["events"]] == ["drafted", "published", "sent"]


def test_the_operations_are_in_the_schema(signed_in, media_officer):
    schema = signed_in(media_officer).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/media/bureaus",
        "/api/v1/media/requests",
        "/api/v1/media/requests/{request_id}",
        "/api/v1/media/requests/{request_id}/answer",
        "/api/v1/media/requests/{request_id}/decline",
        "/api/v1/media/requests/{request_id}/withdrawal",
        "/api/v1/media/requests/{request_id}/assignment",
        "/api/v1/media/requests/{request_id}/corrections",
        "/api/v1/media/releases",
        "/api/v1/media/releases/{release_id}",
        "/api/v1/media/releases/{release_id}/edits",
        "/api/v1/media/releases/{release_id}/publication",
        "/api/v1/media/releases/{release_id}/recipients",
    ):
        assert path in paths, path
    answer = paths["/api/v1/media/requests/{request_id}/answer"]["post"]["responses"]
    assert {"400", "404", "409"} <= set(answer)
