"""What the administrators' jobs page and its API operation show: every registered job with its
last run, next run and last failure, and the recent runs. No personal data: job names, times,
errors (a job's error names records by id, never a person)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from liaison.jobs import runner
from liaison.jobs.models import JobRun, RunState
from liaison.jobs.registry import JOBS

RECENT = 50


@dataclass
class JobStatus:
    name: str
    description: str
    every_minutes: int | None  # None: a background job
    last_run: JobRun | None
    next_run_at: datetime | None
    last_failure: JobRun | None
    waiting: int
    failed: int


def job_statuses(now: datetime | None = None) -> list[JobStatus]:
    now = now or timezone.now()
    counts = {
        row["job"]: row
        for row in JobRun.objects.values("job").annotate(
            waiting=Count("id", filter=Q(state__in=[RunState.PENDING, RunState.RUNNING])),
            failed=Count("id", filter=Q(state=RunState.FAILED)),
        )
    }
    statuses = []
    for job in sorted(JOBS.values(), key=lambda j: j.name):
        runs = JobRun.objects.filter(job=job.name)
        last_run = runs.filter(finished_at__isnull=False).order_by("-finished_at").first()
        last_failure = runs.filter(failed_at__isnull=False).order_by("-failed_at").first()
        waiting = runs.filter(state=RunState.PENDING).order_by("run_after").first()
        next_run_at = waiting.run_after if waiting else None
        if job.is_scheduled:
            upcoming = runner.next_due(job, now)
            next_run_at = min(next_run_at, upcoming) if next_run_at else upcoming
        row = counts.get(job.name, {})
        statuses.append(
            JobStatus(
                name=job.name,
                description=job.description,
                every_minutes=max(1, int(job.every.total_seconds() // 60)) if job.every else None,
                last_run=last_run,
                next_run_at=next_run_at,
                last_failure=last_failure,
                waiting=row.get("waiting", 0),
                failed=row.get("failed", 0),
            )
        )
    return statuses


def recent_runs(*, job: str | None = None, limit: int = RECENT) -> list[JobRun]:
    runs = JobRun.objects.order_by("-created_at", "-id")
    if job:
        runs = runs.filter(job=job)
    return list(runs[:limit])
