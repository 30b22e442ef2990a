"""District receipt: scan to confirm, refusals, incidents, closing, quarantine and release."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry, Site
from liaison.core.refusals import Refused
from liaison.handover import services
from liaison.handover.models import Batch, Incident
from tests.handover.conftest import ready

pytestmark = pytest.mark.django_db
S = ArrivalState


def _codes(batch):
    return [m.arrival.code for m in batch.members.select_related("arrival").order_by("id")]


def test_a_scanned_code_confirms_its_traveler_and_the_last_one_closes_the_batch(
    departed_batch, yubei_receiving_officer
):
    first, second, third = _codes(departed_batch)
    member = services.receive(
        batch=departed_batch, arrival_code=first, officer=yubei_receiving_officer
    )
    assert member.confirmed_by == yubei_receiving_officer
    assert member.arrival.state == S.RECEIVED
    # A scanner may type the dashed form or the status URL; both are the same code.
    services.receive(
        batch=departed_batch,
        arrival_code=f"{second[:4]}-{second[4:]}".lower(),
        officer=yubei_receiving_officer,
    )
    departed_batch.refresh_from_db()
    assert departed_batch.status == Batch.Status.DEPARTED
    services.receive(
        batch=departed_batch,
        arrival_code=f"https://liaison.example.org/s/{third}",
        officer=yubei_receiving_officer,
    )
    departed_batch.refresh_from_db()
    assert departed_batch.status == Batch.Status.CLOSED and departed_batch.closed_at
    assert not departed_batch.members.filter(open=True).exists()


def test_receiving_twice_tells_who_received_first(departed_batch, yubei_receiving_officer):
    code = _codes(departed_batch)[0]
    services.receive(batch=departed_batch, arrival_code=code, officer=yubei_receiving_officer)
    with pytest.raises(services.AlreadyReceived, match="wang-yubei"):
        services.receive(batch=departed_batch, arrival_code=code, officer=yubei_receiving_officer)


def test_another_districts_officer_cannot_receive_and_the_attempt_is_logged(
    departed_batch, jiangbei_receiving_officer
):
    code = _codes(departed_batch)[0]
    with pytest.raises(services.OtherJurisdiction):
        services.receive(
            batch=departed_batch, arrival_code=code, officer=jiangbei_receiving_officer
        )
    assert departed_batch.members.filter(confirmed_at__isnull=False).count() == 0
    assert AuditEntry.objects.filter(action="denied", note="other district").exists()


def test_a_traveler_of_another_district_scanned_into_my_batch_is_refused(
    departed_batch, yubei_receiving_officer, dispatcher, jiangbei
):
    stranger = ready(jurisdiction="500105")
    with pytest.raises(services.OtherJurisdiction):
        services.receive(
            batch=departed_batch, arrival_code=stranger.code, officer=yubei_receiving_officer
        )
    stranger.refresh_from_db()
    assert stranger.state == S.DISPOSED


def test_a_code_not_in_the_batch_is_refused_with_the_way_out(
    departed_batch, yubei_receiving_officer
):
    other = ready()
    with pytest.raises(Refused, match="unexpected"):
        services.receive(
            batch=departed_batch, arrival_code=other.code, officer=yubei_receiving_officer
        )
    with pytest.raises(Refused, match="not in this batch"):
        services.receive(
            batch=departed_batch, arrival_code="ZZZZZZZZ", officer=yubei_receiving_officer
        )


def test_nobody_is_received_before_departure(dispatcher, yubei, yubei_receiving_officer):
    traveler = ready()
    batch = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·1",
        escort="Liu",
        planned_departure=timezone.now(),
        arrivals=[traveler],
        dispatcher=dispatcher,
    )
    with pytest.raises(Refused, match="not departed"):
        services.receive(batch=batch, arrival_code=traveler.code, officer=yubei_receiving_officer)
    traveler.refresh_from_db()
    assert traveler.state == S.DISPOSED
    assert batch.members.get().confirmed_at is None


def test_missing_and_unexpected_people_raise_incidents_for_the_dispatcher(
    departed_batch, yubei_receiving_officer, dispatcher
):
    first, second, _third = _codes(departed_batch)
    missing = services.report_incident(
        batch=departed_batch,
        kind=Incident.Kind.MISSING,
        officer=yubei_receiving_officer,
        note="Not on the bus at arrival",
        arrival_code=second,
    )
    unexpected = services.report_incident(
        batch=departed_batch,
        kind=Incident.Kind.UNEXPECTED,
        officer=yubei_receiving_officer,
        note="A passenger without a code",
    )
    assert missing.arrival.code == second and unexpected.arrival is None
    with pytest.raises(Refused, match="Describe"):
        services.report_incident(
            batch=departed_batch, kind="missing", officer=yubei_receiving_officer, note=" "
        )
    services.resolve_incident(incident=missing, dispatcher=dispatcher, resolution="Found at T3")
    missing.refresh_from_db()
    assert missing.resolved_by == dispatcher
    with pytest.raises(Refused, match="already resolved"):
        services.resolve_incident(incident=missing, dispatcher=dispatcher, resolution="again")


def test_a_batch_closes_when_the_one_not_received_went_to_hospital(
    departed_batch, yubei_receiving_officer, dispatcher
):
    first, second, third = _codes(departed_batch)
    for code in (first, second):
        services.receive(batch=departed_batch, arrival_code=code, officer=yubei_receiving_officer)
    member = departed_batch.members.get(arrival__code=third)
    services.transfer_to_hospital(
        arrival=member.arrival, officer=dispatcher, reason="fever en route"
    )
    departed_batch.refresh_from_db()
    assert departed_batch.status == Batch.Status.CLOSED


def test_quarantine_starts_runs_and_ends_in_release(departed_batch, yubei_receiving_officer):
    code = _codes(departed_batch)[0]
    arrival = services.receive(
        batch=departed_batch, arrival_code=code, officer=yubei_receiving_officer
    ).arrival
    hotel = Site.objects.filter(
        jurisdiction=arrival.jurisdiction, kind=Site.Kind.QUARANTINE_HOTEL
    ).first()
    end = timezone.localdate() + timedelta(days=14)
    with pytest.raises(Refused, match="before the start"):
        services.start_quarantine(
            arrival=arrival,
            officer=yubei_receiving_officer,
            planned_end=timezone.localdate() - timedelta(days=1),
        )
    quarantine = services.start_quarantine(
        arrival=arrival, officer=yubei_receiving_officer, site=hotel, planned_end=end
    )
    with pytest.raises(Refused, match="already started"):
        services.start_quarantine(arrival=arrival, officer=yubei_receiving_officer, planned_end=end)
    services.release(
        quarantine=quarantine,
        officer=yubei_receiving_officer,
        confirmed=True,
        reason="Negative retest, released on the health office's advice",
    )
    arrival.refresh_from_db()
    assert arrival.state == S.RELEASED
    assert arrival.events.last().to_state == S.RELEASED
    with pytest.raises(Refused, match="already released"):
        services.release(quarantine=quarantine, officer=yubei_receiving_officer, confirmed=True)


def test_quarantine_of_another_district_is_refused(
    departed_batch, yubei_receiving_officer, jiangbei_receiving_officer
):
    code = _codes(departed_batch)[0]
    arrival = services.receive(
        batch=departed_batch, arrival_code=code, officer=yubei_receiving_officer
    ).arrival
    with pytest.raises(services.OtherJurisdiction):
        services.start_quarantine(
            arrival=arrival,
            officer=jiangbei_receiving_officer,
            planned_end=timezone.localdate() + timedelta(days=14),
        )
    with pytest.raises(Refused, match="received traveler"):
        services.start_quarantine(
            arrival=ready(),
            officer=yubei_receiving_officer,
            planned_end=timezone.localdate() + timedelta(days=14),
        )
