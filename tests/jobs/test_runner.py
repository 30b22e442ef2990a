"""The runner: a scheduled job runs once per due time, a failure is recorded and retried with a
growing wait until no attempt is left, a run whose worker died is taken again, and a job's effect
(keyed, as the rule says) happens once however often it runs."""

from datetime import timedelta

import pytest
from django.db import transaction

from liaison.jobs import runner
from liaison.jobs.models import JobRun, RunState
from liaison.jobs.registry import background, enqueue, scheduled
from tests.jobs.conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("alone")]


def test_a_scheduled_job_runs_once_per_due_time(register):
    calls = []
    register(
        scheduled("test.hourly", every=timedelta(hours=1)), lambda *, due_at: calls.append(due_at)
    )

    runner.work_once(NOW)
    runner.work_once(NOW + timedelta(minutes=59))  # the same due time: nothing new
    assert calls == [NOW]
    runner.work_once(NOW + timedelta(hours=1, seconds=1))
    assert calls == [NOW, NOW + timedelta(hours=1)]
    runs = JobRun.objects.filter(job="test.hourly")
    assert set(runs.values_list("state", flat=True)) == {RunState.DONE}


def test_due_times_follow_every_and_at_whoever_plans_them(register):
    job_func = register(
        scheduled("test.daily", every=timedelta(days=1), at=timedelta(hours=7)), lambda **_: None
    )
    from liaison.jobs.registry import JOBS

    job = next(j for j in JOBS.values() if j.func is job_func)
    assert runner.latest_due(job, NOW) == NOW.replace(hour=7) - timedelta(days=1)
    assert runner.next_due(job, NOW) == NOW.replace(hour=7)


def test_a_job_that_raises_is_recorded_and_retried_with_a_growing_wait(register, settings):
    settings.LIAISON_JOB_RETRY_SECONDS = 30
    attempts = []

    def flaky(*, due_at):
        attempts.append(due_at)
        raise RuntimeError("gateway down")

    register(scheduled("test.flaky", every=timedelta(hours=1), max_attempts=3), flaky)

    runner.work_once(NOW)
    run = JobRun.objects.get(job="test.flaky")
    assert (run.state, run.attempts) == (RunState.PENDING, 1)
    assert run.last_error == "RuntimeError: gateway down"
    assert run.run_after == NOW + timedelta(seconds=30)

    runner.run_pending(NOW + timedelta(seconds=29))  # not yet
    assert len(attempts) == 1
    runner.run_pending(NOW + timedelta(seconds=30))
    run.refresh_from_db()
    assert (run.attempts, run.run_after) == (2, NOW + timedelta(seconds=30 + 60))

    runner.run_pending(NOW + timedelta(seconds=90))
    run.refresh_from_db()
    # No attempt left: kept as failed with its error, never dropped, never run again.
    assert (run.state, run.attempts, len(attempts)) == (RunState.FAILED, 3, 3)
    assert run.last_error == "RuntimeError: gateway down" and run.failed_at is not None
    runner.run_pending(NOW + timedelta(days=1))
    assert len(attempts) == 3


def test_the_backoff_doubles_up_to_an_hour(settings):
    settings.LIAISON_JOB_RETRY_SECONDS = 30
    waits = [runner.backoff(n).total_seconds() for n in (1, 2, 3, 4, 10, 20)]
    assert waits == [30, 60, 120, 240, 3600, 3600]


class WorkerKilled(BaseException):
    """What the job's process sees of a kill: nothing after this point runs, nothing is caught."""


def test_a_run_whose_worker_died_is_taken_again_and_its_effect_happens_once(
    register, settings, administrator
):
    """The job's effect is committed, then the worker dies before "done" is recorded. The run
    stays "running" until its lease passes; another worker takes it again; the job, keyed as the
    rule says, finds its effect there and does not repeat it."""
    from liaison.notifications.kinds import register_kind
    from liaison.notifications.models import Notification
    from liaison.notifications.services import notify

    settings.LIAISON_JOB_LEASE_SECONDS = 300
    register_kind("test.effect", "The effect")
    runs = []

    def effect_then_die(*, due_at):
        runs.append(due_at)
        notify(users=[administrator], kind="test.effect", once_key=f"test.effect:{due_at}")
        if len(runs) == 1:
            raise WorkerKilled

    register(scheduled("test.killed", every=timedelta(hours=1)), effect_then_die)

    with pytest.raises(WorkerKilled):
        runner.work_once(NOW)
    run = JobRun.objects.get(job="test.killed")
    assert run.state == RunState.RUNNING and run.finished_at is None

    runner.run_pending(NOW + timedelta(seconds=299))  # the lease still holds: nobody takes it
    assert len(runs) == 1
    runner.run_pending(NOW + timedelta(seconds=301))
    run.refresh_from_db()
    assert (len(runs), run.state, run.attempts) == (2, RunState.DONE, 2)
    assert Notification.objects.filter(user=administrator, kind="test.effect").count() == 1


def test_a_background_job_is_queued_once_per_key_and_only_if_its_transaction_commits(register):
    done = []
    register(background("test.send"), lambda *, item: done.append(item))

    enqueue("test.send", key="item-1", item=1)
    enqueue("test.send", key="item-1", item=1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue("test.send", key="item-2", item=2)
        1 / 0  # noqa: B018 - the caller's transaction fails: its job must not exist
    assert runner.run_pending() == 1
    assert done == [1]
    assert not JobRun.objects.filter(key="item-2").exists()


def test_an_unknown_job_is_refused_at_once():
    with pytest.raises(LookupError):
        enqueue("test.nobody", key="x")


def test_a_job_registered_twice_under_one_name_is_refused(register):
    register(background("test.twice"), lambda: None)
    with pytest.raises(ValueError, match="twice"):
        background("test.twice")(lambda: None)


def test_done_runs_are_pruned_after_the_keeping_time_and_failed_ones_stay(register, settings):
    from liaison.jobs.jobs import prune

    settings.LIAISON_JOB_KEEP_DAYS = 30
    register(background("test.old"), lambda: None)
    for key, state, days in (("old", "done", 31), ("recent", "done", 29), ("broken", "failed", 90)):
        JobRun.objects.create(
            job="test.old",
            key=key,
            state=state,
            due_at=NOW,
            run_after=NOW,
            finished_at=NOW - timedelta(days=days),
        )
    prune(due_at=NOW)
    assert set(JobRun.objects.values_list("key", flat=True)) == {"recent", "broken"}
