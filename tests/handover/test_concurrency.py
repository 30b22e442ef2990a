"""Two officers scan the same traveler at the same moment: one confirms, the other is told."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core import audit, reference
from liaison.core.models import Jurisdiction
from liaison.core.roles import Role
from liaison.handover import services
from liaison.handover.models import BatchMember
from tests.conftest import make_user
from tests.handover.conftest import ready

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city_committed(settings):
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")


def _race(officers, batch, code) -> list:
    """Every officer scans ``code`` at the same instant; what each one was told."""
    barrier = threading.Barrier(len(officers))
    outcomes: list = []

    def scan(officer):
        try:
            barrier.wait()
            services.receive(batch=batch, arrival_code=code, officer=officer)
            outcomes.append("received")
        except services.HandoverError as told:
            outcomes.append(told)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_officers_confirming_the_same_traveler(city_committed):
    yubei = Jurisdiction.objects.get(code="500112")
    dispatcher = make_user("sun-dispatch", Role.DISPATCH)
    officers = [
        make_user(f"yubei-{i}", Role.DISTRICT_RECEIVING, jurisdiction=yubei) for i in range(2)
    ]
    traveler = ready()
    batch = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·2",
        escort="Liu",
        planned_departure=timezone.now(),
        arrivals=[traveler, ready()],
        dispatcher=dispatcher,
    )
    services.mark_departed(batch=batch, dispatcher=dispatcher)

    first = _race(officers, batch, traveler.code)
    assert first.count("received") == 1, first
    told = next(o for o in first if o != "received")
    assert isinstance(told, services.AlreadyReceived), told
    assert "received by" in told.message or "已" in told.message
    # Racing again on a traveler already received: both are told, nothing changes.
    again = _race(officers, batch, traveler.code)
    assert all(isinstance(o, services.AlreadyReceived) for o in again), again
    member = BatchMember.objects.get(arrival=traveler)
    assert member.confirmed_at is not None
    traveler.refresh_from_db()
    assert traveler.state == ArrivalState.RECEIVED
    assert traveler.events.filter(to_state=ArrivalState.RECEIVED).count() == 1
