"""The aid desk's writes on a donation: recorded, moved, corrected. Nothing is deleted.

Pages and the API pass organizations, items and lots by id; an id the directory or the catalogue
does not hold is a ``Refused`` on its field, before anything is written. Each write is one
transaction with its ``DonationEvent``. Batches and receipt: ``shipping.py``; allocation and the
ledger: ``allocation.py``; lots and certificates: ``lots.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.aid import states
from liaison.aid.currencies import CODES
from liaison.aid.models import (
    Direction,
    Donation,
    DonationEvent,
    DonationLine,
    DonationStatus,
    EventCode,
    Item,
    Lot,
    Stock,
)
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import Organization

if TYPE_CHECKING:
    from collections.abc import Sequence

    from liaison.core.models import User

MAX_UNITS = 10**9  # a billion masks in one line is a typing error


@dataclass(frozen=True)
class LineIn:
    """One line as entered: ``quantity`` of ``unit`` — the item's own unit, or one of its packs
    (200 boxes of 50 masks are 10,000 units)."""

    item: int
    quantity: Any
    unit: str = ""
    lot: int | None = None


def whole_units(value: Any, field: str) -> int:
    """A count of units: a positive whole number, never a fraction, never negative."""
    if isinstance(value, bool) or value is None or value == "":
        raise Refused(_("Give a number of units: a whole number above zero."), field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Refused(_("Give a number of units: a whole number above zero."), field) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise Refused(_("Units are counted whole: no fractions."), field)
    if number <= 0:
        raise Refused(_("Give a number of units: a whole number above zero."), field)
    if number > MAX_UNITS:
        raise Refused(_("That is more units than one line can hold."), field)
    return int(number)


def organization(pk: int | None, field: str) -> Organization:
    found = Organization.objects.filter(pk=pk).first() if pk else None
    if found is None:
        raise Refused(_("There is no such organization in the directory."), field)
    return found


def _item(pk: int | None, field: str) -> Item:
    found = Item.objects.filter(pk=pk, active=True).first() if pk else None
    if found is None:
        raise Refused(_("There is no such item in the catalogue."), field)
    return found


def units_of(item: Item, quantity: int, unit: str, field: str) -> int:
    """The quantity in the item's units; a unit the item is not counted or packed in is refused."""
    if not unit or unit == item.unit:
        return quantity
    pack = item.packs.filter(unit=unit).first()
    if pack is None:
        raise Refused(
            _("%(item)s is counted in %(unit)s; it has no pack of that kind.")
            % {"item": item.name, "unit": item.get_unit_display()},
            field,
        )
    total = quantity * pack.units
    if total > MAX_UNITS:
        raise Refused(_("That is more units than one line can hold."), field)
    return total


def _lines(lines: Sequence[LineIn]) -> list[DonationLine]:
    if not lines:
        raise Refused(_("Give at least one item and its quantity."), "lines")
    rows = []
    for number, given in enumerate(lines):
        field = f"lines.{number}"
        item = _item(given.item, f"{field}.item")
        quantity = whole_units(given.quantity, f"{field}.quantity")
        units = units_of(item, quantity, given.unit, f"{field}.unit")
        lot = None
        if given.lot is not None:
            lot = Lot.objects.filter(pk=given.lot).first()
            if lot is None or lot.item_id != item.pk:
                raise Refused(_("There is no such lot of this item."), f"{field}.lot")
        rows.append(
            DonationLine(
                item=item,
                lot=lot,
                units=units,
                entered_quantity=quantity,
                entered_unit=given.unit or item.unit,
                sort_order=number,
            )
        )
    return rows


def _direction(donor: Organization, recipient: Organization) -> str:
    """Outbound when we give, inbound when we receive; one side must be ours, not both."""
    if donor.pk == recipient.pk:
        raise Refused(_("The donor and the recipient must differ."), "recipient")
    if donor.is_ours and not recipient.is_ours:
        return Direction.OUTBOUND
    if recipient.is_ours and not donor.is_ours:
        return Direction.INBOUND
    raise Refused(
        _("One side must be the city or one of its districts, the other a foreign counterpart."),
        "recipient",
    )


