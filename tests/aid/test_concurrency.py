"""Two aid officers allocating the last units of one line at once: one gets them, the other is
told what remains.

The first officer is held inside ``allocate`` with the line's stock row locked
(``allocation.locked_stock``) until the second has started; without the lock, the second reads
the same stock and both hand out the same units.
"""

from datetime import date

import pytest

from liaison.aid import allocation
from liaison.aid.models import Allocation, Stock
from liaison.core.models import Site
from tests.aid.conftest import committed, donate, receive, ship
from tests.concurrency import Overlap, message, remove_the_lock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_stock(aid_officer, dusseldorf, city_government):
    """1,000 N95 received from Düsseldorf, none allocated yet."""
    donation = donate(aid_officer, dusseldorf, city_government, ("N95", 1000, ""))
    committed(donation, aid_officer)
    receive(ship(donation, aid_officer, 1000), aid_officer, date(2020, 3, 25))
    return donation.lines.get()


def _race(monkeypatch, line, officers, *, locked=True):
    hospital = Site.objects.get(code="HOSP-PHMC")
    overlap = Overlap(2, wait_for_entry=not locked)
    overlap.hold_first(monkeypatch, allocation, "locked_stock", after=True)
    outcomes = overlap.run(
        *(
            lambda officer=officer: allocation.allocate(
                line=line,
                units=600,
                site=hospital.pk,
                allocated_on=date(2020, 3, 26),
                by=officer,
            )
            for officer in officers
        )
    )
    return overlap, outcomes


def test_two_officers_allocate_the_last_units(
    in_stock, aid_officer, second_aid_officer, monkeypatch
):
    overlap, outcomes = _race(monkeypatch, in_stock, [aid_officer, second_aid_officer])
    overlap.assert_serialized()
    assert isinstance(outcomes[0], Allocation) and outcomes[0].by == aid_officer
    assert message(outcomes[1]) == "Only 400 units of N95 respirator remain in stock."
    stock = Stock.objects.get(line=in_stock)
    assert (stock.received, stock.allocated) == (1000, 600)
    assert list(Allocation.objects.values_list("units", flat=True)) == [600]


def test_without_the_lock_both_hand_out_the_same_units(
    in_stock, aid_officer, second_aid_officer, monkeypatch
):
    """The race above has teeth: without the row lock (PostgreSQL) or the IMMEDIATE transaction
    (SQLite), the second officer reads the stock the first is about to draw on. On PostgreSQL
    both allocations are written: 1,200 units handed out of 1,000; on SQLite the first one's
    read is stale when it comes to write."""
    vendor = remove_the_lock(monkeypatch)
    overlap, outcomes = _race(
        monkeypatch, in_stock, [aid_officer, second_aid_officer], locked=False
    )
    assert overlap.entered_while_first_inside() == [1]
    if vendor == "sqlite":
        assert "database is locked" in [message(o) for o in outcomes], outcomes
    else:
        assert all(isinstance(o, Allocation) for o in outcomes), outcomes
        assert sum(Allocation.objects.values_list("units", flat=True)) == 1200
