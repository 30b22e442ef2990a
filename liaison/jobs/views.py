"""The administrators' page of background jobs (``Area.ADMIN``)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison.core.access import Area, requires
from liaison.jobs import selectors
from liaison.jobs.registry import JOBS


@require_GET
@requires(Area.ADMIN)
def overview(request: HttpRequest) -> HttpResponse:
    job = request.GET.get("job", "")
    if job and job not in JOBS:
        context = {
            "statuses": selectors.job_statuses(),
            "runs": [],
            "bad_job": job,
            "kept": settings.Q_CLUSTER["save_limit"],
        }
        return render(request, "jobs/overview.html", context, status=400)
    context = {
        "statuses": selectors.job_statuses(),
        "runs": selectors.recent_runs(job=job or None),
        "job": job,
        "kept": settings.Q_CLUSTER["save_limit"],
    }
    return render(request, "jobs/overview.html", context)
