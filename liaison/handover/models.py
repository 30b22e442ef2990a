"""From the airport to the district: handover batches, their travelers, incidents, quarantine."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.models import Arrival
from liaison.core.models import Jurisdiction, Site
from liaison.core.tracking import AuditedModel
from liaison.policy.models import DispositionChoice

# Dispositions that travel to a district in a batch (vehicle and escort). Hospital cases go by
# ambulance, one by one (``transfer_to_hospital``); onward transfers leave the city.
BATCHED_DISPOSITIONS = (
    DispositionChoice.CENTRALIZED_QUARANTINE,
    DispositionChoice.HOME_QUARANTINE,
    DispositionChoice.DIPLOMATIC_ARRANGEMENT,
)


class Batch(AuditedModel):
    """One vehicle taking travelers of one disposition to one destination jurisdiction."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DEPARTED = "departed", _("Departed")
        CLOSED = "closed", _("Closed")

    destination_jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="batches", verbose_name=_("destination")
    )
    disposition = models.CharField(
        _("disposition"), max_length=30, choices=DispositionChoice.choices
    )
    vehicle = models.CharField(_("vehicle"), max_length=40)
    escort = models.CharField(_("escort"), max_length=100)
    planned_departure = models.DateTimeField(_("planned departure"))
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-planned_departure", "-id"]
        verbose_name = _("handover batch")
        verbose_name_plural = _("handover batches")
        indexes = [models.Index(fields=["status", "departed_at"], name="batch_status_departed")]

    def __str__(self) -> str:
        return f"B{self.pk:05d}" if self.pk else "B-new"

    @property
    def number(self) -> str:
        return str(self)


class BatchMember(models.Model):
    """A traveler in a batch. ``open`` until the batch closes: one open batch per traveler."""

    batch = models.ForeignKey(Batch, models.CASCADE, related_name="members")
    arrival = models.ForeignKey(
        Arrival, models.PROTECT, related_name="batch_memberships", verbose_name=_("traveler")
    )
    open = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("received"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("batch member")
        verbose_name_plural = _("batch members")
        constraints = [
            models.UniqueConstraint(
                fields=["arrival"], condition=Q(open=True), name="one_open_batch_per_arrival"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.arrival_id}"


class Incident(AuditedModel):
    """Something wrong at receipt — a traveler missing from the vehicle or one not on its list —
    for the dispatcher to resolve. Never deleted: resolving it records who, when and how."""

    class Kind(models.TextChoices):
        MISSING = "missing", _("Missing traveler")
        UNEXPECTED = "unexpected", _("Unexpected traveler")

    batch = models.ForeignKey(Batch, models.PROTECT, related_name="incidents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    arrival = models.ForeignKey(
        Arrival,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handover_incidents",
        verbose_name=_("traveler"),
    )
    note = models.CharField(_("note"), max_length=500)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(_("resolution"), max_length=500, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.batch} {self.kind}"


class Quarantine(AuditedModel):
    """A received traveler's quarantine, recorded by the district (home quarantine: no site)."""

    arrival = models.OneToOneField(
        Arrival, models.PROTECT, related_name="quarantine", verbose_name=_("traveler")
    )
    site = models.ForeignKey(
        Site,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="quarantines",
        verbose_name=_("site"),
    )
    started_at = models.DateTimeField(_("started"))
    planned_end = models.DateField(_("planned end"))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["planned_end", "id"]
        verbose_name = _("quarantine")
        verbose_name_plural = _("quarantines")

    def __str__(self) -> str:
        return f"{self.arrival_id} {self.started_at:%Y-%m-%d}"
