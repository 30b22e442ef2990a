"""The aid desk's API: the same lists, details and writes as the pages, the same services and
access rules (the aid officer writes; it and leadership read), the one error shape.

Quantities are counted in units, or in an item's pack (``unit``); a negative or fractional
quantity, a unit the item is not counted in, accepted + rejected other than shipped, a rejection
without its reason, an allocation above stock, an arrival before sending, an unknown donor or
recipient and a certificate that is not a PDF or an image are all 400, nothing written; a move
the donation's status does not allow is 409.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from liaison.aid import allocation, events, selectors, services, shipping
from liaison.aid.models import Donation
from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiId
from liaison.core.refusals import Refused

router = Router(tags=["aid"])

# A quantity as sent: a number or a string, checked by the service (whole, above zero).
Quantity = int | float | str


class LineIn(Schema):
    item_id: ApiId
    quantity: Quantity
    unit: str = Field("", max_length=10)
    lot_id: ApiId | None = None


class DonationIn(Schema):
    donor_id: ApiId
    recipient_id: ApiId
    occasion: str = Field(max_length=300)
    pledged_on: ApiDate
    estimated_value: Decimal | None = None
    currency: str = Field("", max_length=3)
    donor_may_be_named: bool = False
    notes: str = ""
    lines: list[LineIn] = Field(default_factory=list, max_length=50)


class DonationCorrectionIn(Schema):
    """Only the fields given change."""

    reason: str
    occasion: str | None = Field(None, max_length=300)
    pledged_on: ApiDate | None = None
    estimated_value: Decimal | None = None
    currency: str | None = Field(None, max_length=3)
    donor_may_be_named: bool | None = None
    notes: str | None = None


class DonationMoveIn(Schema):
    to: str
    reason: str = ""


class ShippedIn(Schema):
    line_id: ApiId
    quantity: Quantity
    unit: str = Field("", max_length=10)


class BatchIn(Schema):
    sent_on: ApiDate
    expected_on: ApiDate | None = None
    waybill: str = Field("", max_length=80)
    carrier: str = Field("", max_length=200)
    route: str = Field("", max_length=200)
    consignee_id: ApiId | None = None
    lines: list[ShippedIn] = Field(default_factory=list, max_length=50)


class ReceivedIn(Schema):
    batch_line_id: ApiId
    accepted: Quantity
    rejected: Quantity = 0
    reason: str = ""


class ReceiptIn(Schema):
    arrived_on: ApiDate
    lines: list[ReceivedIn] = Field(default_factory=list, max_length=50)


class AllocationIn(Schema):
    line_id: ApiId
    units: Quantity
    allocated_on: ApiDate
    site_id: ApiId | None = None
    jurisdiction_id: ApiId | None = None
    note: str = Field("", max_length=500)


class LineOut(Schema):
    id: int
    item: str
    item_id: int
    lot_id: int | None
    units: int
    entered_quantity: int
    entered_unit: str


class DonationOut(Schema):
    id: int
    direction: str
    status: str
    donor_id: int
    donor: str
    recipient_id: int
    recipient: str
    country: str
    occasion: str
    pledged_on: date
    estimated_value: Decimal | None
    currency: str
    donor_may_be_named: bool
    cancel_reason: str
    lines: list[LineOut]


class BatchLineOut(Schema):
    id: int
    line_id: int
    units: int
    accepted: int | None
    rejected: int | None
    rejection_reason: str


class ShipmentBatchOut(Schema):
    number: int
    consignee_id: int | None
    waybill: str
    carrier: str
    route: str
    sent_on: date
    expected_on: date | None
    arrived_on: date | None
    lines: list[BatchLineOut]


class AllocationOut(Schema):
    id: int
    units: int
    site_id: int | None
    jurisdiction_id: int | None
    recipient: str
    allocated_on: date


class LedgerOut(Schema):
    line_id: int
    item: str
    units: int
    shipped: int
    accepted: int
    rejected: int
    allocated: int
    remaining: int
    allocations: list[AllocationOut]


class DonationEventOut(Schema):
    code: str
    from_status: str
    to_status: str
    data: dict
    reason: str
    text: str
    by: str
    at: datetime


class DonationDetailOut(DonationOut):
    batches: list[ShipmentBatchOut]
    ledger: list[LedgerOut]
    events: list[DonationEventOut]


class DonationFilters(Schema):
    direction: str = ""
    status: str = ""
    country: str = Field("", max_length=2)
    item: ApiId | None = None
    since: ApiDate | None = None
    until: ApiDate | None = None
    donor: ApiId | None = None
    recipient: ApiId | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def _donation_out(d: Donation) -> dict:
    return {
        "id": d.pk,
        "direction": d.direction,
        "status": d.status,
        "donor_id": d.donor_id,
        "donor": d.donor.name,
        "recipient_id": d.recipient_id,
        "recipient": d.recipient.name,
        "country": d.counterpart.country.code,
        "occasion": d.occasion,
        "pledged_on": d.pledged_on,
        "estimated_value": d.estimated_value,
        "currency": d.currency,
        "donor_may_be_named": d.donor_may_be_named,
        "cancel_reason": d.cancel_reason,
        "lines": [
            {
                "id": ln.pk,
                "item": ln.item.code,
                "item_id": ln.item_id,
                "lot_id": ln.lot_id,
                "units": ln.units,
                "entered_quantity": ln.entered_quantity,
                "entered_unit": ln.entered_unit,
            }
            for ln in d.lines.all()
        ],
    }


def _detail_out(d: Donation) -> dict:
    return {
        **_donation_out(d),
        "batches": [
            {
                "number": b.number,
                "consignee_id": b.consignee_id,
                "waybill": b.waybill,
                "carrier": b.carrier,
                "route": b.route,
                "sent_on": b.sent_on,
                "expected_on": b.expected_on,
                "arrived_on": b.arrived_on,
                "lines": [
                    {
                        "id": r.pk,
                        "line_id": r.line_id,
                        "units": r.units,
                        "accepted": r.accepted,
                        "rejected": r.rejected,
                        "rejection_reason": r.rejection_reason,
                    }
                    for r in b.lines.all()
                ],
            }
            for b in selectors.batches_of(d)
        ],
        "ledger": [
            {
                "line_id": e.line.pk,
                "item": e.line.item.code,
                "units": e.line.units,
                "shipped": e.shipped,
                "accepted": e.accepted,
                "rejected": e.rejected,
                "allocated": e.allocated,
                "remaining": e.remaining,
                "allocations": [
                    {
                        "id": a.pk,
                        "units": a.units,
                        "site_id": a.site_id,
                        "jurisdiction_id": a.jurisdiction_id,
                        "recipient": a.recipient.name,
                        "allocated_on": a.allocated_on,
                    }
                    for a in e.allocations
                ],
            }
            for e in allocation.ledger(d)
        ],
        "events": [
            {
                "code": e.code,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "data": e.data,
                "reason": e.reason,
                "text": events.describe(e),
                "by": e.by.get_username(),
                "at": e.at,
            }
            for e in selectors.events_of(d)
        ],
    }


def _donation(request, donation_id: int) -> Donation:
    return get_object_or_404(
        selectors.with_parties(selectors.donations_visible_to(request.auth)), pk=donation_id
    )


@router.get(
    "/aid/donations",
    response={200: list[DonationOut], 400: Errors, **REFUSALS},
    summary="Donations, newest pledge first, filtered",
)
@api_area(Area.AID_READ)
def donation_list(request, filters: Query[DonationFilters]):
    found = selectors.filter_donations(
        selectors.donations_visible_to(request.auth),
        direction=filters.direction,
        status=filters.status,
        country=filters.country.upper(),
        item=filters.item,
        since=filters.since,
        until=filters.until,
        donor=filters.donor,
        recipient=filters.recipient,
    )
    rows = list(selectors.with_parties(found)[filters.offset : filters.offset + filters.limit])
    audit.record_reads(Donation, rows, note="api list")
    return [_donation_out(d) for d in rows]


@router.get(
    "/aid/donations/{donation_id}",
    response={200: DonationDetailOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="One donation: lines, batches and their receipt, the ledger, the history",
)
@api_area(Area.AID_READ)
def donation_detail(request, donation_id: ApiId):
    donation = _donation(request, donation_id)
    audit.record_read(donation)
    return _detail_out(donation)


@router.post(
    "/aid/donations",
    response={201: DonationDetailOut, 400: Errors, **REFUSALS},
    summary="Record a pledged donation with its items",
)
@api_area(Area.AID)
def record_donation(request, body: DonationIn):
    donation = services.record_donation(
        donor=body.donor_id,
        recipient=body.recipient_id,
        occasion=body.occasion,
        pledged_on=body.pledged_on,
        estimated_value=body.estimated_value,
        currency=body.currency,
        donor_may_be_named=body.donor_may_be_named,
        notes=body.notes,
        lines=[
            services.LineIn(item=ln.item_id, quantity=ln.quantity, unit=ln.unit, lot=ln.lot_id)
            for ln in body.lines
        ],
        by=request.auth,
    )
    return Status(201, _detail_out(_donation(request, donation.pk)))


@router.post(
    "/aid/donations/{donation_id}/moves",
    response={200: DonationDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Commit, acknowledge or cancel (with a reason) a donation",
)
@api_area(Area.AID)
def move_donation(request, donation_id: ApiId, body: DonationMoveIn):
    donation = _donation(request, donation_id)
    services.move_donation(donation=donation, to=body.to, reason=body.reason, by=request.auth)
    return _detail_out(_donation(request, donation.pk))


@router.post(
    "/aid/donations/{donation_id}/corrections",
    response={200: DonationDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Correct a donation, with a reason (recorded, never silent)",
)
@api_area(Area.AID)
def correct_donation(request, donation_id: ApiId, body: DonationCorrectionIn):
    donation = _donation(request, donation_id)
    changes = body.dict(exclude_none=True, exclude={"reason"})
    services.correct_donation(donation=donation, reason=body.reason, by=request.auth, **changes)
    return _detail_out(_donation(request, donation.pk))


@router.post(
    "/aid/donations/{donation_id}/batches",
    response={201: DonationDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record a batch as sent: some units of some lines",
)
@api_area(Area.AID)
def send_batch(request, donation_id: ApiId, body: BatchIn):
    donation = _donation(request, donation_id)
    shipping.send_batch(
        donation=donation,
        sent_on=body.sent_on,
        expected_on=body.expected_on,
        waybill=body.waybill,
        carrier=body.carrier,
        route=body.route,
        consignee=body.consignee_id,
        lines=[
            shipping.ShippedIn(line=ln.line_id, quantity=ln.quantity, unit=ln.unit)
            for ln in body.lines
        ],
        by=request.auth,
    )
    return Status(201, _detail_out(_donation(request, donation.pk)))


@router.post(
    "/aid/donations/{donation_id}/batches/{number}/receipt",
    response={200: DonationDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record what arrived of a batch, line by line",
)
@api_area(Area.AID)
def receive_batch(request, donation_id: ApiId, number: ApiId, body: ReceiptIn):
    batch = selectors.visible_batch(request.auth, donation_id, number)
    if batch is None:
        raise Refused(_("There is no such batch."), "number", status=404)
    shipping.receive_batch(
        batch=batch,
        arrived_on=body.arrived_on,
        lines=[
            shipping.ReceivedIn(
                line=ln.batch_line_id, accepted=ln.accepted, rejected=ln.rejected, reason=ln.reason
            )
            for ln in body.lines
        ],
        by=request.auth,
    )
    return _detail_out(_donation(request, donation_id))


@router.post(
    "/aid/donations/{donation_id}/allocations",
    response={201: DonationDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Allocate received inbound units to a site or a district",
)
@api_area(Area.AID)
def allocate(request, donation_id: ApiId, body: AllocationIn):
    donation = _donation(request, donation_id)
    line = selectors.visible_line(request.auth, donation.pk, body.line_id)
    if line is None:
        raise Refused(_("This line is not of this donation."), "line_id")
    allocation.allocate(
        line=line,
        units=body.units,
        allocated_on=body.allocated_on,
        site=body.site_id,
        jurisdiction=body.jurisdiction_id,
        note=body.note,
        by=request.auth,
    )
    return Status(201, _detail_out(_donation(request, donation.pk)))


def _mount_catalogue() -> None:
    from liaison.aid.catalogue_api import router as catalogue

    router.add_router("/", catalogue)
    from liaison.aid.letters_api import router as outputs

    router.add_router("/", outputs)


_mount_catalogue()
