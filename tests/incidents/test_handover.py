"""The shift handover: the incoming officer countersigns after being shown every open incident,
naming their number; until then the outgoing officer stays on duty. The outgoing officer
cannot countersign their own."""

from datetime import timedelta

import pytest

from liaison.core.refusals import Conflict, Refused
from liaison.incidents import handovers, services
from liaison.incidents.models import Handover, Kind, Status
from tests.incidents.conftest import T0

M = timedelta(minutes=1)


@pytest.fixture
def two_open(duty_officer):
    return [
        services.report(kind=Kind.OTHER, severity=4, title=f"Open {n}", by=duty_officer, at=T0)
        for n in (1, 2)
    ]


@pytest.fixture
def handover(duty_officer, incoming_officer, two_open):
    return handovers.write(
        outgoing=duty_officer, incoming=incoming_officer, note="Two open; gate 3 calm.", at=T0 + M
    )


def test_the_outgoing_officer_stays_on_duty_until_countersigned(
    handover, duty_officer, incoming_officer
):
    assert handovers.still_on_duty(duty_officer, T0 + 30 * M)
    handovers.countersign(handover=handover, by=incoming_officer, confirmed_count=2, at=T0 + 40 * M)
    assert handovers.still_on_duty(duty_officer, T0 + 39 * M)
    assert not handovers.still_on_duty(duty_officer, T0 + 40 * M)
    handover.refresh_from_db()
    assert len(handover.incidents_shown) == 2


def test_a_countersignature_by_the_outgoing_officer_is_refused(handover, duty_officer):
    with pytest.raises(Refused) as refused:
        handovers.countersign(handover=handover, by=duty_officer, confirmed_count=2, at=T0 + M)
    assert refused.value.status == 403
    handover.refresh_from_db()
    assert handover.countersigned_at is None
    assert handovers.still_on_duty(duty_officer, T0 + 60 * M)


def test_a_count_that_is_not_the_open_incidents_is_refused(
    handover, incoming_officer, duty_officer
):
    # An incident opened after the list was read: the count no longer matches.
    services.report(kind=Kind.OTHER, severity=2, title="New", by=duty_officer, at=T0 + 2 * M)
    with pytest.raises(Refused) as refused:
        handovers.countersign(
            handover=handover, by=incoming_officer, confirmed_count=2, at=T0 + 3 * M
        )
    assert refused.value.field == "confirmed_count"
    assert "3 open incidents" in refused.value.message
    assert Handover.objects.get(pk=handover.pk).countersigned_at is None


def test_closed_incidents_are_not_shown_and_exercises_are(
    handover, incoming_officer, duty_officer, two_open, chain
):
    services.acknowledge(incident=two_open[0], by=duty_officer, at=T0 + 2 * M)
    services.move(incident=two_open[0], to=Status.CLOSED, text="ok", by=duty_officer, at=T0 + 3 * M)
    drill = services.report(
        kind=Kind.OTHER, severity=3, title="Drill", by=duty_officer, at=T0 + 4 * M, exercise=True
    )
    # Soonest deadline first: the drill (severity 3, due at T0+34) before severity 4 (T0+60).
    assert [i.pk for i in handovers.open_incidents()] == [drill.pk, two_open[1].pk]
    signed = handovers.countersign(
        handover=handover, by=incoming_officer, confirmed_count=2, at=T0 + 5 * M
    )
    assert signed.incidents_shown == [drill.pk, two_open[1].pk]


def test_countersigned_once_only(handover, incoming_officer):
    handovers.countersign(handover=handover, by=incoming_officer, confirmed_count=2, at=T0 + 2 * M)
    with pytest.raises(Conflict):
        handovers.countersign(
            handover=handover, by=incoming_officer, confirmed_count=2, at=T0 + 3 * M
        )


def test_a_handover_to_oneself_or_to_someone_off_the_desk_is_refused(
    duty_officer, director_general
):
    for incoming in (duty_officer, director_general):
        with pytest.raises(Refused):
            handovers.write(outgoing=duty_officer, incoming=incoming, note="n", at=T0)
    assert not Handover.objects.exists()
