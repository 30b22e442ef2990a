"""50 identical submissions at once make exactly one declaration (SQLite and PostgreSQL).

The first submission is held with its rows written but not committed until the other 49 have
started: they must wait for it (SQLite's IMMEDIATE transaction, PostgreSQL's unique index on the
key and on document + flight + day) and then find it. The guard here is those unique
constraints, not a lock a test could take away; ``test_takeover`` has the race on a lock.
"""

import threading

import pytest
from django.db import transaction

from liaison.arrivals import services
from liaison.arrivals.models import (
    Arrival,
    ArrivalEvent,
    ConflictingDeclaration,
    DeclarationRevision,
    Source,
)
from liaison.core import audit, reference
from tests.arrivals.conftest import valid_payload
from tests.concurrency import Overlap

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city_committed(settings):
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")


def hold_first_declaration_open(overlap: Overlap, monkeypatch) -> None:
    """The first call writes its declaration in a transaction that stays open while the others
    start: its rows exist, uncommitted, when theirs come."""
    write = services.insert_linked

    def held(rows, **kwargs):
        if threading.current_thread().name != str(overlap.first):
            return write(rows, **kwargs)
        with transaction.atomic():
            ids = write(rows, **kwargs)
            overlap.arrive()
        return ids

    monkeypatch.setattr(services, "insert_linked", held)


def test_fifty_identical_submissions_make_one_declaration(city_committed, monkeypatch):
    body = valid_payload()
    overlap = Overlap(50)
    hold_first_declaration_open(overlap, monkeypatch)
    results = overlap.run(
        *(
            lambda: services.declare(data=body, source=Source.API, idempotency_key="same-key-0001")
            for _ in range(50)
        )
    )
    overlap.assert_serialized()
    assert [r for r in results if isinstance(r, Exception)] == []
    assert Arrival.objects.count() == 1
    assert DeclarationRevision.objects.count() == 1
    assert ArrivalEvent.objects.count() == 1
    assert {r.arrival.code for r in results} == {Arrival.objects.get().code}
    assert [i for i, r in enumerate(results) if not r.replayed] == [overlap.first]


def test_fifty_double_taps_without_a_common_key_make_one_arrival(city_committed, monkeypatch):
    body = valid_payload()
    overlap = Overlap(50)
    hold_first_declaration_open(overlap, monkeypatch)
    results = overlap.run(
        *(
            lambda i=i: services.declare(
                data=body, source=Source.API, idempotency_key=f"tap-{i:05d}"
            )
            for i in range(50)
        )
    )
    overlap.assert_serialized()
    assert [r for r in results if isinstance(r, Exception)] == []
    assert Arrival.objects.count() == 1
    # Each tap had its own key but none the status link's token: one declaration, one version;
    # the other 49 are one submission held beside it, the same as the one on file (not open).
    assert DeclarationRevision.objects.count() == 1
    (held,) = ConflictingDeclaration.objects.all()
    assert held.resolution == ConflictingDeclaration.Resolution.IDENTICAL
    assert isinstance(results[overlap.first], services.Declared)
    assert {results[i].reference for i in overlap.others} == {held.reference}
