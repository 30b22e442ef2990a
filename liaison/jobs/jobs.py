"""The runner's own job: finished runs are kept ``LIAISON_JOB_KEEP_DAYS``, then removed."""

from datetime import datetime, timedelta

from django.conf import settings

from liaison.jobs.models import JobRun, RunState
from liaison.jobs.registry import scheduled


@scheduled("jobs.prune", every=timedelta(days=1), at=timedelta(hours=19))  # 03:00 in Chongqing
def prune(*, due_at: datetime) -> None:
    """Remove runs done more than LIAISON_JOB_KEEP_DAYS ago (failed ones stay)."""
    keep = timedelta(days=settings.LIAISON_JOB_KEEP_DAYS)
    JobRun.objects.filter(state=RunState.DONE, finished_at__lt=due_at - keep).delete()
