"""The daily job runs on the job runner (django-q2, one worker turn in this process)."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from liaison.arrivals.models import Arrival
from liaison.jobs import inline, queue, registry
from liaison.retention.models import Receipt
from tests.retention.conftest import declare

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def only_retention():
    """Only retention's job is scheduled, so the turn runs nothing else."""
    saved = dict(registry.JOBS)
    job = registry.job_named("retention.anonymize")
    registry.JOBS.clear()
    registry.JOBS[job.name] = job
    yield job
    registry.JOBS.clear()
    registry.JOBS.update(saved)


def test_the_daily_job_anonymizes_what_is_due_and_writes_its_receipts(city, only_retention):
    assert only_retention.every == timedelta(days=1)
    traveler = declare()  # lands today, never screened
    day_28 = timezone.make_aware(datetime.combine(traveler.arrival_date + timedelta(28), time()))
    with time_machine.travel(day_28, tick=True):
        queue.sync_schedules()
    due = registry.next_due(only_retention, day_28)
    with time_machine.travel(due + timedelta(seconds=1), tick=True):
        assert inline.run_due() == 1
    traveler = Arrival.objects.get(pk=traveler.pk)
    assert traveler.surname_latin == "" and traveler.document_number == f"~{traveler.pk}"
    receipt = Receipt.objects.get(rule="arrival.not_quarantined")
    assert (receipt.anonymized, receipt.dry_run) == (1, False)
    assert Receipt.objects.values("run_id").distinct().count() == 1
