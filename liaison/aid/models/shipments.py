"""Shipments in batches (issue 15, point 3) and the stock they leave (point 4).

A ``Batch`` is one consignment of a donation: waybill, carrier, route or flight, sent, expected
and arrived; optionally addressed to a part of the recipient (a batch to Iran for its sister city
Shiraz: ``consignee``). Its ``BatchLine``s are what was sent of each donation line and, once
received, what was accepted and rejected — two views of one flow, where accepted + rejected =
shipped and a rejection has its reason.

Inbound goods accepted go into ``Stock`` (one row per donation line: received and allocated
units, allocated never above received) and leave it by ``Allocation`` to a designated site
(a hospital, a quarantine hotel: ``core.Site``) or a district (``core.Jurisdiction``). The stock
row is what an allocation locks, so two officers cannot both hand out the last units.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.tracking import AuditedModel


class Batch(AuditedModel):
    donation = models.ForeignKey("aid.Donation", models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("batch"))
    consignee = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to"),
    )
    waybill = models.CharField(_("waybill"), max_length=80, blank=True)
    carrier = models.CharField(_("carrier"), max_length=200, blank=True)
    route = models.CharField(_("route or flight"), max_length=200, blank=True)
    sent_on = models.DateField(_("sent on"))
    expected_on = models.DateField(_("expected"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["donation", "number"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(fields=["donation", "number"], name="aid_batch_number_once"),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True) | Q(arrived_on__gte=F("sent_on")),
                name="aid_batch_arrives_after_sending",
            ),
            models.CheckConstraint(
                condition=Q(expected_on__isnull=True) | Q(expected_on__gte=F("sent_on")),
                name="aid_batch_expected_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donation_id}-{self.number}"

    @property
    def received(self) -> bool:
        return self.arrived_on is not None


class BatchLine(models.Model):
    batch = models.ForeignKey(Batch, models.CASCADE, related_name="lines")
    line = models.ForeignKey("aid.DonationLine", models.PROTECT, related_name="shipped")
    units = models.PositiveIntegerField(_("shipped"))
    accepted = models.PositiveIntegerField(_("accepted"), null=True, blank=True)
    rejected = models.PositiveIntegerField(_("rejected"), null=True, blank=True)
    rejection_reason = models.TextField(_("why rejected"), blank=True)

    class Meta:
        ordering = ["batch", "line__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="aid_batch_line_once"),
            models.CheckConstraint(condition=Q(units__gt=0), name="aid_batch_line_positive"),
            models.CheckConstraint(
                condition=(Q(accepted__isnull=True) & Q(rejected__isnull=True))
                | Q(units=F("accepted") + F("rejected")),
                name="aid_batch_line_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(rejected__isnull=True) | Q(rejected=0) | ~Q(rejection_reason=""),
                name="aid_batch_line_rejection_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.line.item} × {self.units}"

    @property
    def short(self) -> bool:
        return bool(self.rejected)


class Stock(models.Model):
    """What an inbound donation line holds: accepted units in, allocated units out."""

    line = models.OneToOneField("aid.DonationLine", models.PROTECT, related_name="stock")
    received = models.PositiveIntegerField(default=0)
    allocated = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated__lte=F("received")), name="aid_stock_not_overdrawn"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.received - self.allocated}"

    @property
    def remaining(self) -> int:
        return self.received - self.allocated


class Allocation(AuditedModel):
    line = models.ForeignKey("aid.DonationLine", models.PROTECT, related_name="allocations")
    units = models.PositiveIntegerField(_("units"))
    site = models.ForeignKey(
        "core.Site",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    allocated_on = models.DateField(_("allocated on"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["line", "allocated_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="aid_allocation_positive"),
            models.CheckConstraint(
                condition=(Q(site__isnull=False) & Q(jurisdiction__isnull=True))
                | (Q(site__isnull=True) & Q(jurisdiction__isnull=False)),
                name="aid_allocation_one_recipient",
            ),
        ]

    @property
    def recipient(self):
        return self.site if self.site_id else self.jurisdiction
