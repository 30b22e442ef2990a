"""Two retention runs at the same moment (the job and an officer's `manage.py retention`, or two
servers' schedulers) anonymize each record once and both finish: one batch at a time."""

import pytest

from liaison.retention import runs
from liaison.retention.models import Anonymized, Kind, Receipt
from tests.concurrency import Overlap, remove_the_lock
from tests.retention.conftest import declare, on_day

pytestmark = pytest.mark.django_db(transaction=True)

RULE = "arrival.not_quarantined"


def _two_runs_at_once(monkeypatch, *, locked: bool) -> list:
    overlap = Overlap(2, wait_for_entry=not locked)
    # The first run waits inside its first batch, its lock held and its records read, until the
    # second has started.
    overlap.hold_first(monkeypatch, runs, "_next_ids", after=True)
    if not locked:
        monkeypatch.setattr(runs, "_lock_batches", lambda: None)
    outcomes = overlap.run(
        lambda: runs.run(batch_size=2, only=RULE), lambda: runs.run(batch_size=2, only=RULE)
    )
    overlap.assert_overlapped()
    return outcomes


def test_two_runs_at_the_same_moment_anonymize_each_record_once(city, clock, monkeypatch):
    travelers = [declare() for _ in range(5)]
    on_day(clock, 30)
    outcomes = _two_runs_at_once(monkeypatch, locked=True)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    marks = Anonymized.objects.filter(kind=Kind.ARRIVAL)
    assert sorted(marks.values_list("record_id", flat=True)) == sorted(t.pk for t in travelers)
    receipts = Receipt.objects.filter(rule=RULE, dry_run=False)
    assert sum(r.anonymized for r in receipts) == 5
    assert all(r.stopped_by == "" and r.ended_at for r in receipts)


def test_without_the_batch_lock_the_second_run_fails_on_the_first_ones_records(
    city, clock, monkeypatch
):
    """What the lock is for: both runs take the same records, and one of them fails (on the
    marks' unique constraint on PostgreSQL, on a stale snapshot's write on SQLite)."""
    [declare() for _ in range(5)]
    on_day(clock, 30)
    vendor = remove_the_lock(monkeypatch)
    outcomes = _two_runs_at_once(monkeypatch, locked=False)
    failed = [type(o).__name__ for o in outcomes if isinstance(o, Exception)]
    assert failed == ["IntegrityError" if vendor == "postgresql" else "OperationalError"]
