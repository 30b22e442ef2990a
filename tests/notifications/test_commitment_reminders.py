"""The commitments ledger's reminders (issue 14 point 3): the owner is told N days before the due
date and on the first day overdue, once per commitment and occasion, by the scheduled job."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from liaison.contacts.commitments import commit, move_commitment, reschedule_commitment
from liaison.contacts.jobs import commitment_reminders
from liaison.contacts.models import CommitmentStatus, Side
from liaison.core import audit
from liaison.core.roles import Role
from liaison.notifications.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = date(2026, 3, 10)


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 5, tzinfo=SHANGHAI)


@pytest.fixture
def liaison_officer(city):
    return make_user("sun-liaison", Role.LIAISON)


@pytest.fixture
def promise(liaison_officer):
    with audit.acting_as(user=liaison_officer), time_machine.travel(morning(date(2026, 3, 1))):
        return commit(
            side=Side.OURS,
            description="Send the consulate the list of its nationals in quarantine",
            due_on=DUE,
            by=liaison_officer,
            owner_user=liaison_officer,
            source_kind="exchanges.followup",
            source_id=1,
            source_label="Video conference with Milan, 1 March",
        )


def reminders(user):
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True)
    )


def run_hourly_job_at(moment: datetime) -> None:
    """The job as the worker calls it at its due time (its scheduling: tests/jobs)."""
    with time_machine.travel(moment, tick=False):
        commitment_reminders(due_at=moment)


def test_the_owner_is_reminded_three_days_ahead_and_on_the_first_overdue_day_once_each(
    promise, liaison_officer, settings
):
    settings.LIAISON_COMMITMENT_REMINDER_DAYS = 3
    run_hourly_job_at(morning(date(2026, 3, 6)))  # four days ahead: not yet
    assert reminders(liaison_officer) == []
    for hour in range(5):  # the hourly job runs on: one reminder, not one per run
        run_hourly_job_at(morning(date(2026, 3, 7)) + timedelta(hours=hour))
    assert reminders(liaison_officer) == ["contacts.commitment_due_soon"]
    run_hourly_job_at(morning(DUE))
    run_hourly_job_at(morning(date(2026, 3, 11)))
    run_hourly_job_at(morning(date(2026, 3, 12)))
    assert reminders(liaison_officer) == [
        "contacts.commitment_due_soon",
        "contacts.commitment_overdue",
    ]
    last = Notification.objects.filter(user=liaison_officer).latest("id")
    assert last.subject_code == f"contacts.commitment:{promise.pk}"
    assert last.link == f"/contacts/commitments/{promise.pk}/"


def test_a_commitment_kept_is_not_reminded(promise, liaison_officer):
    with audit.acting_as(user=liaison_officer):
        move_commitment(commitment=promise, to=CommitmentStatus.DONE, by=liaison_officer)
    run_hourly_job_at(morning(date(2026, 3, 9)))
    run_hourly_job_at(morning(date(2026, 3, 11)))
    assert reminders(liaison_officer) == []


def test_a_new_due_date_is_reminded_again(promise, liaison_officer):
    run_hourly_job_at(morning(date(2026, 3, 8)))
    with audit.acting_as(user=liaison_officer), time_machine.travel(morning(date(2026, 3, 8))):
        reschedule_commitment(
            commitment=promise,
            due_on=date(2026, 3, 20),
            reason="Agreed by phone",
            by=liaison_officer,
        )
    run_hourly_job_at(morning(date(2026, 3, 18)))
    assert reminders(liaison_officer) == [
        "contacts.commitment_due_soon",
        "contacts.commitment_due_soon",
    ]
