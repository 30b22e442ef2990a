"""Donations both ways (issue 15, point 1).

A ``Donation`` goes from a donor to a recipient, both organizations of the directory: outbound,
the city government or one of its districts gives to a foreign government, sister city,
friendship province or organization; inbound, a foreign donor gives to the city (which allocates
the goods to its hospitals, districts and quarantine sites: ``Allocation``). It holds lines of
catalogue items counted in units, an estimated value in an ISO 4217 currency, the donor's
consent to be named (the public page names a donor only with it) and a status that moves
through ``states.py``. Every move, correction, batch and allocation writes a ``DonationEvent``:
a code and its data, rendered in the reader's language — never a sentence.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.tracking import AuditedModel


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound (we give)")
    INBOUND = "inbound", _("Inbound (we receive)")


class DonationStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    SHIPPED_IN_PART = "shipped_in_part", _("Shipped in part")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CANCELLED = "cancelled", _("Cancelled")


class Donation(AuditedModel):
    Direction = Direction
    Status = DonationStatus

    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    donor = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        related_name="donations_given",
        verbose_name=_("donor"),
    )
    recipient = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        related_name="donations_received",
        verbose_name=_("recipient"),
    )
    occasion = models.CharField(_("occasion"), max_length=300)
    pledged_on = models.DateField(_("pledged on"))
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    donor_may_be_named = models.BooleanField(_("donor consents to be named"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DonationStatus.choices,
        default=DonationStatus.PLEDGED,
    )
    cancel_reason = models.TextField(_("why cancelled"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pledged_on", "-id"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        indexes = [models.Index(fields=["status", "pledged_on"], name="aid_donation_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(donor=models.F("recipient")), name="aid_donation_two_parties"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True)
                | (Q(estimated_value__gte=0) & ~Q(currency="")),
                name="aid_donation_value_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} · {self.donor} → {self.recipient}"

    @property
    def counterpart(self):
        """The foreign side: the recipient of an outbound donation, the donor of an inbound."""
        return self.recipient if self.direction == Direction.OUTBOUND else self.donor


class DonationLine(models.Model):
    """One item of a donation, counted in the item's units (packs converted on entry)."""

    donation = models.ForeignKey(Donation, models.CASCADE, related_name="lines")
    item = models.ForeignKey("aid.Item", models.PROTECT, related_name="+", verbose_name=_("item"))
    lot = models.ForeignKey(
        "aid.Lot",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("lot"),
    )
    units = models.PositiveIntegerField(_("units"))
    # As it was entered, to show it back: 200 boxes (of 50) is 10,000 units.
    entered_quantity = models.PositiveIntegerField()
    entered_unit = models.CharField(max_length=10)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["donation", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="aid_line_units_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.units}"


class EventCode(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    MOVED = "moved", _("Status changed")
    CORRECTED = "corrected", _("Corrected")
    BATCH_SENT = "batch_sent", _("Batch sent")
    BATCH_RECEIVED = "batch_received", _("Batch received")
    ALLOCATED = "allocated", _("Allocated")


class DonationEvent(models.Model):
    """What happened to a donation: a code, the statuses before and after, its data (batch
    number, units, the fields a correction changed before and after) and the reason given."""

    donation = models.ForeignKey(Donation, models.PROTECT, related_name="events")
    code = models.CharField(max_length=20, choices=EventCode.choices)
    from_status = models.CharField(max_length=20, choices=DonationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DonationStatus.choices, blank=True)
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["donation", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.at:%Y-%m-%d %H:%M}"
