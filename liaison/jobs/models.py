"""One row per run of a job: the queue, the record of what ran, and the run-once guard.

A scheduled job's run is keyed by its due time (``key`` is the due time in ISO 8601); a
background job's by the key its caller gives (a delivery's id). ``(job, key)`` is unique, so of
two workers (or two app servers) that plan the same due time, the second inserts nothing; and a
run is taken by a conditional UPDATE (state and attempts as read), so only one worker runs it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunState(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed, no attempts left")


class JobRun(models.Model):
    job = models.CharField(_("job"), max_length=100)
    key = models.CharField(_("key"), max_length=100)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.PENDING
    )
    due_at = models.DateTimeField(_("due"))
    # Not before: the due time, then the backoff after each failure.
    run_after = models.DateTimeField(_("not before"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("attempts allowed"), default=5)
    # A running run whose lease has passed belongs to a worker that died: it is taken again.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    failed_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-due_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "key"], name="jobs_run_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["state", "run_after"], name="jobs_run_queue"),
            models.Index(fields=["job", "-due_at"], name="jobs_run_recent"),
        ]

    def __str__(self):
        return f"{self.job} {self.key}"
