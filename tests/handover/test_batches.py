"""Dispatch: batches of ready travelers, departure, onward transfers and ambulances."""

import pytest
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core.refusals import Refused
from liaison.handover import readiness, selectors, services
from liaison.handover.models import Batch, BatchMember
from tests.handover.conftest import declare, onward, ready, screened

pytestmark = pytest.mark.django_db
S = ArrivalState


def _batch(dispatcher, destination, arrivals, disposition="centralized_quarantine"):
    return services.make_batch(
        destination=destination,
        disposition=disposition,
        vehicle="渝A·00001",
        escort="Officer Liu",
        planned_departure=timezone.now(),
        arrivals=arrivals,
        dispatcher=dispatcher,
    )


def test_ready_travelers_are_disposed_with_a_batched_disposition_and_in_no_batch(dispatcher, yubei):
    hotel, home, hospital, leaving = (
        ready(),
        ready("home_quarantine"),
        ready("hospital"),
        ready("onward_transfer", **onward()),
    )
    declare()  # still at the desk
    assert set(readiness.ready_arrivals()) == {hotel, home}
    _batch(dispatcher, yubei, [hotel])
    assert set(readiness.ready_arrivals()) == {home}
    assert {a.pk for a in readiness.disposed()} == {home.pk, hospital.pk, leaving.pk}


def test_a_batch_takes_only_its_jurisdiction_and_disposition(dispatcher, yubei, jiangbei):
    to_jiangbei = ready(jurisdiction="500105")
    with pytest.raises(Refused, match="another jurisdiction"):
        _batch(dispatcher, yubei, [to_jiangbei])
    with pytest.raises(Refused, match="another jurisdiction"):
        _batch(dispatcher, yubei, [ready("home_quarantine")])
    with pytest.raises(Refused, match="not ready"):
        _batch(dispatcher, yubei, [declare()])
    with pytest.raises(Refused):
        _batch(dispatcher, yubei, [], disposition="hospital")
    assert not Batch.objects.exists()


def test_a_traveler_is_in_one_open_batch_at_most(dispatcher, yubei):
    traveler = ready()
    _batch(dispatcher, yubei, [traveler])
    with pytest.raises(Refused, match="already in a batch"):
        _batch(dispatcher, yubei, [traveler])
    assert BatchMember.objects.filter(arrival=traveler).count() == 1
    assert Batch.objects.count() == 1


def test_the_database_refuses_a_second_open_membership(dispatcher, yubei):
    from django.db import IntegrityError, transaction

    traveler = ready()
    first = _batch(dispatcher, yubei, [traveler])
    second = _batch(dispatcher, yubei, [])
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchMember.objects.create(batch=second, arrival=traveler)
    assert first.members.count() == 1


def test_departure_moves_every_member_into_handover_and_freezes_the_batch(dispatcher, yubei):
    travelers = [ready() for _ in range(3)]
    batch = _batch(dispatcher, yubei, travelers[:2])
    services.remove_from_batch(batch=batch, arrival=travelers[1], dispatcher=dispatcher)
    services.add_to_batch(batch=batch, arrivals=travelers[1:], dispatcher=dispatcher)
    services.mark_departed(batch=batch, dispatcher=dispatcher)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DEPARTED and batch.departed_at
    assert {
        a.state for a in type(travelers[0]).objects.filter(pk__in=[t.pk for t in travelers])
    } == {S.IN_HANDOVER}
    event = travelers[0].events.last()
    assert event.to_state == S.IN_HANDOVER and event.data == {
        "kind": "departed",
        "batch": batch.pk,
        "number": batch.number,
    }
    with pytest.raises(Refused, match="departed"):
        services.add_to_batch(batch=batch, arrivals=[ready()], dispatcher=dispatcher)
    with pytest.raises(Refused, match="departed"):
        services.remove_from_batch(batch=batch, arrival=travelers[0], dispatcher=dispatcher)
    with pytest.raises(Refused, match="already departed"):
        services.mark_departed(batch=batch, dispatcher=dispatcher)


def test_an_empty_batch_does_not_depart(dispatcher, yubei):
    batch = _batch(dispatcher, yubei, [])
    with pytest.raises(Refused, match="empty"):
        services.mark_departed(batch=batch, dispatcher=dispatcher)


def test_only_a_dispatcher_makes_batches(yubei_receiving_officer, yubei):
    with pytest.raises(Refused):
        _batch(yubei_receiving_officer, yubei, [ready()])


def test_onward_transfers_leave_the_city_and_hospital_cases_go_by_ambulance(dispatcher):
    leaving = ready("onward_transfer", **onward())
    sick = ready("hospital")
    services.see_off(arrival=leaving, dispatcher=dispatcher)
    services.transfer_to_hospital(arrival=sick, officer=dispatcher, reason="fever 38.5")
    leaving.refresh_from_db()
    sick.refresh_from_db()
    assert (leaving.state, sick.state) == (S.LEFT_CITY, S.IN_HOSPITAL)
    with pytest.raises(Refused, match="onward"):
        services.see_off(arrival=ready(), dispatcher=dispatcher)
    with pytest.raises(Refused, match="why"):
        services.transfer_to_hospital(arrival=ready(), officer=dispatcher, reason=" ")


def test_a_fever_case_waits_for_the_ambulance_before_any_test(dispatcher):
    feverish = screened(declare(), celsius="38.4")
    # Decided at screening, before any test: "disposition decided", never sampled.
    assert feverish.state == S.DISPOSED and not feverish.samples.exists()
    (group,) = [g for g in selectors.ready_groups(dispatcher) if g.disposition == "hospital"]
    assert group.count == 1
    services.transfer_to_hospital(arrival=feverish, officer=dispatcher, reason="")
    feverish.refresh_from_db()
    assert feverish.state == S.IN_HOSPITAL
