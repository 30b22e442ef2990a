"""50 identical submissions at once make exactly one declaration (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import connection

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

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city_committed(settings):
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")


def _in_parallel(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_fifty_identical_submissions_make_one_declaration(city_committed):
    body = valid_payload()
    results, errors = _in_parallel(
        50,
        lambda i: services.declare(data=body, source=Source.API, idempotency_key="same-key-0001"),
    )
    assert errors == []
    assert len(results) == 50
    assert Arrival.objects.count() == 1
    assert DeclarationRevision.objects.count() == 1
    assert ArrivalEvent.objects.count() == 1
    assert {r.arrival.code for r in results} == {Arrival.objects.get().code}
    assert sum(not r.replayed for r in results) == 1


def test_fifty_double_taps_without_a_common_key_make_one_arrival(city_committed):
    body = valid_payload()
    results, errors = _in_parallel(
        50, lambda i: services.declare(data=body, source=Source.API, idempotency_key=f"tap-{i:05d}")
    )
    assert errors == []
    assert Arrival.objects.count() == 1
    # Each tap had its own key but none the status link's token: one declaration, one version;
    # the other 49 are one submission held beside it, the same as the one on file (not open).
    assert DeclarationRevision.objects.count() == 1
    (held,) = ConflictingDeclaration.objects.all()
    assert held.resolution == ConflictingDeclaration.Resolution.IDENTICAL
    assert sum(isinstance(r, services.Declared) for r in results) == 1
    assert {r.reference for r in results if isinstance(r, services.Received)} == {held.reference}
