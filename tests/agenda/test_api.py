"""The calendar's API: the same items as the page through the same selectors, the feed token's
life, bad ranges as a 400 in the one error shape, and access per role (bearer tokens too)."""

import json

import pytest
from django.test import Client

from liaison.agenda.models import FeedToken
from liaison.core import services as core_services
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from tests.conftest import make_user, sign_in
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, secret = core_services.create_api_token(name="cal", user=user, created_by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_items_of_a_range(korea_call, march_conference, director_general):
    client = sign_in(Client(), director_general)
    response = client.get("/api/v1/calendar/items", {"start": "2020-03-16", "end": "2020-03-29"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["overdue"]) == ("2020-03-16", "2020-03-29", [])
    assert [(i["kind"], i["id"], i["day"]) for i in body["items"]] == [
        ("contact", korea_call.pk, "2020-03-20"),
        ("conference", march_conference.pk, "2020-03-24"),
    ]
    conference = body["items"][1]
    assert conference["starts_at"].startswith("2020-03-24T07:00:00")  # UTC
    assert "亚美尼亚 (Asia/Yerevan) 11:00–14:00" in conference["their_times"]  # staff language
    assert conference["url"] == f"/exchanges/{march_conference.pk}/"


def test_commitments_due_and_mine_through_a_bearer_token(korea_call, liaison_officer):
    headers = bearer(liaison_officer)
    window = {"start": in_days(0).isoformat(), "end": in_days(13).isoformat()}
    desk = Client().get("/api/v1/calendar/items", window, **headers).json()
    assert len([i for i in desk["items"] if i["kind"] == "commitment"]) == 4
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    mine = Client().get("/api/v1/calendar/items", {**window, "whose": "mine"}, **headers).json()
    assert [i["title"] for i in mine["items"]] == [
        "Send the list of Korean nationals in quarantine"
    ]
    (read,) = AuditEntry.objects.filter(pk__gt=last, action="read")
    assert read.actor_id == liaison_officer.pk and read.object_type == "agenda.calendar"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2020-03-01", "end": "2020-06-01"}, "end"),  # 93 days
        ({"start": "2020-03-02", "end": "2020-03-01"}, "end"),
        ({"start": "2020-02-30"}, "start"),
        ({"start": "0001-01-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
        ({"whose": "all"}, "whose"),
    ],
)
def test_a_bad_range_is_a_400_in_the_one_error_shape(query, field, director_general):
    client = sign_in(Client(), director_general)
    response = client.get("/api/v1/calendar/items", query)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors and errors[0]["field"] == field and errors[0]["message"]


def test_the_feed_token_is_created_read_and_revoked(director_general):
    client = sign_in(Client(), director_general)
    assert client.get("/api/v1/calendar/feed-token").json() == {
        "active": False,
        "whose": None,
        "created_at": None,
        "last_used_at": None,
    }
    created = client.post(
        "/api/v1/calendar/feed-token",
        json.dumps({"whose": "desk"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["active"] and body["whose"] == "desk"
    assert body["url"] == f"http://testserver/calendar/feed/{body['token']}.ics"
    assert FeedToken.objects.get().digest == FeedToken.digest_of(body["token"])
    Client().get(f"/calendar/feed/{body['token']}.ics")
    status = client.get("/api/v1/calendar/feed-token").json()
    assert status["active"] and status["last_used_at"] is not None
    revoked = client.post("/api/v1/calendar/feed-token/revocation")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert Client().get(f"/calendar/feed/{body['token']}.ics").status_code == 404
    again = client.post("/api/v1/calendar/feed-token/revocation")
    assert again.status_code == 409 and again.json()["errors"][0]["message"]


def test_a_bad_feed_token_body_is_a_400_and_creates_nothing(director_general):
    client = sign_in(Client(), director_general)
    for body in ({"whose": "everyone"}, {"whose": 3}, "not json"):
        response = client.post(
            "/api/v1/calendar/feed-token",
            body if isinstance(body, str) else json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code == 400, (body, response.content)
    assert not FeedToken.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_only_the_calendars_roles_use_it(role, city):
    user = make_user(f"api-cal-{role}", role)
    headers = bearer(user)
    allowed = role in {Role.LIAISON, Role.EXCHANGES, Role.LEADERSHIP}
    listed = Client().get("/api/v1/calendar/items", **headers)
    assert listed.status_code == (200 if allowed else 403), (role, listed.content)
    created = Client().post(
        "/api/v1/calendar/feed-token", "{}", content_type="application/json", **headers
    )
    assert created.status_code == (201 if allowed else 403)
    assert FeedToken.objects.filter(user=user).exists() == allowed


def test_without_credentials_a_401(city):
    assert Client().get("/api/v1/calendar/items").status_code == 401
