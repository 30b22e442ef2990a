"""Two officers scan the same traveler at the same moment: one confirms, the other is told.

The first officer is held inside ``receive`` (the traveler's batch row locked, the move not yet
made) until the second has started; without the lock, the second gets inside too.
"""

import pytest
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core import audit, reference
from liaison.core.models import Jurisdiction
from liaison.core.roles import Role
from liaison.handover import services
from liaison.handover.models import BatchMember
from tests.concurrency import Overlap, message, remove_the_lock
from tests.conftest import make_user
from tests.handover.conftest import ready

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city_committed(settings):
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")


@pytest.fixture
def departed(city_committed):
    """A departed batch for Yubei with two travelers, two Yubei officers at its arrival."""
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
    return batch, traveler, officers


def _race(monkeypatch, batch, code, officers, *, locked=True) -> tuple[Overlap, list]:
    overlap = Overlap(len(officers), wait_for_entry=not locked)
    overlap.hold_first(monkeypatch, services, "move")
    outcomes = overlap.run(
        *(
            lambda officer=officer: services.receive(
                batch=batch, arrival_code=code, officer=officer
            )
            for officer in officers
        )
    )
    return overlap, outcomes


def _received_by(traveler) -> str:
    member = BatchMember.objects.select_related("confirmed_by").get(arrival=traveler)
    return (
        f"{traveler.display_code} was already received by {member.confirmed_by.username} at "
        f"{timezone.localtime(member.confirmed_at):%H:%M:%S}."
    )


def test_two_officers_confirming_the_same_traveler(departed, monkeypatch):
    batch, traveler, officers = departed
    overlap, outcomes = _race(monkeypatch, batch, traveler.code, officers)
    overlap.assert_serialized()
    assert isinstance(outcomes[0], BatchMember) and outcomes[0].confirmed_by == officers[0]
    # Scanning again a traveler already received: each officer is told, nothing changes.
    for officer in officers:
        with pytest.raises(Exception) as told:  # noqa: PT011 - the message is what is checked
            services.receive(batch=batch, arrival_code=traveler.code, officer=officer)
        assert message(told.value) == _received_by(traveler)
    member = BatchMember.objects.get(arrival=traveler)
    assert (member.confirmed_by, member.confirmed_at is not None) == (officers[0], True)
    traveler.refresh_from_db()
    assert traveler.state == ArrivalState.RECEIVED
    assert traveler.events.filter(to_state=ArrivalState.RECEIVED).count() == 1
    # The officer who waited for the row lock is told who won, not "received by ?".
    assert message(outcomes[1]) == _received_by(traveler)


def test_without_the_lock_the_second_officer_gets_inside_too(departed, monkeypatch):
    """The race above has teeth: without the row lock (PostgreSQL) or the IMMEDIATE transaction
    (SQLite), the second officer reads the traveler as not yet received and confirms them while
    the first is inside; the first is then refused with no word of who received the traveler."""
    batch, traveler, officers = departed
    vendor = remove_the_lock(monkeypatch)
    overlap, outcomes = _race(monkeypatch, batch, traveler.code, officers, locked=False)
    assert overlap.entered_while_first_inside() == [1]
    assert isinstance(outcomes[1], BatchMember) and outcomes[1].confirmed_by == officers[1]
    assert message(outcomes[0]) == (
        "database is locked"  # SQLite: the first one's read is stale when it comes to write
        if vendor == "sqlite"
        else "This arrival was changed meanwhile (it is now “Received”); reload it."
    )
    assert traveler.events.filter(to_state=ArrivalState.RECEIVED).count() == 1
