"""What the administrators' jobs page and its API operation show: every registered job with its
last run, next run and last failure, and the recent runs, read from django-q2's tables. No
personal data: job names, times, errors (a job's error names records by id, never a person)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django_q.models import OrmQ, Schedule, Task

from liaison.jobs.queue import EXECUTE
from liaison.jobs.registry import JOBS

RECENT = 50
# The queue is read whole to count what waits per job (its rows are signed packages); beyond
# this many rows the counts say "at least".
QUEUE_READ = 2000


@dataclass
class Run:
    job: str
    name: str
    started_at: datetime | None
    finished_at: datetime | None
    succeeded: bool
    attempts: int
    error: str

    @classmethod
    def of(cls, task: Task) -> Run:
        return cls(
            job=task.group or "",
            name=task.name,
            started_at=task.started,
            finished_at=task.stopped,
            succeeded=bool(task.success),
            attempts=task.attempt_count,
            error="" if task.success else error_line(task.result),
        )


def error_line(result) -> str:
    """The error of a failed run as the traceback's last line ("ValueError: …"), no paths."""
    text = str(result or "")
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip()[:500] if lines else ""


@dataclass
class JobStatus:
    name: str
    description: str
    every_minutes: int | None  # None: a background job
    last_run: Run | None
    next_run_at: datetime | None
    last_failure: Run | None
    waiting: int
    failed: int


def waiting_by_job() -> Counter:
    """Queued runs per job, retries included."""
    counts: Counter = Counter()
    for row in OrmQ.objects.order_by("id")[:QUEUE_READ]:
        counts[row.task.get("group") or ""] += 1
    return counts


def job_statuses() -> list[JobStatus]:
    names = list(JOBS)
    failed = dict(
        Task.objects.filter(group__in=names)
        .values_list("group")
        .annotate(n=Count("id", filter=Q(success=False)))
    )
    schedules = {s.name: s.next_run for s in Schedule.objects.filter(func=EXECUTE, name__in=names)}
    waiting = waiting_by_job()
    statuses = []
    for job in sorted(JOBS.values(), key=lambda j: j.name):
        runs = Task.objects.filter(group=job.name).order_by("-stopped")
        last_run = runs.first()
        last_failure = runs.filter(success=False).first()
        statuses.append(
            JobStatus(
                name=job.name,
                description=job.description,
                every_minutes=job.every_minutes,
                last_run=Run.of(last_run) if last_run else None,
                next_run_at=schedules.get(job.name),
                last_failure=Run.of(last_failure) if last_failure else None,
                waiting=waiting.get(job.name, 0),
                failed=failed.get(job.name, 0),
            )
        )
    return statuses


def recent_runs(*, job: str | None = None, limit: int = RECENT) -> list[Run]:
    runs = Task.objects.filter(group__in=list(JOBS)).order_by("-stopped")
    if job:
        runs = runs.filter(group=job)
    return [Run.of(task) for task in runs[:limit]]
