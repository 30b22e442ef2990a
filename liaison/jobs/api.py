"""The jobs page's API operation: the same statuses and recent runs, administrators only."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.refusals import Refused
from liaison.jobs import selectors
from liaison.jobs.registry import JOBS

router = Router(tags=["jobs"])


class RunOut(Schema):
    job: str
    name: str
    started_at: datetime | None
    finished_at: datetime | None
    succeeded: bool
    attempts: int
    error: str


class JobOut(Schema):
    name: str
    description: str
    every_minutes: int | None
    last_run: RunOut | None
    next_run_at: datetime | None
    last_failure: RunOut | None
    waiting: int
    failed: int


class JobsOut(Schema):
    jobs: list[JobOut]
    recent_runs: list[RunOut]


class JobsFilter(Schema):
    job: str = ""


@router.get("/jobs", response={200: JobsOut, 400: Errors, **REFUSALS})
@api_area(Area.ADMIN)
def jobs(request, filters: Query[JobsFilter]):
    if filters.job and filters.job not in JOBS:
        raise Refused(_("There is no job of that name."), field="job")
    return {
        "jobs": selectors.job_statuses(),
        "recent_runs": selectors.recent_runs(job=filters.job or None),
    }