def _value(value: Any, currency: str) -> tuple[Decimal | None, str]:
    if value is None or value == "":
        return None, (currency or "").strip().upper()
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Refused(_("Give the estimated value as a number."), "estimated_value") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
        raise Refused(_("Give the estimated value as a number."), "estimated_value")
    if amount != amount.quantize(Decimal("0.01")):
        raise Refused(_("Give the value to the cent at most."), "estimated_value")
    code = (currency or "").strip().upper()
    if code not in CODES:
        raise Refused(_("Give the currency as its ISO 4217 code: CNY, EUR, USD…"), "currency")
    return amount, code


@transaction.atomic
def record_donation(
    *,
    donor: int,
    recipient: int,
    occasion: str,
    pledged_on: date,
    lines: Sequence[LineIn],
    by: User,
    estimated_value: Any = None,
    currency: str = "",
    donor_may_be_named: bool = False,
    notes: str = "",
) -> Donation:
    """A donation pledged: its parties, items and value. Its direction follows from who is ours."""
    giver, receiver = organization(donor, "donor"), organization(recipient, "recipient")
    direction = _direction(giver, receiver)
    if not (occasion or "").strip():
        raise Refused(_("Say what the donation is for."), "occasion")
    if pledged_on is None:
        raise Refused(_("Give the day it was pledged."), "pledged_on")
    amount, code = _value(estimated_value, currency)
    rows = _lines(lines)
    donation = Donation.objects.create(
        direction=direction,
        donor=giver,
        recipient=receiver,
        occasion=occasion.strip(),
        pledged_on=pledged_on,
        estimated_value=amount,
        currency=code if amount is not None else "",
        donor_may_be_named=bool(donor_may_be_named),
        notes=(notes or "").strip(),
        recorded_by=by,
    )
    for row in rows:
        row.donation = donation
    DonationLine.objects.bulk_create(rows)
    if direction == Direction.INBOUND:
        Stock.objects.bulk_create([Stock(line=row) for row in donation.lines.all()])
    DonationEvent.objects.create(
        donation=donation,
        code=EventCode.RECORDED,
        to_status=DonationStatus.PLEDGED,
        data={"lines": [{"item": r.item.code, "units": r.units} for r in rows]},
        by=by,
    )
    return donation


def locked(donation: Donation) -> Donation:
    return Donation.objects.select_for_update().get(pk=donation.pk)


@transaction.atomic
def move_donation(*, donation: Donation, to: str, by: User, reason: str = "") -> Donation:
    """An officer's move: committed, acknowledged or cancelled (with a reason)."""
    current = locked(donation)
    if to in DonationStatus.values and DonationStatus(to) not in states.BY_HAND:
        raise Conflict(_("This status follows from the batches; send or receive one."), "to")
    states.move(donation=current, to=to, by=by, reason=reason)
    return current


# What a correction may change, and how each is kept in the event (as data).
CORRECTABLE = (
    "occasion",
    "pledged_on",
    "estimated_value",
    "currency",
    "donor_may_be_named",
    "notes",
)


def _as_data(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def correct_donation(*, donation: Donation, reason: str, by: User, **changes: Any) -> Donation:
    """Change what was recorded, with a reason; the event keeps each value before and after.
    Items are not corrected once a batch has gone: a line is what was shipped against."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise Refused(_("This cannot be corrected."), sorted(unknown)[0])
    if not (reason or "").strip():
        raise Refused(_("Say why it is corrected."), "reason")
    current = locked(donation)
    if current.status == DonationStatus.CANCELLED:
        raise Conflict(_("This donation was cancelled; it is kept as it was."))
    if "occasion" in changes and not (changes["occasion"] or "").strip():
        raise Refused(_("Say what the donation is for."), "occasion")
    if "pledged_on" in changes and changes["pledged_on"] is None:
        raise Refused(_("Give the day it was pledged."), "pledged_on")
    if "estimated_value" in changes or "currency" in changes:
        amount, code = _value(
            changes.get("estimated_value", current.estimated_value),
            changes.get("currency", current.currency),
        )
        changes["estimated_value"], changes["currency"] = amount, code if amount is not None else ""
    for name in ("occasion", "notes"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    recorded = {}
    for name, value in changes.items():
        before = getattr(current, name)
        if _as_data(before) != _as_data(value):
            recorded[name] = {"before": _as_data(before), "after": _as_data(value)}
            setattr(current, name, value)
    if not recorded:
        raise Refused(_("Nothing was changed."))
    current.save()
    DonationEvent.objects.create(
        donation=current,
        code=EventCode.CORRECTED,
        data=recorded,
        reason=reason.strip(),
        by=by,
    )
    return current
