"""The flight schedule and language coverage days ahead: a weekly Tehran flight that nobody has
declared for yet falls in the airport shift running when it lands, with the languages of its last
flights, and a gap is flagged in that shift only; a new route with the languages its planner
gives; a flight landing when nobody is on the desk. The schedule's writes refuse bad input and
change nothing; the page and the API go through the same service and access rules."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.models import Flight
from liaison.core.models import AuditEntry, PortOfEntry
from liaison.core.refusals import Refused
from liaison.duty import coverage, flights, services
from liaison.duty.flights import ScheduleInput
from liaison.duty.models import Post, ScheduledFlight
from liaison.duty.services import ShiftInput
from tests.handover.conftest import declare

pytestmark = pytest.mark.django_db


def _shift(by, officer, day, hour, hours=8):
    start = timezone.make_aware(datetime.combine(day, time(hour)))
    return services.add_shift(
        by=by, data=ShiftInput(officer.pk, Post.AIRPORT_DESK, start, start + timedelta(hours=hours))
    )


@pytest.fixture
def last_tehran_flight(yubei):
    """Today's W5081 from Tehran: two travelers declared in Persian, one in English."""
    today = timezone.localdate()
    for language in ("fa", "fa", "en"):
        declare(
            nationality="IR",
            language=language,
            flight_number="W5 081",
            arrival_date=today.isoformat(),
        )
    return Flight.objects.get(number="W5081")


def _weekly(by, number, port, day, arrives, **more):
    return flights.save_scheduled_flight(
        by=by,
        data=ScheduleInput(
            number=number,
            origin=more.pop("origin", "Tehran IKA"),
            port_id=port.pk,
            weekdays=str(day.isoweekday()),
            arrives_at=arrives,
            valid_from=timezone.localdate(),
            **more,
        ),
    )


def test_next_week_s_tehran_flight_is_flagged_in_the_shift_it_lands_in(
    last_tehran_flight, duty_officer, english_speaker, persian_speaker
):
    next_week = last_tehran_flight.date + timedelta(days=7)
    _weekly(duty_officer, "W5 081", last_tehran_flight.port, next_week, time(14, 30))
    services.set_languages(by=duty_officer, officer_id=english_speaker.pk, languages=["en"])
    services.set_languages(by=duty_officer, officer_id=persian_speaker.pk, languages=["fa"])
    morning = _shift(duty_officer, english_speaker, next_week, 8)
    _shift(duty_officer, persian_speaker, next_week, 16)  # the evening has Persian: not enough

    rows = coverage.airport_coverage(duty_officer, start=next_week, days=1)
    by_shift = {row.shift.pk: row for row in rows}
    landing = by_shift[morning.pk].flights
    assert [(f.number, f.expected, dict(f.languages)) for f in landing] == [
        ("W5081", True, {"fa": 2, "en": 1})
    ]
    assert timezone.localtime(landing[0].arrives).time() == time(14, 30)
    gaps = coverage.language_gaps(duty_officer, start=next_week, days=1)
    assert [(row.shift.pk, row.missing) for row in gaps] == [(morning.pk, [("fa", 2, ["W5081"])])]


def test_a_new_route_uses_the_planner_s_languages_and_a_landing_with_nobody_on_the_desk(
    yubei, duty_officer, english_speaker
):
    port = PortOfEntry.objects.order_by("code").first()
    day = timezone.localdate() + timedelta(days=3)
    _weekly(duty_officer, "IR 3377", port, day, time(3, 10), languages=("fa",))
    services.set_languages(by=duty_officer, officer_id=english_speaker.pk, languages=["en"])
    _shift(duty_officer, english_speaker, day, 8)  # nobody on the desk at 03:10

    gaps = coverage.language_gaps(duty_officer, start=day, days=1)
    assert [(row.shift, row.missing) for row in gaps] == [(None, [("fa", 0, ["IR3377"])])]
    assert gaps[0].flights[0].expected


