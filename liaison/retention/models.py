"""Retention: which records were anonymized, the holds that keep a record whole, the receipts of
every run, and the corrections travelers ask for.

None of these rows holds a person's data: a record is named by its kind and id, a receipt by its
rule and counts. A correction request's reason is the traveler's own words; it is blanked with
their record.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.tracking import AuditedModel


class Kind(models.TextChoices):
    """What a rule anonymizes; a hold and an anonymization mark name a record by kind and id."""

    ARRIVAL = "arrival", _("Traveler (declaration, readings, samples, results, quarantine)")
    CASE = "case", _("Assistance case and its attachments")
    NOTIFICATION = "notification", _("Consular notification")
    MANIFEST_ENTRY = "manifest_entry", _("Flight manifest entry")
    RESULTS_FILE = "results_file", _("Laboratory results file")
    PERSON = "person", _("Directory person who left their post")
    HANDOVER = "handover", _("Shift handover note")
    DUTY_LOG_ENTRY = "duty_log_entry", _("Duty log entry about no traveler or case")
    INCIDENT = "incident", _("Emergency incident about no traveler or case")


class Anonymized(models.Model):
    """This record was anonymized: written in the same transaction as its anonymization, so a
    record is either whole and unmarked or anonymized and marked, and reruns skip it."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    record_id = models.BigIntegerField(_("record"))
    rule = models.CharField(_("rule"), max_length=40)
    run_id = models.UUIDField(_("run"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("anonymized"), default=timezone.now)

    class Meta:
        verbose_name = _("anonymized record")
        verbose_name_plural = _("anonymized records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="anonymized_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id}"


class Hold(AuditedModel):
    """A legal hold: while it is not lifted, the record is skipped by every run."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    record_id = models.BigIntegerField(_("record"))
    reason = models.CharField(_("reason"), max_length=500)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.CharField(_("why lifted"), max_length=500, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_hold_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Receipt(models.Model):
    """What one run did under one rule: counts only, never a person's data."""

    run_id = models.UUIDField(_("run"), default=uuid.uuid4)
    rule = models.CharField(_("rule"), max_length=40)
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    due = models.PositiveIntegerField(_("records due"), default=0)
    anonymized = models.PositiveIntegerField(_("anonymized"), default=0)
    held = models.PositiveIntegerField(_("held"), default=0)
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    # Empty when the run finished; the error's class name when it stopped (no message: it may
    # quote a value).
    stopped_by = models.CharField(_("stopped by"), max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "rule"]
        verbose_name = _("retention receipt")
        verbose_name_plural = _("retention receipts")
        constraints = [models.UniqueConstraint(fields=["run_id", "rule"], name="receipt_per_rule")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.rule}"


class CorrectionRequest(AuditedModel):
    """A traveler asks, through their private link, that the desk correct their data (PIPL 46)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    arrival = models.ForeignKey(
        "arrivals.Arrival",
        models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("traveler"),
    )
    reason = models.TextField(_("what is wrong"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.CharField(_("what was done"), max_length=500, blank=True)

    class Meta:
        ordering = ["status", "requested_at", "id"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        indexes = [models.Index(fields=["status"], name="correction_status")]

    def __str__(self) -> str:
        return f"{self.arrival_id} {self.requested_at:%Y-%m-%d}"
