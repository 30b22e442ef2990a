"""The closed-loop board: arrived = at the airport + in transit + received + in hospital + left."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.handover import selectors, services
from liaison.handover.models import Batch
from tests.handover.conftest import declare, onward, ready, sampled, screened

pytestmark = pytest.mark.django_db
S = ArrivalState


def assert_board_reconciles(user) -> None:
    """Every flight's and day's numbers add up, and match the arrivals table itself."""
    days = selectors.board(user)
    assert sum(d.tally.arrived for d in days) == Arrival.objects.count()
    for day in days:
        assert day.tally.reconciles
        assert day.tally.arrived == Arrival.objects.filter(arrival_date=day.day).count()
        for row in day.flights:
            assert row.tally.reconciles
            assert (
                row.tally.arrived
                == Arrival.objects.filter(flight=row.flight, arrival_date=day.day).count()
            )
            for group, states in selectors.GROUPS.items():
                assert (
                    row.tally.groups[group]
                    == Arrival.objects.filter(
                        flight=row.flight, arrival_date=day.day, state__in=states
                    ).count()
                )


def test_the_board_counts_every_group_per_flight_and_day(dispatcher, yubei):
    declare()
    declare(flight_number="AZ 790")
    screened(declare())
    ready("hospital")
    in_batch = [ready(), ready()]
    batch = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="v",
        escort="e",
        planned_departure=timezone.now(),
        arrivals=in_batch,
        dispatcher=dispatcher,
    )
    services.mark_departed(batch=batch, dispatcher=dispatcher)
    services.see_off(arrival=ready("onward_transfer", **onward()), dispatcher=dispatcher)
    services.transfer_to_hospital(arrival=ready("hospital"), officer=dispatcher, reason="fever")
    (today,) = selectors.board(dispatcher)
    groups = today.tally.groups
    assert today.tally.arrived == 8
    assert groups == {
        "at_airport": 4,
        "in_transit": 2,
        "received": 0,
        "in_hospital": 1,
        "left_city": 1,
    }
    assert len(today.flights) == 2
    assert today.tally.by_state[S.DECLARED] == 2
    assert_board_reconciles(dispatcher)


def test_the_board_is_one_grouped_query_whatever_the_number_of_flights(dispatcher):
    for n in range(6):
        declare(flight_number=f"CA {400 + n}")
    with CaptureQueriesContext(connection) as queries:
        days = selectors.board(dispatcher)
    assert len(days[0].flights) == 6
    assert len(queries) == 2  # the GROUP BY, and the flights it names


def test_only_board_roles_see_the_board(yubei_receiving_officer, airport_desk_officer, leader):
    declare()
    assert selectors.board(yubei_receiving_officer) == []
    assert selectors.board(leader)[0].tally.arrived == 1
    assert selectors.board(airport_desk_officer)[0].tally.arrived == 1


def test_alerts_follow_their_thresholds(settings, departed_batch, dispatcher):
    settings.LIAISON_BATCH_CONFIRM_HOURS = 2
    settings.LIAISON_RESULT_WAIT_HOURS = 6
    settings.LIAISON_UNSCREENED_HOURS = 1
    waiting = sampled(screened(declare()))
    unscreened = declare()
    now = timezone.now()
    quiet = selectors.alerts(dispatcher, now=now)
    assert quiet.batches_unconfirmed == [] and quiet.count == 0
    later = selectors.alerts(dispatcher, now=now + timedelta(hours=2, minutes=1))
    assert [b.pk for b in later.batches_unconfirmed] == [departed_batch.pk]
    assert list(later.never_screened) == [unscreened]
    assert list(later.waiting_for_result) == []
    much_later = selectors.alerts(dispatcher, now=now + timedelta(hours=6, minutes=1))
    assert list(much_later.waiting_for_result) == [waiting]
    # A closed batch is no longer an alert.
    Batch.objects.filter(pk=departed_batch.pk).update(status=Batch.Status.CLOSED)
    assert selectors.alerts(dispatcher, now=now + timedelta(hours=3)).batches_unconfirmed == []
