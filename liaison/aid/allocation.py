"""Inbound goods allocated to the last unit (issue 15, point 4), and the ledger that shows it.

``allocate`` hands some received units of one donation line to a designated site (a hospital,
a quarantine hotel) or a district. It locks the line's ``Stock`` row first, so that two officers
allocating the last units at once cannot both succeed: the second reads what the first left.
``ledger`` shows, for every line, what was shipped, received, rejected, where each allocated unit
went and what remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.aid.models import (
    Allocation,
    Direction,
    Donation,
    DonationEvent,
    DonationLine,
    EventCode,
    Stock,
)
from liaison.aid.services import locked, whole_units
from liaison.core.models import Jurisdiction, Site
from liaison.core.refusals import Conflict, Refused

if TYPE_CHECKING:
    from liaison.core.models import User


def locked_stock(line: DonationLine) -> Stock:
    """The line's stock row, locked until the transaction ends (the allocation's lock)."""
    return Stock.objects.select_for_update().get(line_id=line.pk)


def _recipient(
    site: int | None, jurisdiction: int | None
) -> tuple[Site | None, Jurisdiction | None]:
    if (site is None) == (jurisdiction is None):
        raise Refused(_("Name one recipient: a designated site or a district."), "site")
    if site is not None:
        found = Site.objects.filter(pk=site, active=True).first()
        if found is None:
            raise Refused(_("There is no such site."), "site")
        return found, None
    found = Jurisdiction.objects.filter(pk=jurisdiction, active=True).first()
    if found is None:
        raise Refused(_("There is no such district."), "jurisdiction")
    return None, found


@transaction.atomic
def allocate(
    *,
    line: DonationLine,
    units: Any,
    allocated_on: date,
    by: User,
    site: int | None = None,
    jurisdiction: int | None = None,
    note: str = "",
) -> Allocation:
    if line.donation.direction != Direction.INBOUND:
        raise Conflict(_("Only received inbound goods are allocated."))
    wanted = whole_units(units, "units")
    if allocated_on is None:
        raise Refused(_("Give the day of the allocation."), "allocated_on")
    to_site, to_district = _recipient(site, jurisdiction)
    locked(line.donation)  # the donation's events stay in order
    stock = locked_stock(line)
    if wanted > stock.remaining:
        raise Refused(
            _("Only %(left)s units of %(item)s remain in stock.")
            % {"left": stock.remaining, "item": line.item.name},
            "units",
        )
    stock.allocated += wanted
    stock.save(update_fields=["allocated"])
    allocation = Allocation.objects.create(
        line=line,
        units=wanted,
        site=to_site,
        jurisdiction=to_district,
        allocated_on=allocated_on,
        note=(note or "").strip(),
        by=by,
    )
    DonationEvent.objects.create(
        donation=line.donation,
        code=EventCode.ALLOCATED,
        data={
            "item": line.item.code,
            "units": wanted,
            "site": to_site.code if to_site else "",
            "jurisdiction": to_district.code if to_district else "",
        },
        by=by,
    )
    return allocation


@dataclass
class LedgerLine:
    line: DonationLine
    shipped: int = 0
    accepted: int = 0
    rejected: int = 0
    allocations: list[Allocation] = field(default_factory=list)

    @property
    def allocated(self) -> int:
        return sum(a.units for a in self.allocations)

    @property
    def remaining(self) -> int:
        """In stock: accepted and not yet allocated (inbound); what is still to ship (outbound)."""
        if self.line.donation.direction == Direction.INBOUND:
            return self.accepted - self.allocated
        return self.line.units - self.shipped


def ledger(donation: Donation) -> list[LedgerLine]:
    """Every line of the donation: shipped, accepted, rejected, allocated (to whom), remaining."""
    rows = {
        line.pk: LedgerLine(line=line)
        for line in donation.lines.select_related("item", "lot", "donation")
    }
    for shipped in donation.batches.all().prefetch_related("lines"):
        for row in shipped.lines.all():
            entry = rows[row.line_id]
            entry.shipped += row.units
            entry.accepted += row.accepted or 0
            entry.rejected += row.rejected or 0
    for allocation in Allocation.objects.filter(line__donation=donation).select_related(
        "site", "jurisdiction"
    ):
        rows[allocation.line_id].allocations.append(allocation)
    return list(rows.values())