def test_a_flight_not_in_the_schedule_counts_in_every_shift_of_its_day(
    last_tehran_flight, duty_officer, english_speaker
):
    day = last_tehran_flight.date
    services.set_languages(by=duty_officer, officer_id=english_speaker.pk, languages=["en"])
    _shift(duty_officer, english_speaker, day, 0)
    _shift(duty_officer, english_speaker, day, 8)
    rows = coverage.language_gaps(duty_officer, start=day, days=1)
    assert [row.missing for row in rows] == [[("fa", 2, ["W5081"])]] * 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weekdays": "08"}, "weekdays"),
        ({"weekdays": ""}, "weekdays"),
        ({"number": "?"}, "number"),
        ({"origin": "  "}, "origin"),
        ({"port_id": 987654}, "port"),
        ({"valid_until": timezone.localdate() - timedelta(days=1)}, "valid_until"),
        ({"languages": ("fa", "xx")}, "languages"),
    ],
)
def test_bad_schedules_are_refused_and_write_nothing(yubei, duty_officer, change, field):
    port = PortOfEntry.objects.order_by("code").first()
    data = {
        "number": "W5081",
        "origin": "Tehran IKA",
        "port_id": port.pk,
        "weekdays": "3",
        "arrives_at": time(14, 30),
        "valid_from": timezone.localdate(),
        **change,
    }
    with pytest.raises(Refused) as refused:
        flights.save_scheduled_flight(by=duty_officer, data=ScheduleInput(**data))
    assert field in [f for f, _m in refused.value.problems]
    assert not ScheduledFlight.objects.exists()


def test_the_same_flight_twice_from_one_day_is_refused(yubei, duty_officer):
    port = PortOfEntry.objects.order_by("code").first()
    day = timezone.localdate()
    _weekly(duty_officer, "W5081", port, day, time(14, 30))
    with pytest.raises(Refused, match="already scheduled"):
        _weekly(duty_officer, "w5-081", port, day, time(15, 0))
    assert ScheduledFlight.objects.count() == 1


def test_the_page_adds_corrects_and_refuses(yubei, duty_officer, leader, signed_in):
    port = PortOfEntry.objects.order_by("code").first()
    client = signed_in(duty_officer)
    form = {
        "number": "W5 081",
        "origin": "Tehran IKA",
        "port": port.pk,
        "weekdays": ["1", "4"],
        "arrives_at": "14:30",
        "valid_from": timezone.localdate().isoformat(),
        "languages": ["fa"],
    }
    assert client.post("/duty/flights/", form).status_code == 302
    made = ScheduledFlight.objects.get()
    assert (made.number, made.weekdays, made.languages) == ("W5081", "14", "fa")
    page = client.get("/duty/flights/").content.decode()
    assert "W5081" in page and "14:30" in page

    late = {**form, "valid_until": (timezone.localdate() - timedelta(days=2)).isoformat()}
    refused = client.post(f"/duty/flights/{made.pk}/", late, headers={"accept-language": "en"})
    assert refused.status_code == 400
    assert "The last day cannot come before the first." in refused.content.decode()
    made.refresh_from_db()
    assert made.valid_until is None

    fixed = client.post(f"/duty/flights/{made.pk}/", {**form, "arrives_at": "15:05"})
    assert fixed.status_code == 302
    made.refresh_from_db()
    assert made.arrives_at == time(15, 5)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_id=str(made.pk)
    ).exists()

    reader = signed_in(leader)
    assert reader.get("/duty/flights/").status_code == 200
    assert reader.post("/duty/flights/", form).status_code == 404
    assert ScheduledFlight.objects.count() == 1


def test_the_api_adds_lists_corrects_and_refuses(yubei, duty_officer, leader, signed_in):
    port = PortOfEntry.objects.order_by("code").first()
    client = signed_in(duty_officer)
    body = {
        "number": "W5081",
        "origin": "Tehran IKA",
        "port": port.pk,
        "weekdays": "14",
        "arrives_at": "14:30",
        "valid_from": timezone.localdate().isoformat(),
        "languages": ["fa"],
    }
    made = client.post("/api/v1/duty/flights", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    flight_id = made.json()["id"]
    listed = client.get("/api/v1/duty/flights").json()
    assert [(f["number"], f["languages"]) for f in listed] == [("W5081", ["fa"])]
    bad = client.put(
        f"/api/v1/duty/flights/{flight_id}",
        json.dumps({**body, "weekdays": "9"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "weekdays"
    fixed = client.put(
        f"/api/v1/duty/flights/{flight_id}",
        json.dumps({**body, "arrives_at": "15:05"}),
        content_type="application/json",
    )
    assert fixed.status_code == 200 and fixed.json()["arrives_at"] == "15:05:00"
    reader = signed_in(leader)
    assert reader.get("/api/v1/duty/flights").status_code == 200
    forbidden = reader.post(
        "/api/v1/duty/flights", json.dumps(body), content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert ScheduledFlight.objects.count() == 1
