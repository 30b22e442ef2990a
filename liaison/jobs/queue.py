"""Liaison's jobs on django-q2: their schedules, their queued runs, and the one function it calls.

- A scheduled job is a django-q ``Schedule`` named after the job, every so many minutes, aligned
  to the job's due times (``registry.latest_due``). ``sync_schedules`` writes them (after
  ``migrate`` and when a worker starts). Each cluster's scheduler takes the due schedules under a
  row lock (``SELECT … FOR UPDATE`` on PostgreSQL, the IMMEDIATE write lock on SQLite), queues
  one run and moves ``next_run`` on in the same transaction: two app servers queue it once.
- A background job is queued with ``async_task`` into the ORM broker's table, in the caller's
  transaction.
- The cluster's workers call ``execute``, which finds the job in the registry. A run that raises
  is kept in the queue and taken again after a growing wait (``broker.BackoffORM``), until its
  attempts are spent; every run, successful or failed, is recorded (``django_q.models.Task``),
  the jobs page reads them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from liaison.jobs.registry import JOBS, Job, job_named, latest_due, next_due

EXECUTE = "liaison.jobs.queue.execute"


def execute(job: str, due_at: str | None = None, kwargs: dict[str, Any] | None = None) -> None:
    """What a worker runs: the registered job, with its due time or its arguments."""
    found = job_named(job)
    if found.is_scheduled:
        found.func(due_at=datetime.fromisoformat(due_at) if due_at else timezone.now())
    else:
        found.func(**(kwargs or {}))


def put(job: Job, *, key: str, kwargs: dict[str, Any]) -> str:
    """Queue one run of a background job; its task id."""
    return async_task(
        EXECUTE,
        job=job.name,
        kwargs=kwargs,
        q_options={"group": job.name, "task_name": f"{job.name} {key}"[:100]},
    )


def _aligned(schedule: Schedule, job: Job) -> bool:
    if schedule.minutes != job.every_minutes or schedule.next_run is None:
        return False
    return latest_due(job, schedule.next_run) == schedule.next_run


@transaction.atomic
def sync_schedules(now: datetime | None = None) -> int:
    """Write the schedule of every registered scheduled job and remove those of jobs gone.

    A schedule already on the job's due times is left as it is (its next run stands); a new one,
    or one whose period changed, starts at the job's next due time. How many were written.
    """
    now = now or timezone.now()
    ours = {s.name: s for s in Schedule.objects.select_for_update().filter(func=EXECUTE)}
    written = 0
    for job in JOBS.values():
        if not job.is_scheduled:
            continue
        schedule = ours.pop(job.name, None) or Schedule(name=job.name, func=EXECUTE)
        if schedule.pk and _aligned(schedule, job):
            continue
        schedule.kwargs = repr({"job": job.name})
        schedule.schedule_type = Schedule.MINUTES
        schedule.minutes = job.every_minutes
        schedule.repeats = -1
        schedule.intended_date_kwarg = "due_at"
        schedule.next_run = next_due(job, now)
        schedule.save()
        written += 1
    Schedule.objects.filter(pk__in=[s.pk for s in ours.values()]).delete()
    return written
