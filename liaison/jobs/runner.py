"""The runner: plans scheduled runs, takes runs one at a time, records what happened.

1. ``plan`` inserts a run for each scheduled job's latest due time; the unique ``(job, key)``
   makes a second planner (another worker, another server) insert nothing.
2. ``take`` moves one run to "running" by a conditional UPDATE on the state and attempts it
   read, so of two workers only one gets it — on SQLite and PostgreSQL alike, no row locks.
   A "running" run past its lease belonged to a worker that died: it is taken again.
3. ``execute`` calls the job outside any transaction of ours (each service it calls is its
   own), then records "done" or the error: another attempt after a backoff that doubles from
   ``LIAISON_JOB_RETRY_SECONDS``, or "failed" when no attempts are left. Nothing is lost.
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from liaison.jobs.models import JobRun, RunState
from liaison.jobs.registry import EPOCH, JOBS, Job, job_named

log = logging.getLogger(__name__)

BACKOFF_CAP = timedelta(hours=1)


def latest_due(job: Job, now: datetime) -> datetime:
    """The latest due time of a scheduled job at or before ``now``."""
    periods = (now - EPOCH - job.at) // job.every
    return EPOCH + job.at + periods * job.every


def next_due(job: Job, now: datetime) -> datetime:
    return latest_due(job, now) + job.every


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: the base, doubled each time, at most an hour."""
    base = timedelta(seconds=settings.LIAISON_JOB_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _insert(job: Job, *, key: str, due_at: datetime, kwargs: dict[str, Any]) -> JobRun | None:
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name,
                key=key,
                kwargs=kwargs,
                due_at=due_at,
                run_after=due_at,
                max_attempts=job.max_attempts,
            )
    except IntegrityError:
        return None  # planned or enqueued already: the guard


def plan(now: datetime | None = None) -> list[JobRun]:
    """Insert the run of every scheduled job's latest due time; the runs this call inserted."""
    now = now or timezone.now()
    planned = []
    for job in JOBS.values():
        if job.is_scheduled:
            due = latest_due(job, now)
            run = _insert(job, key=due.isoformat(), due_at=due, kwargs={})
            if run is not None:
                planned.append(run)
    return planned


def enqueue(name: str, *, key: str, kwargs: dict[str, Any]) -> None:
    """Insert a background job's run in the caller's transaction: it exists iff that commits."""
    job = job_named(name)
    if job.is_scheduled:
        raise ValueError(f"{name!r} is a scheduled job")
    _insert(job, key=key, due_at=timezone.now(), kwargs=kwargs)


def take(now: datetime | None = None) -> JobRun | None:
    """Take the next run that is due (or whose worker died); None when nothing waits."""
    now = now or timezone.now()
    waiting = JobRun.objects.filter(
        Q(state=RunState.PENDING, run_after__lte=now)
        | Q(state=RunState.RUNNING, lease_until__lt=now)
    ).order_by("run_after", "id")
    lease = timedelta(seconds=settings.LIAISON_JOB_LEASE_SECONDS)
    for run in waiting[:20]:
        taken = JobRun.objects.filter(pk=run.pk, state=run.state, attempts=run.attempts).update(
            state=RunState.RUNNING,
            attempts=run.attempts + 1,
            lease_until=now + lease,
            started_at=now,
        )
        if taken:
            run.refresh_from_db()
            return run
    return None


def execute(run: JobRun, now: datetime | None = None) -> bool:
    """Run a taken run and record its outcome; True when it succeeded."""
    mine = JobRun.objects.filter(pk=run.pk, state=RunState.RUNNING, attempts=run.attempts)
    try:
        job = job_named(run.job)
        kwargs = dict(run.kwargs)
        if job.is_scheduled:
            kwargs["due_at"] = run.due_at
        job.func(**kwargs)
    except Exception as error:
        failed_at = timezone.now()
        log.exception("job %s (%s) failed, attempt %s", run.job, run.key, run.attempts)
        last = "".join(traceback.format_exception_only(error)).strip()[:2000]
        if run.attempts >= run.max_attempts:
            mine.update(
                state=RunState.FAILED,
                last_error=last,
                failed_at=failed_at,
                finished_at=failed_at,
                lease_until=None,
            )
        else:
            mine.update(
                state=RunState.PENDING,
                last_error=last,
                failed_at=failed_at,
                run_after=(now or failed_at) + backoff(run.attempts),
                lease_until=None,
            )
        return False
    mine.update(state=RunState.DONE, finished_at=timezone.now(), lease_until=None)
    return True


def run_pending(now: datetime | None = None, *, limit: int = 100) -> int:
    """Take and execute runs until none is due (at most ``limit``); how many were executed."""
    executed = 0
    while executed < limit:
        run = take(now)
        if run is None:
            break
        execute(run, now)
        executed += 1
    return executed


def work_once(now: datetime | None = None) -> int:
    """One turn of a worker: plan what is due, run what waits."""
    plan(now)
    return run_pending(now)
