"""Batches sent and received (issue 15, point 3): two views of one flow.

``send_batch`` records a consignment of some units of some lines; a donation stays "shipped in
part" until every unit of every line has gone, and no line ships more than it holds.
``receive_batch`` records what arrived, line by line: accepted + rejected = shipped, a rejection
has its reason, and the accepted units of an inbound donation go into its stock. A donation is
delivered when it is wholly shipped and every batch is received.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from liaison.aid import states
from liaison.aid.models import (
    Batch,
    BatchLine,
    Direction,
    Donation,
    DonationEvent,
    DonationStatus,
    EventCode,
    Stock,
)
from liaison.aid.services import locked, organization, units_of, whole_units
from liaison.core.refusals import Conflict, Refused

if TYPE_CHECKING:
    from collections.abc import Sequence

    from liaison.core.models import User


@dataclass(frozen=True)
class ShippedIn:
    """Some units of one donation line in this batch (``unit``: the item's own or a pack)."""

    line: int
    quantity: Any
    unit: str = ""


@dataclass(frozen=True)
class ReceivedIn:
    """What arrived of one batch line: accepted and rejected units, and why rejected."""

    line: int  # the batch line
    accepted: Any
    rejected: Any = 0
    reason: str = ""


def count(value: Any, field: str) -> int:
    """A count that may be zero (nothing rejected), but neither negative nor a fraction."""
    if value in (0, "0"):
        return 0
    return whole_units(value, field)


def shipped_units(donation: Donation) -> dict[int, int]:
    """Units shipped so far, per donation line."""
    rows = (
        BatchLine.objects.filter(batch__donation=donation).values("line").annotate(n=Sum("units"))
    )
    return {row["line"]: row["n"] for row in rows}


def _check_dates(sent_on: date | None, expected_on: date | None) -> None:
    if sent_on is None:
        raise Refused(_("Give the day the batch was sent."), "sent_on")
    if expected_on is not None and expected_on < sent_on:
        raise Refused(_("A batch cannot be expected before it is sent."), "expected_on")


@transaction.atomic
def send_batch(
    *,
    donation: Donation,
    sent_on: date,
    lines: Sequence[ShippedIn],
    by: User,
    waybill: str = "",
    carrier: str = "",
    route: str = "",
    expected_on: date | None = None,
    consignee: int | None = None,
) -> Batch:
    current = locked(donation)
    if current.status not in states.SHIPPABLE:
        raise Conflict(
            _("A batch can be sent once the donation is committed; it is %(status)s.")
            % {"status": current.get_status_display()}
        )
    _check_dates(sent_on, expected_on)
    addressed = organization(consignee, "consignee") if consignee else None
    if not lines:
        raise Refused(_("Give at least one line of the donation and its quantity."), "lines")
    held = {line.pk: line for line in current.lines.select_related("item")}
    gone = shipped_units(current)
    rows, seen = [], set()
    for number, given in enumerate(lines):
        field = f"lines.{number}"
        line = held.get(given.line)
        if line is None:
            raise Refused(_("This line is not of this donation."), f"{field}.line")
        if line.pk in seen:
            raise Refused(_("This line is given twice."), f"{field}.line")
        seen.add(line.pk)
        units = units_of(
            line.item, whole_units(given.quantity, f"{field}.quantity"), given.unit, f"{field}.unit"
        )
        left = line.units - gone.get(line.pk, 0)
        if units > left:
            raise Refused(
                _("Only %(left)s units of %(item)s remain to be shipped.")
                % {"left": left, "item": line.item.name},
                f"{field}.quantity",
            )
        gone[line.pk] = gone.get(line.pk, 0) + units
        rows.append(BatchLine(line=line, units=units))
    number = (current.batches.aggregate(n=Max("number"))["n"] or 0) + 1
    batch = Batch.objects.create(
        donation=current,
        number=number,
        consignee=addressed,
        waybill=(waybill or "").strip(),
        carrier=(carrier or "").strip(),
        route=(route or "").strip(),
        sent_on=sent_on,
        expected_on=expected_on,
        sent_by=by,
    )
    for row in rows:
        row.batch = batch
    BatchLine.objects.bulk_create(rows)
    data = {"batch": number, "units": sum(r.units for r in rows)}
    DonationEvent.objects.create(donation=current, code=EventCode.BATCH_SENT, data=data, by=by)
    whole = all(gone.get(pk, 0) == line.units for pk, line in held.items())
    target = DonationStatus.SHIPPED if whole else DonationStatus.SHIPPED_IN_PART
    if current.status != target:
        states.move(donation=current, to=target, by=by, data={"batch": number})
    return batch


@transaction.atomic
def receive_batch(
    *, batch: Batch, arrived_on: date, lines: Sequence[ReceivedIn], by: User
) -> Batch:
    current = locked(batch.donation)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.received:
        raise Conflict(_("This batch was received already."))
    if arrived_on is None:
        raise Refused(_("Give the day the batch arrived."), "arrived_on")
    if arrived_on < batch.sent_on:
        raise Refused(_("A batch cannot arrive before it was sent."), "arrived_on")
    shipped = {row.pk: row for row in batch.lines.select_related("line__item")}
    given = {}
    for number, received in enumerate(lines):
        field = f"lines.{number}"
        row = shipped.get(received.line)
        if row is None:
            raise Refused(_("This line is not of this batch."), f"{field}.line")
        if row.pk in given:
            raise Refused(_("This line is given twice."), f"{field}.line")
        accepted = count(received.accepted, f"{field}.accepted")
        rejected = count(received.rejected, f"{field}.rejected")
        if accepted > row.units:
            raise Refused(
                _("%(n)s units were shipped; more cannot be received.") % {"n": row.units},
                f"{field}.accepted",
            )
        if accepted + rejected != row.units:
            raise Refused(
                _("Accepted and rejected must add up to the %(n)s units shipped.")
                % {"n": row.units},
                f"{field}.rejected",
            )
        if rejected and not (received.reason or "").strip():
            raise Refused(_("Say why units were rejected."), f"{field}.reason")
        given[row.pk] = (accepted, rejected, (received.reason or "").strip() if rejected else "")
    missing = [pk for pk in shipped if pk not in given]
    if missing:
        raise Refused(_("Give what arrived of every line of the batch."), "lines")
    for pk, (accepted, rejected, reason) in given.items():
        row = shipped[pk]
        row.accepted, row.rejected, row.rejection_reason = accepted, rejected, reason
        row.save(update_fields=["accepted", "rejected", "rejection_reason"])
        if current.direction == Direction.INBOUND and accepted:
            stock = Stock.objects.select_for_update().get(line_id=row.line_id)
            stock.received += accepted
            stock.save(update_fields=["received"])
    batch.arrived_on, batch.received_by = arrived_on, by
    batch.save(update_fields=["arrived_on", "received_by"])
    accepted = sum(a for a, _r, _w in given.values())
    rejected = sum(r for _a, r, _w in given.values())
    DonationEvent.objects.create(
        donation=current,
        code=EventCode.BATCH_RECEIVED,
        data={"batch": batch.number, "accepted": accepted, "rejected": rejected},
        by=by,
    )
    waiting = current.batches.filter(arrived_on__isnull=True).exists()
    if current.status == DonationStatus.SHIPPED and not waiting:
        states.move(
            donation=current, to=DonationStatus.DELIVERED, by=by, data={"batch": batch.number}
        )
    return batch
