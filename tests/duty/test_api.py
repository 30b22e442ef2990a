"""The duty API: the same services and rules as the pages, one error shape."""

from __future__ import annotations

import json

import pytest

from liaison.duty.models import Shift, Swap
from tests.duty.conftest import MONDAY

pytestmark = pytest.mark.django_db


def post(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def shift(officer, start="2020-03-16T08:00:00+08:00", end="2020-03-16T16:00:00+08:00", **more):
    return {
        "officer": officer.pk,
        "post": "duty_officer",
        "starts_at": start,
        "ends_at": end,
        **more,
    }


def test_roster_week_now_and_detail(duty_officer, duty_chief, leader, signed_in):
    client = signed_in(duty_officer)
    made = post(client, "/api/v1/duty/shifts", shift(duty_officer, phone="13800138000"))
    assert made.status_code == 201, made.content
    assert made.json()["phone"] == "+8613800138000"

    week = signed_in(leader).get(f"/api/v1/duty/shifts?monday={MONDAY}").json()
    assert [s["id"] for s in week["shifts"]] == [made.json()["id"]]
    chief_gaps = [g for g in week["gaps"] if g["post"] == "duty_chief"]
    assert len(chief_gaps) == 7  # nobody on that post, all week

    url = f"/api/v1/duty/shifts/{made.json()['id']}"
    swapped = post(client, f"{url}/swaps", {"to_officer": duty_chief.pk, "reason": "Sick"})
    assert swapped.status_code == 201
    assert swapped.json()["officer"] == duty_chief.pk
    assert swapped.json()["swaps"][0]["from_officer"] == duty_officer.pk
    assert client.get("/api/v1/duty/now").status_code == 200


def test_bad_shifts_are_400_and_nothing_is_written(duty_officer, signed_in):
    client = signed_in(duty_officer)
    backwards = post(
        client,
        "/api/v1/duty/shifts",
        shift(duty_officer, start="2020-03-16T16:00:00+08:00", end="2020-03-16T08:00:00+08:00"),
    )
    assert backwards.status_code == 400
    assert backwards.json()["errors"][0]["field"] == "ends_at"
    naive = post(client, "/api/v1/duty/shifts", shift(duty_officer, start="2020-03-16T08:00:00"))
    assert naive.status_code == 400
    assert post(client, "/api/v1/duty/shifts", shift(duty_officer)).status_code == 201
    overlap = post(
        client,
        "/api/v1/duty/shifts",
        shift(duty_officer, start="2020-03-16T12:00:00+08:00", end="2020-03-16T20:00:00+08:00"),
    )
    assert overlap.status_code == 400
    assert post(client, "/api/v1/duty/shifts", {"officer": "x"}).status_code in (400, 422)
    assert Shift.objects.count() == 1
    assert not Swap.objects.exists()
    assert client.get("/api/v1/duty/shifts/99999999").status_code == 404
    assert client.get("/api/v1/duty/shifts?monday=2020-02-31").status_code in (400, 422)


def test_templates_weeks_and_languages(duty_officer, duty_chief, persian_speaker, signed_in):
    client = signed_in(duty_officer)
    template = post(
        client, "/api/v1/duty/templates", {"post": "duty_chief", "starts": "00:00", "hours": 24}
    )
    assert template.status_code == 201, template.content
    bad = post(
        client, "/api/v1/duty/templates", {"post": "duty_chief", "starts": "00:00", "hours": 25}
    )
    assert bad.status_code == 400
    week = post(
        client,
        f"/api/v1/duty/templates/{template.json()['id']}/week",
        {"monday": str(MONDAY), "officers": [duty_chief.pk]},
    )
    assert week.status_code == 201, week.content
    assert len(week.json()) == 7
    spoken = post(
        client, f"/api/v1/duty/languages/{persian_speaker.pk}", {"languages": ["fa", "en"]}, "put"
    )
    assert spoken.json()["languages"] == ["en", "fa"]
    unknown = post(
        client, f"/api/v1/duty/languages/{persian_speaker.pk}", {"languages": ["xx"]}, "put"
    )
    assert unknown.status_code == 400
    assert client.get(f"/api/v1/duty/coverage?start={MONDAY}").status_code == 200


def test_others_are_refused(exchange_officer, signed_in):
    client = signed_in(exchange_officer)
    assert client.get(f"/api/v1/duty/shifts?monday={MONDAY}").status_code == 403
    assert post(client, "/api/v1/duty/log", {"text": "x"}).status_code == 403
