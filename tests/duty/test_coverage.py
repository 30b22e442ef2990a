"""Language coverage at the airport: a Tehran flight with Persian speakers and no Persian
speaker on the desk is flagged days ahead; once a Persian speaker is on the desk, it is not."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from liaison.duty import coverage, services
from liaison.duty.models import Post
from liaison.duty.services import ShiftInput
from tests.handover.conftest import declare

pytestmark = pytest.mark.django_db


def _shift(by, officer, day, hour):
    start = timezone.make_aware(datetime.combine(day, time(hour)))
    return services.add_shift(
        by=by,
        data=ShiftInput(officer.pk, Post.AIRPORT_DESK, start, start + timedelta(hours=8)),
    )


@pytest.fixture
def tehran_flight(yubei):
    """Two Iranian travelers declared for today's flight from Tehran, in Persian."""
    today = timezone.localdate()
    for _ in range(2):
        declare(
            nationality="IR", language="fa", flight_number="W5 081", arrival_date=today.isoformat()
        )
    return today


def test_a_persian_gap_is_flagged_and_closed(
    tehran_flight, duty_officer, english_speaker, persian_speaker
):
    today = tehran_flight
    services.set_languages(by=duty_officer, officer_id=english_speaker.pk, languages=["en"])
    services.set_languages(by=duty_officer, officer_id=persian_speaker.pk, languages=["fa", "en"])
    _shift(duty_officer, english_speaker, today, 8)

    gaps = coverage.language_gaps(duty_officer, start=today)
    assert [(row.day, row.missing) for row in gaps] == [(today, [("fa", 2, ["W5081"])])]

    _shift(duty_officer, persian_speaker, today, 8)
    assert coverage.language_gaps(duty_officer, start=today) == []


def test_a_day_with_flights_and_nobody_on_the_desk(tehran_flight, duty_officer):
    rows = coverage.language_gaps(duty_officer, start=tehran_flight)
    assert [(r.shift, r.missing[0][0]) for r in rows] == [(None, "fa")]


def test_others_see_no_coverage(tehran_flight, exchange_officer):
    assert coverage.airport_coverage(exchange_officer, start=tehran_flight) == []
