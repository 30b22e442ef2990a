import pytest

from liaison.retention import runs
from tests.retention.conftest import declare

pytestmark = pytest.mark.django_db


def test_a_run_with_nothing_due(city, clock):
    declare()
    receipts = runs.run()
    assert {r.rule for r in receipts} >= {"arrival.released", "case.closed"}
    assert all(r.anonymized == 0 for r in receipts)
