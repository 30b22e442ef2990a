"""Liaison's jobs on django-q2, one worker turn at a time (liaison/jobs/inline.py goes through
django-q's own scheduler, broker and result store): a scheduled job runs once per due time, a
failure is recorded and retried after a growing wait until its attempts are spent, a run whose
worker died is taken again, and a job's effect (keyed, as the rule says) happens once however
often it runs. Real worker processes: test_workers.py."""

from datetime import timedelta

import pytest
from django.db import transaction
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule, Task

from liaison.jobs import inline, queue
from liaison.jobs.registry import background, enqueue, latest_due, next_due, scheduled
from tests.jobs.conftest import NOW, at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("alone")]
SECOND = timedelta(seconds=1)


def test_a_scheduled_job_runs_once_per_due_time(register):
    calls = []
    register(
        scheduled("test.hourly", every=timedelta(hours=1)), lambda *, due_at: calls.append(due_at)
    )
    with at(NOW - SECOND):
        queue.sync_schedules()
    assert Schedule.objects.get(name="test.hourly").next_run == NOW

    with at(NOW + SECOND):
        assert inline.run_due() == 1
    with at(NOW + timedelta(minutes=59)):  # the same due time: nothing new
        assert inline.run_due() == 0
    assert calls == [NOW]
    with at(NOW + timedelta(hours=1, seconds=1)):
        inline.run_due()
    assert calls == [NOW, NOW + timedelta(hours=1)]
    runs = Task.objects.filter(group="test.hourly")
    assert runs.count() == 2 and all(run.success for run in runs)


def test_after_a_pause_only_the_latest_due_time_runs(register):
    calls = []
    register(
        scheduled("test.often", every=timedelta(minutes=5)), lambda *, due_at: calls.append(due_at)
    )
    with at(NOW - SECOND):
        queue.sync_schedules()
    with at(NOW + timedelta(hours=2, seconds=1)):  # no worker ran for two hours
        inline.run_due()
        inline.run_due()
    assert calls == [NOW]  # the one run it had planned, then its next due time is ahead
    assert Schedule.objects.get(name="test.often").next_run == NOW + timedelta(hours=2, minutes=5)


def test_due_times_follow_every_and_at_whoever_plans_them(register):
    from liaison.jobs.registry import JOBS

    func = register(
        scheduled("test.daily", every=timedelta(days=1), at=timedelta(hours=7)), lambda **_: None
    )
    job = next(j for j in JOBS.values() if j.func is func)
    assert latest_due(job, NOW) == NOW.replace(hour=7) - timedelta(days=1)
    assert next_due(job, NOW) == NOW.replace(hour=7)


def test_schedules_are_written_once_and_follow_the_registry(register):
    register(scheduled("test.a", every=timedelta(minutes=10)), lambda **_: None)
    with at(NOW + timedelta(minutes=3)):
        assert queue.sync_schedules() == 1
        assert queue.sync_schedules() == 0  # on its due times already: its next run stands
    schedule = Schedule.objects.get(name="test.a")
    assert (schedule.minutes, schedule.next_run) == (10, NOW + timedelta(minutes=10))

    from liaison.jobs.registry import JOBS

    JOBS.pop("test.a")
    queue.sync_schedules()
    assert not Schedule.objects.filter(name="test.a").exists()


def test_a_job_that_raises_is_recorded_and_retried_with_a_growing_wait_until_its_attempts_are_spent(
    register, monkeypatch
):
    monkeypatch.setattr(Conf, "MAX_ATTEMPTS", 3)
    attempts = []

    def flaky(*, due_at):
        attempts.append(due_at)
        raise RuntimeError("gateway down")

    register(scheduled("test.flaky", every=timedelta(hours=1)), flaky)
    with at(NOW - SECOND):
        queue.sync_schedules()

    with at(NOW + SECOND):
        inline.run_due()
    run = Task.objects.get(group="test.flaky")
    assert (run.success, run.attempt_count) == (False, 1)
    assert "RuntimeError: gateway down" in run.result
    assert OrmQ.objects.count() == 1  # still queued, for its retry

    with at(NOW + Conf.RETRY * SECOND):  # the retry wait has not passed
        inline.run_due()
    assert len(attempts) == 1
    second = NOW + (Conf.RETRY + 2) * SECOND
    with at(second):
        inline.run_due()
    assert len(attempts) == 2
    # The wait grows: one retry wait after the second attempt is not enough, two are.
    with at(second + (Conf.RETRY + 2) * SECOND):
        inline.run_due()
    assert len(attempts) == 2
    with at(second + (2 * Conf.RETRY + 2) * SECOND):
        inline.run_due()
    run.refresh_from_db()
    # No attempt left: kept as failed with its error, never dropped, never run again.
    assert (run.success, run.attempt_count, len(attempts)) == (False, 3, 3)
    assert attempts == [NOW] * 3
    assert not OrmQ.objects.exists()
    with at(NOW + timedelta(minutes=50)):
        inline.run_due()
    assert len(attempts) == 3


