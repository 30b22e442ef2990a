"""insert_linked: rows that refer to each other, written all or nothing, on both databases."""

import pytest
from django.db import IntegrityError, connection, transaction

from liaison.arrivals.models import Flight
from liaison.core.models import AuditEntry, Jurisdiction, PortOfEntry
from liaison.core.rows import NewRow, insert_linked


@pytest.fixture
def jurisdiction(db):
    return Jurisdiction.objects.create(code="999001", name_zh="测试区", name_en="Test District")


def port(code: str, jurisdiction) -> PortOfEntry:
    return PortOfEntry(
        code=code,
        kind=PortOfEntry.Kind.AIRPORT,
        name_zh="测试",
        name_en="Test",
        jurisdiction=jurisdiction,
    )


def test_rows_get_their_keys_and_later_rows_the_earlier_ones(jurisdiction):
    new_port = port("TST1", jurisdiction)
    flight = Flight(number="XX1", date="2026-11-27")
    entry = AuditEntry(action=AuditEntry.Action.CREATE, object_type="core.portofentry")
    ids = insert_linked(
        [NewRow(new_port), NewRow(flight, {"port_id": 0}), NewRow(entry, {"object_id": 0})]
    )
    assert ids == [new_port.pk, flight.pk, entry.pk]
    stored = Flight.objects.select_related("port").get(pk=flight.pk)
    assert stored.port.code == "TST1"
    assert AuditEntry.objects.get(pk=entry.pk).object_id == str(new_port.pk)
    assert flight.port_id == new_port.pk and entry.object_id == str(new_port.pk)
    assert not new_port._state.adding


@pytest.mark.django_db(transaction=True)
def test_a_broken_constraint_writes_none_of_the_rows_outside_a_transaction():
    jurisdiction = Jurisdiction.objects.create(code="999002", name_zh="测试", name_en="Test")
    existing = port("TST2", jurisdiction)
    existing.save()
    Flight.objects.create(number="XX2", date="2026-11-27", port=existing)
    ports_before, flights_before = PortOfEntry.objects.count(), Flight.objects.count()
    again = Flight(number="XX2", date="2026-11-27", port=existing)  # breaks flight_once_a_day
    with pytest.raises(IntegrityError):
        insert_linked([NewRow(port("TST3", jurisdiction)), NewRow(again)])
    assert (PortOfEntry.objects.count(), Flight.objects.count()) == (ports_before, flights_before)
    assert not PortOfEntry.objects.filter(code="TST3").exists()
    # The connection is still usable: autocommit ended the failed statement on its own.
    assert connection.get_autocommit()
    assert Flight.objects.filter(number="XX2").count() == 1


def test_a_failure_inside_a_transaction_leaves_the_transaction_usable(jurisdiction):
    existing = port("TST4", jurisdiction)
    existing.save()
    with transaction.atomic():
        Flight.objects.create(number="XX4", date="2026-11-27", port=existing)
        with pytest.raises(IntegrityError):
            insert_linked(
                [
                    NewRow(port("TST5", jurisdiction)),
                    NewRow(Flight(number="XX4", date="2026-11-27", port=existing)),
                ]
            )
        # PostgreSQL would refuse every later statement of a transaction with a failed one.
        assert Flight.objects.filter(number="XX4").count() == 1
        assert not PortOfEntry.objects.filter(code="TST5").exists()


def test_a_row_may_only_link_to_an_earlier_one(jurisdiction):
    with pytest.raises(ValueError, match="earlier"):
        insert_linked([NewRow(Flight(number="XX6", date="2026-11-27"), {"port_id": 0})])
    saved = port("TST6", jurisdiction)
    saved.save()
    with pytest.raises(ValueError, match="new rows"):
        insert_linked([NewRow(saved)])
