"""Where every app registers its jobs: the one seam between Liaison and its job runner.

The runner is django-q2 (README, "Jobs"); apps never import it. A scheduled job runs once per due
time across every worker and app server::

    from liaison.jobs.registry import scheduled

    @scheduled("incidents.escalate", every=timedelta(minutes=1))
    def escalate(*, due_at: datetime) -> None:
        ...

A background job runs when a worker is free, retried if it raises::

    from liaison.jobs.registry import background, enqueue

    @background("notifications.deliver")
    def deliver(*, delivery_id: int) -> None:
        ...

    enqueue("notifications.deliver", key=f"delivery-{delivery.pk}", delivery_id=delivery.pk)

Put them in your app's ``jobs.py``: ``JobsConfig.ready`` imports every app's ``jobs`` module, and
``manage.py migrate`` (or the worker, as it starts) writes each scheduled job's schedule.

**The rule for every job: it is idempotent.** A worker may die after a job's effect and before
its completion is recorded; the run is then taken again once ``LIAISON_JOB_RETRY_SECONDS`` have
passed, so the job must find its effect already there and not repeat it: key each effect
(``notify(..., once_key=...)``, a unique constraint, a conditional UPDATE), or do the effect and
the mark that it is done in one transaction. A scheduled job reads the state it acts on (what is
overdue now), not the slots it may have missed while no worker ran: only the latest due time runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# Due times are counted from here: ``every=timedelta(days=1), at=timedelta(hours=7)`` is 07:00
# UTC each day, whichever server planned it.
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[..., Any]
    every: timedelta | None = None  # None: a background job, run when enqueued
    at: timedelta = timedelta(0)  # a scheduled job's offset within its period
    description: str = ""

    @property
    def is_scheduled(self) -> bool:
        return self.every is not None

    @property
    def every_minutes(self) -> int | None:
        return int(self.every.total_seconds() // 60) if self.every else None


JOBS: dict[str, Job] = {}


def _register(job: Job) -> None:
    if job.name in JOBS and JOBS[job.name].func is not job.func:
        raise ValueError(f"job {job.name!r} is registered twice")
    JOBS[job.name] = job


def _first_line(func: Callable[..., Any]) -> str:
    doc = (func.__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""


def scheduled(
    name: str, *, every: timedelta, at: timedelta = timedelta(0)
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func(*, due_at)`` to run once per ``every`` (offset by ``at``), across workers.

    ``name`` is "<app>.<what>", stable: it names the job's schedule and its recorded runs.
    ``every`` is a whole number of minutes, at most 22 days.
    """
    if every < timedelta(minutes=1) or every % timedelta(minutes=1) or every > timedelta(days=22):
        raise ValueError("every must be a whole number of minutes, from 1 to 22 days")
    if not timedelta(0) <= at < every:
        raise ValueError("at must lie within every")

    def register(func):
        _register(Job(name, func, every, at, _first_line(func)))
        return func

    return register


def background(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func(**kwargs)`` to run when enqueued (``enqueue(name, key=..., **kwargs)``)."""

    def register(func):
        _register(Job(name, func, None, timedelta(0), _first_line(func)))
        return func

    return register


def enqueue(name: str, *, key: str, **kwargs: Any) -> None:
    """Queue a background job in the current transaction.

    The queued run is a row of Liaison's own database, written with the caller's rows, so it
    exists exactly when they are committed; a worker runs it afterwards (tests call
    ``liaison.jobs.inline.run_due()``). ``key`` names the run on the jobs page (a delivery's id);
    the keyword arguments must be JSON (ids, not objects).
    """
    from liaison.jobs import queue

    job = job_named(name)
    if job.is_scheduled:
        raise ValueError(f"{name!r} is a scheduled job")
    queue.put(job, key=key, kwargs=kwargs)


def job_named(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise LookupError(f"no job is registered as {name!r}") from None


def latest_due(job: Job, now: datetime) -> datetime:
    """The latest due time of a scheduled job at or before ``now``."""
    periods = (now - EPOCH - job.at) // job.every
    return EPOCH + job.at + periods * job.every


def next_due(job: Job, now: datetime) -> datetime:
    return latest_due(job, now) + job.every