def test_the_retry_wait_doubles_up_to_its_ceiling(settings):
    from liaison.jobs.broker import retry_wait

    settings.LIAISON_JOB_RETRY_MAX_SECONDS = 10 * Conf.RETRY
    waits = [retry_wait(n).total_seconds() / Conf.RETRY for n in range(6)]
    assert waits == [1, 2, 4, 8, 10, 10]


class WorkerKilled(BaseException):
    """What the job's process sees of a kill: nothing after this point runs, nothing is caught."""


def test_a_run_whose_worker_died_is_taken_again_and_its_effect_happens_once(
    register, administrator
):
    """The job's effect is committed, then the worker dies before the run is acknowledged. The
    run stays in the queue, locked, until the retry wait has passed; then it is taken again; the
    job, keyed as the rule says, finds its effect there and does not repeat it."""
    from liaison.notifications.kinds import register_kind
    from liaison.notifications.models import Notification
    from liaison.notifications.services import notify

    register_kind("test.effect", "The effect")
    runs = []

    def effect_then_die(*, due_at):
        runs.append(due_at)
        notify(users=[administrator], kind="test.effect", once_key=f"test.effect:{due_at}")
        if len(runs) == 1:
            raise WorkerKilled

    register(scheduled("test.killed", every=timedelta(hours=1)), effect_then_die)
    with at(NOW - SECOND):
        queue.sync_schedules()

    with at(NOW + SECOND), pytest.raises(WorkerKilled):
        inline.run_due()
    assert not Task.objects.filter(group="test.killed").exists()  # nothing recorded it
    assert OrmQ.objects.count() == 1

    with at(NOW + Conf.RETRY * SECOND):  # its lock still holds: nobody takes it
        inline.run_due()
    assert len(runs) == 1
    with at(NOW + (Conf.RETRY + 2) * SECOND):
        inline.run_due()
    assert len(runs) == 2
    assert Task.objects.get(group="test.killed").success
    assert Notification.objects.filter(user=administrator, kind="test.effect").count() == 1


def test_a_background_job_is_queued_only_if_its_transaction_commits(register):
    done = []
    register(background("test.send"), lambda *, item: done.append(item))

    enqueue("test.send", key="item-1", item=1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue("test.send", key="item-2", item=2)
        1 / 0  # noqa: B018 - the caller's transaction fails: its job must not exist
    assert OrmQ.objects.count() == 1
    assert inline.run_due() == 1
    assert done == [1]
    assert Task.objects.get(group="test.send").name == "test.send item-1"


def test_a_job_the_registry_no_longer_has_fails_and_is_recorded(register):
    register(background("test.gone"), lambda: None)
    enqueue("test.gone", key="x")
    from liaison.jobs.registry import JOBS

    JOBS.pop("test.gone")
    inline.run_due()
    run = Task.objects.get(group="test.gone")
    assert not run.success and "no job is registered as 'test.gone'" in run.result


def test_a_worker_turn_refuses_to_run_inside_a_transaction():
    with transaction.atomic(), pytest.raises(RuntimeError, match="autocommit"):
        inline.run_due()


@pytest.mark.parametrize("every", [timedelta(seconds=90), timedelta(0), timedelta(days=30)])
def test_a_schedule_that_is_not_whole_minutes_is_refused(every):
    with pytest.raises(ValueError, match="whole number of minutes"):
        scheduled("test.bad", every=every)


def test_an_unknown_job_is_refused_at_once():
    with pytest.raises(LookupError):
        enqueue("test.nobody", key="x")


def test_a_job_registered_twice_under_one_name_is_refused(register):
    register(background("test.twice"), lambda: None)
    with pytest.raises(ValueError, match="twice"):
        background("test.twice")(lambda: None)
