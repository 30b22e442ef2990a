"""Where every app registers its jobs: the runner's whole public seam.

A scheduled job runs once per due time across every worker and app server::

    from liaison.jobs.registry import scheduled

    @scheduled("incidents.escalate", every=timedelta(minutes=1))
    def escalate(*, due_at: datetime) -> None:
        ...

A background job runs once per key, when a worker is free, retried with backoff if it raises::

    from liaison.jobs.registry import background, enqueue

    @background("notifications.deliver")
    def deliver(*, delivery_id: int) -> None:
        ...

    enqueue("notifications.deliver", key=f"delivery-{delivery.pk}", delivery_id=delivery.pk)

Put them in your app's ``jobs.py``: ``JobsConfig.ready`` imports every app's ``jobs`` module.

**The rule for every job: it is idempotent.** A worker may die after a job's effect and before
its completion is recorded; the run is then taken again once its lease has passed
(``LIAISON_JOB_LEASE_SECONDS``), so the job must find its effect already there and not repeat
it: key each effect (``notify(..., once_key=...)``, a unique constraint, a conditional UPDATE),
or do the effect and the mark that it is done in one transaction. A scheduled job reads the
state it acts on (what is overdue now), not the slots it may have missed while no worker ran:
only the latest due time is planned.
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
    max_attempts: int = 5
    description: str = ""

    @property
    def is_scheduled(self) -> bool:
        return self.every is not None


JOBS: dict[str, Job] = {}


def _register(job: Job) -> None:
    if job.name in JOBS and JOBS[job.name].func is not job.func:
        raise ValueError(f"job {job.name!r} is registered twice")
    JOBS[job.name] = job


def scheduled(
    name: str,
    *,
    every: timedelta,
    at: timedelta = timedelta(0),
    max_attempts: int = 5,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func(*, due_at)`` to run once per ``every`` (offset by ``at``), across workers.

    ``name`` is "<app>.<what>", stable: it keys the runs already recorded.
    """
    if every <= timedelta(0) or not timedelta(0) <= at < every:
        raise ValueError("every must be positive and at within it")

    def register(func):
        doc = (func.__doc__ or "").strip().splitlines()
        _register(Job(name, func, every, at, max_attempts, doc[0] if doc else ""))
        return func

    return register


def background(
    name: str, *, max_attempts: int = 5
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func(**kwargs)`` to run when enqueued (``enqueue(name, key=..., **kwargs)``)."""

    def register(func):
        doc = (func.__doc__ or "").strip().splitlines()
        _register(Job(name, func, None, timedelta(0), max_attempts, doc[0] if doc else ""))
        return func

    return register


def enqueue(name: str, *, key: str, **kwargs: Any) -> None:
    """Queue a background job once per ``key``, in the current transaction.

    The run is written with the caller's own rows, so it exists exactly when they are committed;
    a worker runs it afterwards (tests call ``runner.run_pending()``). The keyword arguments
    must be JSON (ids, not objects). Enqueuing the same key again does nothing.
    """
    from liaison.jobs import runner

    runner.enqueue(name, key=key, kwargs=kwargs)


def job_named(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise LookupError(f"no job is registered as {name!r}") from None
